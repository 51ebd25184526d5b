package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.IMAGE;
import static aim.orchestrator.activities.Fixtures.MODEL;
import static aim.orchestrator.activities.Fixtures.MODEL_ID;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static aim.orchestrator.activities.Fixtures.ref;
import static aim.orchestrator.model.ResourceStatusValue.Degraded;
import static aim.orchestrator.model.ResourceStatusValue.Failed;
import static aim.orchestrator.model.ResourceStatusValue.NotAvailable;
import static aim.orchestrator.model.ResourceStatusValue.Pending;
import static aim.orchestrator.model.ResourceStatusValue.Progressing;
import static aim.orchestrator.model.ResourceStatusValue.Ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMMetric;
import aim.orchestrator.model.AIMPrecision;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSpec;
import aim.orchestrator.model.AIMModelStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.ImageMetadata;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelActivitiesImplTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  final ModelActivitiesImpl activities = new ModelActivitiesImpl(cluster.kube());

  static ComponentHealth only(StageResult result) {
    assertThat(result.components()).hasSize(1);
    return result.components().get(0);
  }

  static ImageMetadata metadata(
      String canonicalName, ImageMetadata.RecommendedDeployment... deployments) {
    ImageMetadata md = new ImageMetadata();
    md.model = new ImageMetadata.ModelMetadata();
    md.model.canonicalName = canonicalName;
    md.model.recommendedDeployments = deployments.length == 0 ? null : List.of(deployments);
    return md;
  }

  static ImageMetadata.RecommendedDeployment mi300x() {
    ImageMetadata.RecommendedDeployment d = new ImageMetadata.RecommendedDeployment();
    d.gpuModel = "MI300X";
    d.gpuCount = 1;
    d.precision = "fp16";
    d.metric = "latency";
    return d;
  }

  @Nested
  class ImageMetadataStage {
    @Test
    void takesMetadataFromTheSpec() {
      AIMModel m = Fixtures.model(NS, MODEL, IMAGE, null);
      m.getSpec().imageMetadata = metadata("Qwen/Qwen3-32B", mi300x());
      AIMModel stored = cluster.create(m);

      StageResult result = activities.imageMetadata(ref(stored));

      assertThat(only(result))
          .extracting(
              ComponentHealth::component,
              ComponentHealth::state,
              ComponentHealth::reason,
              ComponentHealth::dependency)
          .containsExactly(
              "ImageMetadata", AIMStatus.Ready, "ImageMetadataFound", DependencyType.UPSTREAM);
      assertThat(only(result).message()).contains("Qwen/Qwen3-32B");
      assertThat(result.statusFields())
          .containsEntry("sourceType", AIMModelStatus.SourceType.Image)
          .containsKey("imageMetadata");
      assertThat(((ImageMetadata) result.statusFields().get("imageMetadata")).model.canonicalName)
          .isEqualTo("Qwen/Qwen3-32B");
    }

    @Test
    void metadataWithoutACanonicalNameIsJustTheImage() {
      AIMModel m = Fixtures.model(NS, MODEL, IMAGE, null);
      m.getSpec().imageMetadata = metadata(null);
      AIMModel stored = cluster.create(m);

      assertThat(only(activities.imageMetadata(ref(stored))).reason()).isEqualTo("ImageFound");
    }

    @Test
    void usesMetadataAlreadyInTheStatus() {
      AIMModel m = Fixtures.model(NS, MODEL, IMAGE, Progressing);
      m.getStatus().imageMetadata = metadata("Qwen/Qwen3-32B");
      AIMModel stored = cluster.create(m);

      assertThat(only(activities.imageMetadata(ref(stored))).reason())
          .isEqualTo("ImageMetadataFound");
    }

    @Test
    void withoutMetadataItWaits() {
      AIMModel stored = cluster.create(Fixtures.model(NS, MODEL, IMAGE, null));

      StageResult result = activities.imageMetadata(ref(stored));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Progressing, "AwaitingMetadata");
      assertThat(result.statusFields())
          .containsExactly(entry("sourceType", AIMModelStatus.SourceType.Image));
    }

    @Test
    void aCustomModelNeedsNoMetadata() {
      AIMModel m = Fixtures.model(NS, MODEL, IMAGE, null);
      m.getSpec().modelSources = List.of(Fixtures.source(MODEL_ID, SOURCE_URI, "66Gi"));
      AIMModel stored = cluster.create(m);

      StageResult result = activities.imageMetadata(ref(stored));

      assertThat(result.components()).isEmpty();
      assertThat(result.statusFields())
          .containsExactly(entry("sourceType", AIMModelStatus.SourceType.Custom));
    }

    @Test
    void extractMetadataFalseSkipsTheStage() {
      AIMModel m = Fixtures.model(NS, MODEL, IMAGE, null);
      m.getSpec().discovery = new AIMModelSpec.Discovery();
      m.getSpec().discovery.extractMetadata = false;
      AIMModel stored = cluster.create(m);

      assertThat(activities.imageMetadata(ref(stored)).components()).isEmpty();
    }

    @Test
    void worksForClusterModels() {
      AIMClusterModel m = Fixtures.clusterModel(MODEL, IMAGE, null);
      m.getSpec().imageMetadata = metadata("Qwen/Qwen3-32B");
      AIMClusterModel stored = cluster.create(m);

      assertThat(only(activities.imageMetadata(ref(stored))).reason())
          .isEqualTo("ImageMetadataFound");
    }
  }

  @Nested
  class Templates {
    @Test
    void aggregatesTheTemplatesOfThisModelOnly() {
      AIMModel m = Fixtures.model(NS, MODEL, IMAGE, null);
      m.getSpec().imageMetadata = metadata("Qwen/Qwen3-32B");
      AIMModel stored = cluster.create(m);
      cluster.create(Fixtures.template(NS, "t-ready", MODEL, Ready));
      cluster.create(Fixtures.template(NS, "t-no-gpu", MODEL, NotAvailable));
      cluster.create(Fixtures.template(NS, "other-model", "another-model", Failed));
      cluster.create(Fixtures.template("other-team", "elsewhere", MODEL, Failed));

      StageResult result = activities.templates(ref(stored));

      assertThat(only(result))
          .extracting(ComponentHealth::component, ComponentHealth::state, ComponentHealth::reason)
          .containsExactly("ServiceTemplates", AIMStatus.Ready, "SomeTemplatesReady");
      assertThat(only(result).message()).isEqualTo("1/2 templates ready");
    }

    @Test
    void aClusterModelAggregatesClusterTemplates() {
      AIMClusterModel stored = cluster.create(Fixtures.clusterModel(MODEL, IMAGE, null));
      cluster.create(Fixtures.clusterTemplate("t-progressing", MODEL, Progressing));
      cluster.create(Fixtures.template(NS, "namespaced", MODEL, Ready));

      StageResult result = activities.templates(ref(stored));

      assertThat(only(result))
          .extracting(ComponentHealth::component, ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(
              "ClusterServiceTemplates", AIMStatus.Progressing, "TemplatesProgressing");
    }

    @Test
    void createsOneOwnedTemplatePerRecommendedDeployment() {
      ImageMetadata.RecommendedDeployment throughput = mi300x();
      throughput.gpuCount = 8;
      throughput.metric = "throughput";
      throughput.precision = "FP8";
      throughput.profileId = "vllm-mi300x-fp8-tp8-throughput";
      AIMModel m = Fixtures.model(NS, MODEL, IMAGE, null);
      m.getSpec().imageMetadata = metadata("Qwen/Qwen3-32B", mi300x(), throughput);
      m.getSpec().serviceAccountName = "puller";
      AIMModel stored = cluster.create(m);

      StageResult result = activities.templates(ref(stored));

      assertThat(only(result).reason()).isEqualTo("TemplatesProgressing");
      assertThat(only(result).message()).isEqualTo("0/2 templates ready");
      var templates = cluster.client().resources(AIMServiceTemplate.class).inNamespace(NS).list().getItems();
      assertThat(templates).hasSize(2);
      String imageName = aim.orchestrator.naming.ImageReference.parse(IMAGE).name();
      AIMServiceTemplate latency =
          templates.stream().filter(t -> t.getSpec().metric == AIMMetric.latency).findFirst().orElseThrow();
      assertThat(latency.getMetadata().getName()).matches(imageName + "-1x-mi300x-lat-fp16-[0-9a-f]{4}");
      assertThat(latency.getMetadata().getLabels())
          .containsEntry("aim.eai.amd.com/model", MODEL)
          .containsEntry("aim.eai.amd.com/origin", "auto-generated");
      assertThat(latency.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("AIMModel");
            assertThat(o.getUid()).isEqualTo(stored.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
          });
      assertThat(latency.getSpec().modelName).isEqualTo(MODEL);
      assertThat(latency.getSpec().serviceAccountName).isEqualTo("puller");
      assertThat(latency.getSpec().precision).isEqualTo(AIMPrecision.fp16);
      assertThat(latency.getSpec().hardware.gpu.model).isEqualTo("MI300X");
      assertThat(latency.getSpec().hardware.gpu.requests).isEqualTo(1);
      AIMServiceTemplate thr =
          templates.stream().filter(t -> t.getSpec().metric == AIMMetric.throughput).findFirst().orElseThrow();
      assertThat(thr.getMetadata().getName()).matches(imageName + "-8x-mi300x-thr-fp8-[0-9a-f]{4}");
      assertThat(thr.getSpec().profileId).isEqualTo("vllm-mi300x-fp8-tp8-throughput");
      assertThat(thr.getSpec().precision).isEqualTo(AIMPrecision.fp8);

      // A second pass changes nothing: same names, no duplicates.
      activities.templates(ref(stored));
      assertThat(cluster.client().resources(AIMServiceTemplate.class).inNamespace(NS).list().getItems()).hasSize(2);
    }

    @Test
    void aClusterModelGetsClusterTemplatesFromMetadataReadEarlier() {
      AIMClusterModel m = Fixtures.clusterModel(MODEL, IMAGE, null);
      AIMClusterModel stored = cluster.create(m);
      stored.setStatus(new AIMModelStatus());
      stored.getStatus().imageMetadata = metadata("Qwen/Qwen3-32B", mi300x());
      cluster.client().resource(stored).updateStatus();

      activities.templates(ref(stored));

      assertThat(cluster.client().resources(AIMClusterServiceTemplate.class).list().getItems())
          .singleElement()
          .satisfies(t -> {
            assertThat(t.getSpec().modelName).isEqualTo(MODEL);
            assertThat(t.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("AIMClusterModel");
          });
    }

    @Test
    void aDeploymentWithAnUnknownPrecisionIsSkippedAndNamed() {
      ImageMetadata.RecommendedDeployment bad = mi300x();
      bad.precision = "fp6";
      AIMModel m = Fixtures.model(NS, MODEL, IMAGE, null);
      m.getSpec().imageMetadata = metadata("Qwen/Qwen3-32B", mi300x(), bad);
      AIMModel stored = cluster.create(m);

      StageResult result = activities.templates(ref(stored));

      assertThat(cluster.client().resources(AIMServiceTemplate.class).inNamespace(NS).list().getItems()).hasSize(1);
      assertThat(only(result).message()).contains("#1 (precision \"fp6\" is not a known precision)");
    }

    @Test
    void createServiceTemplatesFalseCreatesNothing() {
      AIMModel m = Fixtures.model(NS, MODEL, IMAGE, null);
      m.getSpec().imageMetadata = metadata("Qwen/Qwen3-32B", mi300x());
      m.getSpec().discovery = new AIMModelSpec.Discovery();
      m.getSpec().discovery.createServiceTemplates = false;
      AIMModel stored = cluster.create(m);

      assertThat(only(activities.templates(ref(stored))).reason()).isEqualTo("NoTemplatesExpected");
      assertThat(cluster.client().resources(AIMServiceTemplate.class).inNamespace(NS).list().getItems()).isEmpty();
    }
  }

  static Stream<Arguments> aggregationTable() {
    return Stream.of(
        row(null, AIMStatus.Progressing, "AwaitingMetadata"),
        row(true, AIMStatus.Progressing, "CreatingTemplates"),
        row(false, AIMStatus.Ready, "NoTemplatesExpected"),
        row(true, AIMStatus.Ready, "AllTemplatesReady", Ready, Ready),
        row(true, AIMStatus.Failed, "AllTemplatesFailed", Failed, Degraded),
        row(true, AIMStatus.NotAvailable, "NoTemplatesAvailable", NotAvailable, NotAvailable),
        row(true, AIMStatus.Degraded, "SomeTemplatesDegraded", Ready, Failed),
        row(true, AIMStatus.Degraded, "SomeTemplatesDegraded", Progressing, Degraded),
        row(true, AIMStatus.Degraded, "SomeTemplatesDegraded", NotAvailable, Failed),
        row(true, AIMStatus.Progressing, "TemplatesProgressing", Ready, Progressing),
        row(true, AIMStatus.Progressing, "TemplatesProgressing", Ready, Pending),
        row(true, AIMStatus.Progressing, "TemplatesProgressing", Ready, null),
        row(true, AIMStatus.Progressing, "TemplatesProgressing", NotAvailable, Progressing),
        row(true, AIMStatus.Ready, "SomeTemplatesReady", Ready, NotAvailable),
        row(null, AIMStatus.Ready, "AllTemplatesReady", Ready));
  }

  static Arguments row(
      Boolean expected, AIMStatus state, String reason, ResourceStatusValue... templates) {
    return Arguments.of(Arrays.asList(templates), expected, state, reason);
  }

  @ParameterizedTest(name = "{0} (expected {1}) => {2} {3}")
  @MethodSource("aggregationTable")
  void aggregatesTemplateStatusesAsTheReferenceDoes(
      List<ResourceStatusValue> templates, Boolean expected, AIMStatus state, String reason) {
    ComponentHealth health = ModelActivitiesImpl.aggregate("ServiceTemplates", templates, expected);

    assertThat(health.component()).isEqualTo("ServiceTemplates");
    assertThat(health.state()).isEqualTo(state);
    assertThat(health.reason()).isEqualTo(reason);
    assertThat(health.dependency()).isEqualTo(DependencyType.DOWNSTREAM);
    assertThat(health.error()).isNull();
  }

  @Test
  void expectsTemplatesFromRecommendedDeploymentsCustomTemplatesOrSources() {
    AIMModelSpec unknown = new AIMModelSpec();
    assertThat(ModelActivitiesImpl.expectsTemplates(unknown, unknown.imageMetadata)).isNull();

    AIMModelSpec none = new AIMModelSpec();
    none.imageMetadata = metadata("Qwen/Qwen3-32B");
    assertThat(ModelActivitiesImpl.expectsTemplates(none, none.imageMetadata)).isFalse();

    AIMModelSpec recommended = new AIMModelSpec();
    recommended.imageMetadata = metadata("Qwen/Qwen3-32B", mi300x());
    assertThat(ModelActivitiesImpl.expectsTemplates(recommended, recommended.imageMetadata)).isTrue();

    AIMModelSpec custom = new AIMModelSpec();
    custom.modelSources = List.of(Fixtures.source(MODEL_ID, SOURCE_URI, null));
    assertThat(ModelActivitiesImpl.expectsTemplates(custom, custom.imageMetadata)).isTrue();

    AIMModelSpec off = new AIMModelSpec();
    off.imageMetadata = metadata("Qwen/Qwen3-32B", mi300x());
    off.discovery = new AIMModelSpec.Discovery();
    off.discovery.createServiceTemplates = false;
    assertThat(ModelActivitiesImpl.expectsTemplates(off, off.imageMetadata)).isFalse();
  }
}
