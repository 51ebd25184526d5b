package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Status of a template cache: its artifacts by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMTemplateCacheStatus implements HasConditions {
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
  public ResourceStatusValue status;
  public AIMResolvedReference resolvedRuntimeConfig;
  public String resolvedTemplateKind;
  public Map<String, ArtifactEntry> artifacts;

  @Override
  public List<Condition> conditions() {
    return conditions;
  }

  /** One artifact of the cache. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ArtifactEntry {
    public String uid;
    public String name;
    public String model;
    public String status;
    public String persistentVolumeClaim;
    public String mountPoint;
  }
}
