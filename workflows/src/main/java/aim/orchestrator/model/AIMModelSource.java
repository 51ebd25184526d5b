package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/** One set of model weights a profile needs, and where to download it from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMModelSource {
  @JsonPropertyDescription("Model id (org/name); the cache is mounted at /workspace/cache/{modelId}.")
  @Required
  @Pattern("^[a-zA-Z0-9_-]+/[a-zA-Z0-9._-]+$")
  public String modelId;

  @JsonPropertyDescription("Download location: hf://org/model or s3://bucket/path.")
  @Pattern("^(hf|s3)://[^ \\t\\r\\n]+$")
  public String sourceUri;

  @JsonPropertyDescription("Size of the weights; discovered by a check-size step when absent.")
  public Quantity size;

  @JsonPropertyDescription("Per-source environment, e.g. credential overrides.")
  public List<EnvVar> env;
}
