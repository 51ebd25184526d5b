package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** A model in the catalog: an AIM container image, or a base image with custom weights. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.modelSources) || size(self.modelSources) == 0 || (has(self.custom) && has(self.custom.hardware))"
            + " || (has(self.customTemplates) && self.customTemplates.all(t, has(t.hardware)))",
    message = "custom models need hardware in custom.hardware or on every customTemplates entry")
public class AIMModelSpec {
  @JsonPropertyDescription("The AIM container image.")
  @Required
  @Size(min = 1)
  public String image;

  public Discovery discovery;

  @JsonPropertyDescription("Template to use when a service names this model without a template.")
  public String defaultServiceTemplate;

  public Custom custom;

  @Size(max = 16)
  public List<CustomTemplate> customTemplates;

  @JsonPropertyDescription("Explicit weights; their presence makes this a custom model (no discovery).")
  @Size(max = 1)
  public List<AIMModelSource> modelSources;

  public String runtimeConfigName;
  public List<LocalObjectReference> imagePullSecrets;
  public List<EnvVar> env;
  public String serviceAccountName;
  public ResourceRequirements resources;

  @JsonPropertyDescription("Image metadata given inline (air-gapped); no registry read when set.")
  public ImageMetadata imageMetadata;

  /** Discovery switches; both default to true. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Discovery {
    @Default("true")
    public Boolean extractMetadata;

    @Default("true")
    public Boolean createServiceTemplates;
  }

  /** Hardware and type of a custom model. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Custom {
    public AIMHardwareRequirements hardware;
    public AIMProfileType type;
  }

  /** An extra template to create for this model. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CustomTemplate {
    @Size(max = 63)
    public String name;

    @Default("unoptimized")
    public AIMProfileType type;

    @Size(max = 64)
    public List<EnvVar> env;

    public AIMHardwareRequirements hardware;
    public Profile profile;
  }

  /** Metric and precision of a custom template. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Profile {
    public AIMMetric metric;
    public AIMPrecision precision;
  }
}
