package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Sync results. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMClusterModelSourceStatus implements HasConditions {
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
  public String status;
  public String lastSyncTime;
  public Integer discoveredModels;
  public Integer availableModels;
  public Boolean modelsLimitReached;

  @Override
  public List<Condition> conditions() {
    return conditions;
  }
}
