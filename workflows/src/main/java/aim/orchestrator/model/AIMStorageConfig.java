package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Storage defaults for model caches. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMStorageConfig {
  @JsonPropertyDescription("Storage class for cache PVCs; empty means the cluster default.")
  public String defaultStorageClassName;

  @JsonPropertyDescription("Extra PVC space on top of the model size, in percent (default 10).")
  @Min(0)
  public Integer pvcHeadroomPercent;
}
