package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** What the user asks for: which model, which template, how to cache, scale and route it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMServiceSpec {
  @JsonPropertyDescription("The model to serve: exactly one of name, image or custom.")
  @Required
  @ValidationRule(
      value = "(has(self.name) ? 1 : 0) + (has(self.image) ? 1 : 0) + (has(self.custom) ? 1 : 0) == 1",
      message = "exactly one of model.name, model.image or model.custom must be set")
  @ValidationRule(value = "self == oldSelf", message = "model is immutable")
  public AIMServiceModel model;

  @JsonPropertyDescription("Explicit runtime template, or auto-selection options.")
  @ValidationRule(value = "self == oldSelf", message = "template is immutable")
  public AIMServiceTemplateRef template;

  @JsonPropertyDescription("Model cache options.")
  public AIMServiceCaching caching;

  @JsonPropertyDescription("Deprecated and ignored: every service uses a template cache.")
  public Boolean cacheModel;

  @JsonPropertyDescription("Fixed number of replicas (default 1).")
  @Default("1")
  public Integer replicas;

  @JsonPropertyDescription("Autoscaling lower bound; scale to zero is not supported.")
  @Min(1)
  public Integer minReplicas;

  @JsonPropertyDescription("Autoscaling upper bound.")
  @Min(1)
  public Integer maxReplicas;

  @JsonPropertyDescription("KEDA autoscaling metrics.")
  public AIMServiceAutoScaling autoScaling;

  @JsonPropertyDescription("Runtime config to use; empty means the one named default.")
  public String runtimeConfigName;

  public AIMStorageConfig storage;
  public AIMRoutingConfig routing;

  @JsonPropertyDescription("Environment for the inference container; highest precedence.")
  public List<EnvVar> env;

  @JsonPropertyDescription("Container resources; highest precedence.")
  public ResourceRequirements resources;

  @JsonPropertyDescription("Metric, precision and hardware overrides of the template.")
  public AIMRuntimeParameters overrides;

  public List<LocalObjectReference> imagePullSecrets;
  public String serviceAccountName;

  /** How the service names its model. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AIMServiceModel {
    @JsonPropertyDescription("An AIMModel in the namespace, else an AIMClusterModel.")
    public String name;

    @JsonPropertyDescription("An AIM container image; a model with this image is found or created.")
    public String image;

    @JsonPropertyDescription("A custom model from inline model sources.")
    public AIMCustomModelSpec custom;
  }

  /** A custom model built from a base image and explicit weights. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AIMCustomModelSpec {
    @Required public String baseImage;

    @Required
    @ValidationRule(value = "size(self) >= 1", message = "at least one model source is required")
    @io.fabric8.generator.annotation.Size(min = 1, max = 1)
    public List<AIMModelSource> modelSources;

    @Required public AIMHardwareRequirements hardware;
  }

  /** Template choice. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AIMServiceTemplateRef {
    @JsonPropertyDescription("AIMServiceTemplate in the namespace, else AIMClusterServiceTemplate.")
    public String name;

    @JsonPropertyDescription("Let auto-selection use preview and unoptimized templates.")
    public Boolean allowUnoptimized;
  }

  /** Cache mode. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AIMServiceCaching {
    @Default("Shared")
    @ValidationRule(value = "self == oldSelf", message = "caching mode is immutable")
    public AIMCachingMode mode;
  }

  /** Shared caches outlive the service; Dedicated ones belong to it. Always/Auto/Never are legacy values. */
  public enum AIMCachingMode {
    Dedicated,
    Shared,
    Auto,
    Always,
    Never;

    /** The effective mode: Always and Auto mean Shared, Never means Dedicated. */
    public AIMCachingMode effective() {
      return switch (this) {
        case Dedicated, Never -> Dedicated;
        case Shared, Auto, Always -> Shared;
      };
    }
  }

  /** KEDA metrics. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AIMServiceAutoScaling {
    public List<AIMAutoScalingMetric> metrics;
  }

  /** One autoscaling metric. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AIMAutoScalingMetric {
    @Required public AIMAutoScalingMetricType type;
    public AIMPodMetric podmetric;
  }

  /** Only pod metrics are supported. */
  public enum AIMAutoScalingMetricType {
    PodMetric
  }

  /** A pod metric and its target. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AIMPodMetric {
    public AIMPodMetricSource metric;
    public AIMMetricTarget target;
  }

  /** Where the metric comes from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AIMPodMetricSource {
    @Default("opentelemetry")
    public AIMMetricBackend backend;

    @JsonPropertyDescription("Metrics server address (default keda-otel-scaler.keda.svc:4317).")
    public String serverAddress;

    public List<String> metricNames;
    public String query;

    @JsonPropertyDescription("last_one (default), avg, max, min, rate or count.")
    public String operationOverTime;
  }

  /** Metric backends. */
  public enum AIMMetricBackend {
    @JsonProperty("opentelemetry")
    opentelemetry
  }

  /** Scaling target. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AIMMetricTarget {
    @Required public AIMMetricTargetType type;
    public String value;
    public String averageValue;
    public Integer averageUtilization;
  }

  /** Target kinds. */
  public enum AIMMetricTargetType {
    Value,
    AverageValue,
    Utilization
  }
}
