package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/** Where the weights come from and where they go. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMArtifactSpec {
  @JsonPropertyDescription("hf://org/model or s3://bucket/path.")
  @Required
  @Size(min = 1)
  @Pattern("^(hf|s3)://[^ \\t\\r\\n]+$")
  @ValidationRule(value = "self == oldSelf", message = "sourceUri is immutable")
  public String sourceUri;

  @Pattern("^[a-zA-Z0-9_-]+/[a-zA-Z0-9._-]+$")
  public String modelId;

  public String storageClassName;

  @JsonPropertyDescription("Size of the weights; zero or absent runs a check-size step.")
  public Quantity size;

  public List<EnvVar> env;

  @Default(Aim.DEFAULT_DOWNLOAD_IMAGE)
  public String modelDownloadImage;

  public List<LocalObjectReference> imagePullSecrets;
  public String runtimeConfigName;
}
