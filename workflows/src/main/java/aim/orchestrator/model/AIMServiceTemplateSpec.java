package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/** A namespaced runtime template: the common profile plus template-level caching. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMServiceTemplateSpec extends AIMServiceTemplateSpecCommon {
  public Caching caching;

  /** Cache the template's weights ahead of any service. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Caching {
    @Default("false")
    public Boolean enabled;

    /** Download-time environment (credentials by reference). */
    public List<EnvVar> env;
  }
}
