package aim.orchestrator.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMClusterServiceTemplateSpec;
import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMMetric;
import aim.orchestrator.model.AIMPrecision;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.testing.Golden;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryJobManifestTest {
  static final String IMAGE = "amdenterpriseai/aim-qwen-qwen3-32b:0.8.5";

  static AIMServiceTemplate template() {
    AIMServiceTemplate t = new AIMServiceTemplate();
    t.getMetadata().setName("aim-qwen-qwen3-32b-1x-mi300x-lat-fp8-1a2b");
    t.getMetadata().setNamespace("ml-team");
    t.getMetadata().setUid("tpl-uid");
    AIMServiceTemplateSpec spec = new AIMServiceTemplateSpec();
    spec.modelName = "qwen3-32b";
    spec.metric = AIMMetric.latency;
    spec.precision = AIMPrecision.fp8;
    spec.hardware = new AIMHardwareRequirements();
    spec.hardware.gpu = new AIMGpuRequirements();
    spec.hardware.gpu.model = "MI300X";
    spec.hardware.gpu.requests = 1;
    spec.env = List.of(new EnvVar("HF_HUB_OFFLINE", "0", null));
    spec.profileId = "vllm-mi300x-fp8-tp1-latency";
    t.setSpec(spec);
    return t;
  }

  static DiscoveryJobManifest.Inputs inputs(AIMServiceTemplate t) {
    return new DiscoveryJobManifest.Inputs(
        t, t.getSpec(), IMAGE, List.of(new LocalObjectReference("registry-creds")), "aim-puller", "ml-team");
  }

  @Test
  void matchesTheGoldenManifest() throws IOException {
    Golden.check("discovery-job", DiscoveryJobManifest.build(inputs(template())));
  }

  @Test
  void envIsInTheReferenceOrderAndNoGpuIsRequested() {
    Job job = DiscoveryJobManifest.build(inputs(template()));
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv().stream().map(EnvVar::getName))
        .containsExactly(
            "AIM_LOG_LEVEL_ROOT", "AIM_LOG_LEVEL", "HF_HUB_OFFLINE", "AIM_METRIC", "AIM_PRECISION", "AIM_GPU_MODEL",
            "AIM_GPU_COUNT", "AIM_PROFILE_ID");
    assertThat(container.getResources()).isNull();
    assertThat(container.getArgs()).containsExactly("dry-run", "--format=json");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
  }

  @Test
  void nameCarriesAHashOfWhatDiscoveryDependsOn() {
    AIMServiceTemplate t = template();
    String name = DiscoveryJobManifest.name(inputs(t));
    assertThat(name).matches("discover-aim-qwen-qwen3-32b-1x-mi300x-lat-fp8-1a2b-[0-9a-f]{8}");
    assertThat(DiscoveryJobManifest.name(inputs(template()))).isEqualTo(name);

    t.getSpec().precision = AIMPrecision.fp16;
    assertThat(DiscoveryJobManifest.name(inputs(t))).isNotEqualTo(name);
  }

  @Test
  void longTemplateNamesAreCutToFitALabel() {
    AIMServiceTemplate t = template();
    t.getMetadata().setName("a-very-long-template-name-that-goes-on-and-on-and-on-beyond-the-limit");
    String name = DiscoveryJobManifest.name(inputs(t));
    assertThat(name).hasSizeLessThanOrEqualTo(63).startsWith("discover-a-very-long-template-name-that-goes-on-and");
  }

  @Test
  void aClusterTemplateWithoutEnvGetsOnlyTheAimVariables() {
    AIMClusterServiceTemplate t = new AIMClusterServiceTemplate();
    t.getMetadata().setName("cluster-tpl");
    t.getMetadata().setUid("uid");
    AIMClusterServiceTemplateSpec spec = new AIMClusterServiceTemplateSpec();
    spec.modelName = "m";
    t.setSpec(spec);
    Job job =
        DiscoveryJobManifest.build(new DiscoveryJobManifest.Inputs(t, spec, IMAGE, null, null, "aim-system"));
    assertThat(job.getMetadata().getNamespace()).isEqualTo("aim-system");
    assertThat(job.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("AIMClusterServiceTemplate");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream().map(EnvVar::getName))
        .containsExactly("AIM_LOG_LEVEL_ROOT", "AIM_LOG_LEVEL");
  }

  @Test
  void specHashChangesWithWhatIsDiscovered() {
    AIMServiceTemplate t = template();
    String hash = DiscoveryJobManifest.specHash(t.getSpec(), IMAGE);
    assertThat(hash).matches("[0-9a-f]{16}");
    t.getSpec().env = List.of();
    assertThat(DiscoveryJobManifest.specHash(t.getSpec(), IMAGE)).as("env does not reset the backoff").isEqualTo(hash);
    t.getSpec().metric = AIMMetric.throughput;
    assertThat(DiscoveryJobManifest.specHash(t.getSpec(), IMAGE)).isNotEqualTo(hash);
  }
}
