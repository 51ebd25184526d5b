package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

/** Which registry images become AIMClusterModels. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMClusterModelSourceSpec {
  @Default("docker.io")
  public String registry;

  public List<LocalObjectReference> imagePullSecrets;

  @Required
  @Size(min = 1, max = 100)
  public List<Filter> filters;

  @Default("1h")
  public String syncInterval;

  public List<String> versions;

  @Default("100")
  @Min(1)
  @Max(10000)
  public Integer maxModels;

  /** One image filter: an exact image, a repository, or a wildcard. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Filter {
    @Required
    @Size(max = 512)
    public String image;

    public List<String> exclude;
    public List<String> versions;
  }
}
