package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

/** Which template's weights to cache, and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMTemplateCacheSpec {
  @Required
  @Size(min = 1)
  public String templateName;

  @Required public AIMScope templateScope;

  /** Download-time environment (credentials by reference). */
  public List<EnvVar> env;

  public List<LocalObjectReference> imagePullSecrets;
  public String storageClassName;
  public String downloadImage;
  public List<AIMModelSource> modelSources;
  public String runtimeConfigName;

  @Default("Shared")
  public Mode mode;

  /** Shared caches are reused across services; Dedicated ones belong to one service. */
  public enum Mode {
    Dedicated,
    Shared
  }
}
