package aim.orchestrator.activities.impl;

import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.ResourceStatusValue;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Small helpers to read other objects' health. */
final class Health {
  private Health() {}

  static AIMStatus of(ResourceStatusValue value) {
    return value == null ? AIMStatus.Pending : AIMStatus.valueOf(value.name());
  }

  static boolean conditionTrue(List<Condition> conditions, String type) {
    if (conditions == null) {
      return false;
    }
    return conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String conditionMessage(List<Condition> conditions, String type) {
    if (conditions == null) {
      return "";
    }
    return conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getMessage() == null ? "" : c.getMessage())
        .findFirst()
        .orElse("");
  }
}
