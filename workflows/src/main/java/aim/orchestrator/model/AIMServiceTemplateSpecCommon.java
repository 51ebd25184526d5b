package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** The runtime profile of a model: what AIMServiceTemplate and AIMClusterServiceTemplate share. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMServiceTemplateSpecCommon {
  @JsonPropertyDescription("Name of the AIMModel (same namespace) or AIMClusterModel (cluster templates).")
  @Required
  @Size(min = 1)
  @ValidationRule(value = "self == oldSelf", message = "modelName is immutable")
  public String modelName;

  @ValidationRule(value = "self == oldSelf", message = "metric is immutable")
  public AIMMetric metric;

  @ValidationRule(value = "self == oldSelf", message = "precision is immutable")
  public AIMPrecision precision;

  @ValidationRule(value = "self == oldSelf", message = "hardware is immutable")
  public AIMHardwareRequirements hardware;

  public String runtimeConfigName;
  public List<LocalObjectReference> imagePullSecrets;
  public String serviceAccountName;
  public ResourceRequirements resources;

  @JsonPropertyDescription("Weights given inline; discovery is skipped when set.")
  public List<AIMModelSource> modelSources;

  @JsonPropertyDescription("Profile to run, passed to the AIM container as AIM_PROFILE_ID.")
  public String profileId;

  public AIMProfileType type;
  public List<EnvVar> env;
}
