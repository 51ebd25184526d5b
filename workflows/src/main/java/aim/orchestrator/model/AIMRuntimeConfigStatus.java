package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Runtime configs are read by the other workflows; their own status is conditions only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMRuntimeConfigStatus implements HasConditions {
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();

  @Override
  public List<Condition> conditions() {
    return conditions;
  }
}
