package aim.orchestrator.render;

import aim.orchestrator.config.RuntimeConfigMerge;
import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMTemplateCacheStatus;
import aim.orchestrator.model.Aim;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the KServe InferenceService of a service as the reference does (spec §3.8): an inline
 * {@code kserve-container} running the model image on port 8000, no ServingRuntime, env merged runtime config →
 * template → service, GPU resources from the resolved hardware, one read-only cache volume per artifact mounted at
 * {@code /workspace/cache/<modelId>}.
 */
public final class InferenceServiceRenderer {
  public static final String API_VERSION = "serving.kserve.io/v1beta1";
  public static final String KIND = "InferenceService";

  private InferenceServiceRenderer() {}

  /** Everything the InferenceService is made from; read by an activity, never carried in a workflow payload. */
  public record Inputs(
      String name,
      AIMService service,
      String modelImage,
      String templateName,
      String modelName,
      AIMServiceTemplateSpecCommon templateSpec,
      AIMServiceTemplateStatus templateStatus,
      AIMTemplateCacheStatus cacheStatus,
      AIMRuntimeConfigCommon runtimeConfig) {}

  public static GenericKubernetesResource render(Inputs in) {
    AIMService svc = in.service();
    var spec = svc.getSpec();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Aim.LABEL_APP_COMPONENT, "inference");
    labels.put(Aim.LABEL_MANAGED_BY, "aim-engine");
    labels.put(Aim.LABEL_TEMPLATE, in.templateName());
    labels.put(Aim.LABEL_SERVICE, svc.getMetadata().getName());
    labels.put(Aim.LABEL_SERVICE_NAME, svc.getMetadata().getName());
    labels.put(Aim.LABEL_MODEL, in.modelName());
    var profile = in.templateStatus() == null ? null : in.templateStatus().profile;
    if (profile != null && profile.metadata != null) {
      if (profile.metadata.metric != null) {
        labels.put(Aim.LABEL_METRIC, profile.metadata.metric);
      }
      if (profile.metadata.precision != null) {
        labels.put(Aim.LABEL_PRECISION, profile.metadata.precision);
      }
    }

    boolean autoscaling = spec.autoScaling != null || spec.minReplicas != null || spec.maxReplicas != null;
    Map<String, String> annotations = new LinkedHashMap<>();
    int min;
    int max;
    if (autoscaling) {
      annotations.put("serving.kserve.io/autoscalerClass", "keda");
      annotations.put("sidecar.opentelemetry.io/inject", in.name() + "-predictor");
      annotations.put("prometheus.kserve.io/port", "8000");
      min = spec.minReplicas != null ? spec.minReplicas : 1;
      max = spec.maxReplicas != null ? spec.maxReplicas : min;
    } else {
      annotations.put("serving.kserve.io/autoscalerClass", "none");
      min = spec.replicas != null ? spec.replicas : 1;
      max = min;
    }

    ObjectMeta meta =
        new ObjectMetaBuilder()
            .withName(in.name())
            .withNamespace(svc.getMetadata().getNamespace())
            .withLabels(
                Labels.withPropagated(
                    labels,
                    svc.getMetadata().getLabels(),
                    in.runtimeConfig() == null ? null : in.runtimeConfig().labelPropagation))
            .withAnnotations(annotations)
            .withOwnerReferences(Owners.controller(svc))
            .build();

    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", "kserve-container");
    container.put("image", in.modelImage());
    container.put("env", env(in).stream().map(InferenceServiceRenderer::envMap).toList());
    container.put("ports", List.of(Map.of("containerPort", 8000, "name", "http", "protocol", "TCP")));
    container.put("resources", resources(in));
    List<Map<String, Object>> mounts = new ArrayList<>();
    mounts.add(Map.of("name", "dshm", "mountPath", "/dev/shm"));
    List<Map<String, Object>> volumes = new ArrayList<>();
    volumes.add(Map.of("name", "dshm", "emptyDir", Map.of("medium", "Memory", "sizeLimit", "8Gi")));
    if (in.cacheStatus() != null && in.cacheStatus().artifacts != null) {
      for (var e : new TreeMap<>(in.cacheStatus().artifacts).entrySet()) {
        var a = e.getValue();
        if (!"Ready".equals(a.status) || a.persistentVolumeClaim == null) {
          continue;
        }
        String volume = e.getKey().toLowerCase().replace('.', '-');
        String mountPoint =
            a.mountPoint != null ? a.mountPoint : Aim.CACHE_MOUNT_ROOT + "/" + a.model.replace("..", "");
        mounts.add(Map.of("name", volume, "mountPath", mountPoint, "readOnly", true));
        volumes.add(Map.of("name", volume, "persistentVolumeClaim", Map.of("claimName", a.persistentVolumeClaim, "readOnly", true)));
      }
    }
    container.put("volumeMounts", mounts);

