package aim.orchestrator.model;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** A status with a condition list, so one condition helper serves every kind. */
public interface HasConditions {
  List<Condition> conditions();
}
