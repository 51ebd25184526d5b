package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/** Defaults for storage, routing, env and label propagation, shared by both runtime-config kinds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMRuntimeConfigCommon {
  public AIMStorageConfig storage;
  public AIMRoutingConfig routing;
  public List<EnvVar> env;
  public ModelConfig model;
  public LabelPropagation labelPropagation;

  @JsonPropertyDescription("Deprecated: use storage.defaultStorageClassName.")
  public String defaultStorageClassName;

  @JsonPropertyDescription("Deprecated: use storage.pvcHeadroomPercent.")
  @Min(0)
  public Integer pvcHeadroomPercent;

  /** Model defaults. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ModelConfig {
    public Boolean autoDiscovery;
  }

  /** Which user labels are copied from a parent to the objects made for it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LabelPropagation {
    @Default("false")
    public Boolean enabled;

    @JsonPropertyDescription("Glob patterns of label keys to propagate.")
    public List<String> match;
  }
}