    Map<String, Object> predictor = new LinkedHashMap<>();
    predictor.put("minReplicas", min);
    predictor.put("maxReplicas", max);
    if (autoscaling && spec.autoScaling != null && spec.autoScaling.metrics != null && !spec.autoScaling.metrics.isEmpty()) {
      predictor.put("autoScaling", Map.of("metrics", spec.autoScaling.metrics.stream().map(InferenceServiceRenderer::metric).toList()));
    }
    if (in.templateStatus() != null && in.templateStatus().resolvedNodeAffinity != null) {
      predictor.put("affinity", Map.of("nodeAffinity", in.templateStatus().resolvedNodeAffinity));
    }
    if (spec.imagePullSecrets != null && !spec.imagePullSecrets.isEmpty()) {
      predictor.put("imagePullSecrets", spec.imagePullSecrets.stream().map(s -> Map.of("name", s.getName())).toList());
    }
    if (spec.serviceAccountName != null) {
      predictor.put("serviceAccountName", spec.serviceAccountName);
    }
    predictor.put("containers", List.of(container));
    predictor.put("volumes", volumes);

    GenericKubernetesResource isvc = new GenericKubernetesResource();
    isvc.setApiVersion(API_VERSION);
    isvc.setKind(KIND);
    isvc.setMetadata(meta);
    isvc.setAdditionalProperty("spec", Map.of("predictor", predictor));
    return isvc;
  }

  /** The OpenTelemetry scaler KEDA's add-on listens on, and the aggregation, when a metric does not say (seed 004). */
  public static final String DEFAULT_METRICS_SERVER = "keda-otel-scaler.keda.svc:4317";

  public static final String DEFAULT_OPERATION_OVER_TIME = "last_one";

  /** One AIM autoscaling metric as KServe's {@code autoScaling.metrics[]} entry, with seed 004's defaults filled in. */
  static Map<String, Object> metric(aim.orchestrator.model.AIMServiceSpec.AIMAutoScalingMetric m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", m.type == null ? "PodMetric" : m.type.name());
    if (m.podmetric != null) {
      Map<String, Object> pod = new LinkedHashMap<>();
      var src = m.podmetric.metric;
      if (src != null) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("backend", src.backend == null ? "opentelemetry" : src.backend.name());
        metric.put("serverAddress", src.serverAddress == null ? DEFAULT_METRICS_SERVER : src.serverAddress);
        if (src.metricNames != null) {
          metric.put("metricNames", src.metricNames);
        }
        if (src.query != null) {
          metric.put("query", src.query);
        }
        metric.put("operationOverTime", src.operationOverTime == null ? DEFAULT_OPERATION_OVER_TIME : src.operationOverTime);
        pod.put("metric", metric);
      }
      var t = m.podmetric.target;
      if (t != null) {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("type", t.type.name());
        if (t.value != null) {
          target.put("value", t.value);
        }
        if (t.averageValue != null) {
          target.put("averageValue", t.averageValue);
        }
        if (t.averageUtilization != null) {
          target.put("averageUtilization", t.averageUtilization);
        }
        pod.put("target", target);
      }
      out.put("podmetric", pod);
    }
    return out;
  }

  /**
   * Defaults, then runtime config, then the template's AIM_* parameters, then template env, then AIM_MODEL_ID for
   * inline sources, then service env — later wins, one entry per name, sorted by name (unlike the reference, no
   * duplicates: docs/differences.md).
   */
  static List<EnvVar> env(Inputs in) {
    List<EnvVar> defaults = new ArrayList<>();
    defaults.add(new EnvVar("AIM_CACHE_PATH", Aim.CACHE_MOUNT_ROOT, null));
    defaults.add(new EnvVar("VLLM_ENABLE_METRICS", "true", null));
    List<EnvVar> params = new ArrayList<>();
    var t = in.templateSpec();
    if (t.profileId != null && !t.profileId.isEmpty()) {
      params.add(new EnvVar("AIM_PROFILE_ID", t.profileId, null));
    }
    if (t.metric != null) {
      params.add(new EnvVar("AIM_METRIC", t.metric.name(), null));
    }
    if (t.precision != null) {
      params.add(new EnvVar("AIM_PRECISION", t.precision.name(), null));
    }
    List<EnvVar> modelId = new ArrayList<>();
    if (t.modelSources != null && !t.modelSources.isEmpty()) {
      modelId.add(new EnvVar("AIM_MODEL_ID", t.modelSources.get(0).modelId, null));
    }
    List<EnvVar> merged =
        RuntimeConfigMerge.mergeEnv(
            defaults,
            in.runtimeConfig() == null ? null : in.runtimeConfig().env,
            params,
            t.env,
            modelId,
            in.service().getSpec().env);
    List<EnvVar> out = merged == null ? new ArrayList<>() : new ArrayList<>(merged);
    out.sort(Comparator.comparing(EnvVar::getName));
    return out;
  }

  private static Map<String, Object> envMap(EnvVar e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", e.getName());
    if (e.getValue() != null) {
      m.put("value", e.getValue());
    }
    if (e.getValueFrom() != null) {
      m.put("valueFrom", e.getValueFrom());
    }
    return m;
  }

  /** GPU defaults per GPU (4 CPU, 32Gi requested, 48Gi limit), then template resources, then service resources. */
  static Map<String, Object> resources(Inputs in) {
    Map<String, Quantity> requests = new TreeMap<>();
    Map<String, Quantity> limits = new TreeMap<>();
    AIMGpuRequirements gpu =
        in.templateStatus() != null && in.templateStatus().resolvedHardware != null
            ? in.templateStatus().resolvedHardware.gpu
            : null;
    int count = gpu != null && gpu.requests != null ? gpu.requests : 0;
    if (count > 0) {
      String resource = gpu.resourceName != null && !gpu.resourceName.isEmpty() ? gpu.resourceName : Aim.DEFAULT_GPU_RESOURCE;
      requests.put("cpu", new Quantity(String.valueOf(4 * count)));
      requests.put("memory", new Quantity(32 * count + "Gi"));
      limits.put("memory", new Quantity(48 * count + "Gi"));
      requests.put(resource, new Quantity(String.valueOf(count)));
      limits.put(resource, new Quantity(String.valueOf(count)));
    }
    overlay(requests, limits, in.templateSpec().resources);
    overlay(requests, limits, in.service().getSpec().resources);
    Map<String, Object> out = new LinkedHashMap<>();
    if (!requests.isEmpty()) {
      out.put("requests", toStrings(requests));
    }
    if (!limits.isEmpty()) {
      out.put("limits", toStrings(limits));
    }
    return out;
  }

  private static void overlay(Map<String, Quantity> requests, Map<String, Quantity> limits, ResourceRequirements r) {
    if (r == null) {
      return;
    }
    if (r.getRequests() != null) {
      requests.putAll(r.getRequests());
    }
    if (r.getLimits() != null) {
      limits.putAll(r.getLimits());
    }
  }

  private static Map<String, String> toStrings(Map<String, Quantity> q) {
    Map<String, String> out = new TreeMap<>();
    q.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }
}
