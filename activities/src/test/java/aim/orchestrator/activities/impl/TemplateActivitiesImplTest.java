package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.IMAGE;
import static aim.orchestrator.activities.Fixtures.MODEL;
import static aim.orchestrator.activities.Fixtures.MODEL_ID;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static aim.orchestrator.activities.Fixtures.TEMPLATE;
import static aim.orchestrator.activities.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.StatusWrite;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMCpuRequirements;
import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSource;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TemplateActivitiesImplTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  final TemplateActivitiesImpl activities = new TemplateActivitiesImpl(cluster.kube());

  static ComponentHealth only(StageResult result) {
    assertThat(result.components()).hasSize(1);
    return result.components().get(0);
  }

  void nodesWith(String deviceId) {
    cluster.createObject(Fixtures.node("gpu-node-1", Map.of("amd.com/gpu.device-id", deviceId)));
    cluster.createObject(Fixtures.node("cpu-node-1", Map.of("kubernetes.io/os", "linux")));
  }

  AIMServiceTemplate storedTemplate(AIMHardwareRequirements hardware, AIMModelSource... sources) {
    AIMServiceTemplate t = Fixtures.template(NS, TEMPLATE, MODEL, null);
    t.getSpec().hardware = hardware;
    t.getSpec().modelSources = sources.length == 0 ? null : List.of(sources);
    return cluster.create(t);
  }

  @Nested
  class Gpu {
    @Test
    void aMi300xTemplateFindsMi300xNodes() {
      nodesWith("74a1");
      AIMServiceTemplate t = storedTemplate(Fixtures.gpus(1, "MI300X"));

      assertThat(only(activities.gpu(ref(t))))
          .extracting(
              ComponentHealth::component,
              ComponentHealth::state,
              ComponentHealth::reason,
              ComponentHealth::dependency)
          .containsExactly("GPU", AIMStatus.Ready, "GPUAvailable", DependencyType.UPSTREAM);
    }

    @Test
    void aMi355xTemplateOnMi300xNodesIsNotAvailable() {
      nodesWith("74a1");
      AIMServiceTemplate t = storedTemplate(Fixtures.gpus(1, "MI355X"));

      ComponentHealth gpu = only(activities.gpu(ref(t)));

      assertThat(gpu.state()).isEqualTo(AIMStatus.NotAvailable);
      assertThat(gpu.reason()).isEqualTo("GPUNotAvailable");
      assertThat(gpu.error()).isNull();
      assertThat(gpu.message()).contains("MI355X").contains("MI300X");
    }

    @Test
    void aTemplateWithoutGpuNeedsHasNoGpuComponent() {
      nodesWith("74a1");
      AIMHardwareRequirements cpuOnly = new AIMHardwareRequirements();
      cpuOnly.cpu = new AIMCpuRequirements();

      assertThat(activities.gpu(ref(storedTemplate(cpuOnly))).components()).isEmpty();
    }

    @Test
    void aTemplateWithoutHardwareHasNoGpuComponent() {
      AIMServiceTemplate t = storedTemplate(null);

      assertThat(activities.gpu(ref(t)).components()).isEmpty();
    }

    @Test
    void anyGpuWillDoWhenNoModelIsNamed() {
      AIMServiceTemplate t = storedTemplate(Fixtures.gpus(2, null));

      assertThat(only(activities.gpu(ref(t))).reason()).isEqualTo("GPUNotAvailable");
      nodesWith("0x74b5");
      assertThat(only(activities.gpu(ref(t))).reason()).isEqualTo("GPUAvailable");
    }

    @Test
    void minimumVramIsComparedWithTheGpusOfTheCluster() {
      nodesWith("74a1");
      AIMHardwareRequirements big = new AIMHardwareRequirements();
      big.gpu = new AIMGpuRequirements();
      big.gpu.requests = 1;
      big.gpu.minVram = new Quantity("256Gi");
      AIMServiceTemplate t = storedTemplate(big);

      assertThat(only(activities.gpu(ref(t))))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.NotAvailable, "VRAMNotAvailable");
    }

    @Test
    void clusterTemplatesWorkToo() {
      nodesWith("74a1");
      AIMClusterServiceTemplate t = cluster.create(Fixtures.clusterTemplate(TEMPLATE, MODEL, null));

      assertThat(only(activities.gpu(ref(t))).reason()).isEqualTo("GPUAvailable");
    }
  }

  @Nested
  class Discovery {
    @Test
    void inlineSourcesGiveTheProfileHardwareAndAffinity() {
      AIMServiceTemplate t =
          storedTemplate(Fixtures.gpus(1, "MI300X"), Fixtures.source(MODEL_ID, SOURCE_URI, "66Gi"));

      StageResult result = activities.discovery(ref(t));

      assertThat(result.components()).as("no discovery Job to report on").isEmpty();
      assertThat(result.conditions())
          .singleElement()
          .satisfies(c -> {
            assertThat(c.type()).isEqualTo("Discovered");
            assertThat(c.reason()).isEqualTo("InlineModelSources");
          });
      Map<String, Object> fields = result.statusFields();
      assertThat(fields)
          .containsKeys(
              "modelSources",
              "profile",
              "resolvedHardware",
              "hardwareSummary",
              "resolvedNodeAffinity");
      assertThat(fields.get("hardwareSummary")).isEqualTo("1 x MI300X");
      assertThat((List<?>) fields.get("modelSources"))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(((AIMModelSource) s).sourceUri).isEqualTo(SOURCE_URI);
                assertThat(((AIMModelSource) s).modelId).isEqualTo(MODEL_ID);
              });
      AIMServiceTemplateStatus.Profile profile =
          (AIMServiceTemplateStatus.Profile) fields.get("profile");
      assertThat(profile.metadata)
          .extracting(m -> m.gpu, m -> m.gpuCount, m -> m.metric, m -> m.precision, m -> m.type)
          .containsExactly("MI300X", 1, "latency", "fp16", "optimized");
      assertThat(((AIMHardwareRequirements) fields.get("resolvedHardware")).gpu.model)
          .isEqualTo("MI300X");
      NodeAffinity affinity = (NodeAffinity) fields.get("resolvedNodeAffinity");
      NodeSelectorRequirement expression =
          affinity
              .getRequiredDuringSchedulingIgnoredDuringExecution()
              .getNodeSelectorTerms()
              .get(0)
              .getMatchExpressions()
              .get(0);
      assertThat(expression.getKey()).isEqualTo("amd.com/gpu.device-id");
      assertThat(expression.getOperator()).isEqualTo("In");
      assertThat(expression.getValues()).containsExactly("74a1", "74a9", "74b5", "74bd");
    }

    @Test
    void theFieldsSurviveAStatusWriteIntoTheTypedTemplate() {
      AIMServiceTemplate t =
          storedTemplate(Fixtures.gpus(1, "MI300X"), Fixtures.source(MODEL_ID, SOURCE_URI, "66Gi"));
      StageResult result = activities.discovery(ref(t));
      var resources =
          new ResourceActivitiesImpl(
              cluster.kube(), Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));

      resources.writeStatus(new StatusWrite(ref(t), 1, "Ready", List.of(), result.statusFields()));

      AIMServiceTemplateStatus stored = cluster.client().resource(t).get().getStatus();
      assertThat(stored.hardwareSummary).isEqualTo("1 x MI300X");
      assertThat(stored.modelSources)
          .singleElement()
          .satisfies(s -> assertThat(s.size).isEqualTo(new Quantity("66Gi")));
      assertThat(
              stored
                  .resolvedNodeAffinity
                  .getRequiredDuringSchedulingIgnoredDuringExecution()
                  .getNodeSelectorTerms()
                  .get(0)
                  .getMatchExpressions()
                  .get(0)
                  .getValues())
          .containsExactly("74a1", "74a9", "74b5", "74bd");
      assertThat(stored.profile.metadata.gpu).isEqualTo("MI300X");
      assertThat(
              resources.writeStatus(
                  new StatusWrite(ref(t), 1, "Ready", List.of(), result.statusFields())))
          .isFalse();
    }

    @Test
    void aCpuTemplateHasNoAffinity() {
      AIMHardwareRequirements cpuOnly = new AIMHardwareRequirements();
      cpuOnly.cpu = new AIMCpuRequirements();
      AIMServiceTemplate t = storedTemplate(cpuOnly, Fixtures.source(MODEL_ID, SOURCE_URI, "66Gi"));

      StageResult result = activities.discovery(ref(t));

      assertThat(result.statusFields())
          .containsEntry("hardwareSummary", "CPU")
          .doesNotContainKey("resolvedNodeAffinity");
    }
  }

  @Nested
  class Model {
    @Test
    void findsTheModelOfTheTemplate() {
      AIMModel m = cluster.create(Fixtures.model(NS, MODEL, IMAGE, null));
      AIMServiceTemplate t = storedTemplate(Fixtures.gpus(1, "MI300X"));

      StageResult result = activities.model(ref(t));

      AIMResolvedReference expected =
          new AIMResolvedReference(
              MODEL, NS, AIMScope.Namespace, "AIMModel", m.getMetadata().getUid());
      assertThat(only(result).reason()).isEqualTo("ModelFound");
      assertThat(result.resolved()).isEqualTo(expected);
      assertThat(result.statusFields()).containsEntry("resolvedModel", expected);
    }

    @Test
    void aMissingModelIsAMissingUpstreamDependency() {
      AIMClusterServiceTemplate t = cluster.create(Fixtures.clusterTemplate(TEMPLATE, MODEL, null));
      cluster.create(Fixtures.model(NS, MODEL, IMAGE, null));

      assertThat(only(activities.model(ref(t))))
          .extracting(ComponentHealth::component, ComponentHealth::error, ComponentHealth::reason)
          .containsExactly("ClusterModel", ErrorCategory.MISSING_UPSTREAM, "ModelNotFound");
    }
  }
}
