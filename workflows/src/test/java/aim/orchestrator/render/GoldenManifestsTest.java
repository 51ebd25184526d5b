package aim.orchestrator.render;

import aim.orchestrator.model.AIMCpuRequirements;
import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMMetric;
import aim.orchestrator.model.AIMModelSource;
import aim.orchestrator.model.AIMPrecision;
import aim.orchestrator.model.AIMProfileType;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMTemplateCacheStatus;
import aim.orchestrator.naming.DerivedNames;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files of the InferenceService and HTTPRoute renderers (src/test/resources/golden). A change in what lands
 * in the cluster shows as a diff here; rewrite the files with {@code -Daim.golden.update=true} after checking it.
 */
class GoldenManifestsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "isvc-fixed-replicas",
        "isvc-autoscaling-metric",
        "isvc-cpu-only",
        "isvc-several-artifacts",
        "isvc-env-precedence",
        "isvc-label-propagation"
      })
  void inferenceService(String scenario) throws IOException {
    Case c = new Case();
    switch (scenario) {
      case "isvc-fixed-replicas" -> c.svc.getSpec().replicas = 3;
      case "isvc-autoscaling-metric" -> {
        c.svc.getSpec().minReplicas = 1;
        c.svc.getSpec().maxReplicas = 3;
        var m = new AIMServiceSpec.AIMAutoScalingMetric();
        m.type = AIMServiceSpec.AIMAutoScalingMetricType.PodMetric;
        m.podmetric = new AIMServiceSpec.AIMPodMetric();
        m.podmetric.metric = new AIMServiceSpec.AIMPodMetricSource();
        m.podmetric.metric.metricNames = List.of("vllm:num_requests_running");
        m.podmetric.metric.query = "vllm:num_requests_running";
        m.podmetric.metric.operationOverTime = "avg";
        m.podmetric.target = new AIMServiceSpec.AIMMetricTarget();
        m.podmetric.target.type = AIMServiceSpec.AIMMetricTargetType.Value;
        m.podmetric.target.value = "1";
        c.svc.getSpec().autoScaling = new AIMServiceSpec.AIMServiceAutoScaling();
        c.svc.getSpec().autoScaling.metrics = List.of(m);
      }
      case "isvc-cpu-only" -> {
        c.template.hardware = new AIMHardwareRequirements();
        c.template.hardware.cpu = new AIMCpuRequirements();
        c.template.hardware.cpu.requests = new Quantity("8");
        c.templateStatus.resolvedHardware = c.template.hardware;
        c.templateStatus.resolvedNodeAffinity = null;
      }
      case "isvc-several-artifacts" -> c.cache.artifacts.put("hf---qwen-qwen3-0-6b-0123456789", entry("Qwen/Qwen3-0.6B", "Ready", "draft-pvc"));
      case "isvc-env-precedence" -> {
        c.runtimeConfig.env = List.of(new EnvVar("HF_HUB_OFFLINE", "0", null), new EnvVar("AIM_ENGINE_ARGS", "{\"max-model-len\":4096,\"swap-space\":8}", null));
        c.template.env = List.of(new EnvVar("HF_HUB_OFFLINE", "1", null), new EnvVar("AIM_ENGINE_ARGS", "{\"max-model-len\":8192}", null));
        c.svc.getSpec().env =
            List.of(
                new EnvVarBuilder().withName("HF_TOKEN").withNewValueFrom().withNewSecretKeyRef("token", "hf-token", false).endValueFrom().build(),
                new EnvVar("AIM_PRECISION", "fp8", null));
      }
      case "isvc-label-propagation" -> {
        c.svc.getMetadata().setLabels(Map.of("team", "ML Platform", "env", "prod", "aim.eai.amd.com/tier", "gold"));
        c.runtimeConfig.labelPropagation = new AIMRuntimeConfigCommon.LabelPropagation();
        c.runtimeConfig.labelPropagation.enabled = true;
        c.runtimeConfig.labelPropagation.match = List.of("team");
      }
      default -> throw new IllegalArgumentException(scenario);
    }
    check(scenario, InferenceServiceRenderer.render(c.inputs()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"route-default-path", "route-namespace-name", "route-label", "route-annotation-timeout"})
  void httpRoute(String scenario) throws IOException {
    Case c = new Case();
    Consumer<AIMService> edit = s -> {};
    String template = null;
    String timeout = null;
    Map<String, String> annotations = new LinkedHashMap<>();
    switch (scenario) {
      case "route-default-path" -> {}
      case "route-namespace-name" -> template = "/{.metadata.namespace}/{.metadata.name}";
      case "route-label" -> {
        c.svc.getMetadata().setLabels(Map.of("team", "ML Platform"));
        template = "/teams/{.metadata.labels['team']}/{.metadata.name}";
      }
      case "route-annotation-timeout" -> {
        c.svc.getMetadata().setAnnotations(Map.of("example.com/route", "chat"));
        template = "/{.metadata.annotations['example.com/route']}";
        timeout = "120s";
        annotations.put("cluster-auth/allowed-group", "ml-team");
      }
      default -> throw new IllegalArgumentException(scenario);
    }
    edit.accept(c.svc);
    String path = template == null ? HttpRouteRenderer.defaultPath(c.svc) : HttpRouteRenderer.renderPath(template, c.svc);
    String name = DerivedNames.httpRoute("qwen3-chat", "ml-team");
    check(
        scenario,
        HttpRouteRenderer.render(
            c.svc, name, name, new ParentReferenceBuilder().withName("aim-gateway").withNamespace("aim-system").build(), path, timeout, annotations));
  }

  private static void check(String scenario, Object manifest) throws IOException {
    aim.orchestrator.testing.Golden.check(scenario, manifest);
  }

  private static AIMTemplateCacheStatus.ArtifactEntry entry(String model, String status, String pvc) {
    var e = new AIMTemplateCacheStatus.ArtifactEntry();
    e.model = model;
    e.status = status;
    e.persistentVolumeClaim = pvc;
    return e;
  }

  /** The service of spec §3.8's example, with its resolved model, template, cache and runtime config. */
  private static final class Case {
    final AIMService svc = new AIMService();
    final AIMServiceTemplateSpec template = new AIMServiceTemplateSpec();
    final AIMServiceTemplateStatus templateStatus = new AIMServiceTemplateStatus();
    final AIMTemplateCacheStatus cache = new AIMTemplateCacheStatus();
    final AIMRuntimeConfigCommon runtimeConfig = new AIMRuntimeConfigCommon();

    Case() {
      svc.getMetadata().setName("qwen3-chat");
      svc.getMetadata().setNamespace("ml-team");
      svc.getMetadata().setUid("11111111-2222-3333-4444-555555555555");
      svc.setSpec(new AIMServiceSpec());
      template.modelName = "aim-qwen-qwen3-32b-0-8-5-cdc1fb22";
      template.metric = AIMMetric.latency;
      template.precision = AIMPrecision.fp16;
      template.type = AIMProfileType.optimized;
      template.hardware = new AIMHardwareRequirements();
      template.hardware.gpu = new AIMGpuRequirements();
      template.hardware.gpu.requests = 1;
      template.hardware.gpu.model = "MI300X";
      templateStatus.resolvedHardware = template.hardware;
      templateStatus.profile = new AIMServiceTemplateStatus.Profile();
      templateStatus.profile.metadata = new AIMServiceTemplateStatus.ProfileMetadata();
      templateStatus.profile.metadata.metric = "latency";
      templateStatus.profile.metadata.precision = "fp16";
      templateStatus.resolvedNodeAffinity = aim.orchestrator.render.GoldenManifestsTest.affinity();
      cache.artifacts = new LinkedHashMap<>();
      cache.artifacts.put("hf---qwen-qwen3-32b-c00b812b59", entry("Qwen/Qwen3-32B", "Ready", "hf---qwen-qwen3-32b-c00b812b59-cache-0a1b2c3d"));
    }

    InferenceServiceRenderer.Inputs inputs() {
      return new InferenceServiceRenderer.Inputs(
          DerivedNames.inferenceService("qwen3-chat", "ml-team"),
          svc,
          "amdenterpriseai/aim-qwen-qwen3-32b:0.8.5",
          "qwen3-32b-mi300x-fp16-latency",
          template.modelName,
          template,
          templateStatus,
          cache,
          runtimeConfig);
    }
  }

  static io.fabric8.kubernetes.api.model.NodeAffinity affinity() {
    return new io.fabric8.kubernetes.api.model.NodeAffinityBuilder()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey("amd.com/gpu.device-id")
        .withOperator("In")
        .withValues(aim.orchestrator.hardware.GpuInventory.deviceIds("MI300X"))
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .build();
  }
}
