package aim.orchestrator.activities.impl;

import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.ResourceStatusValue;

/** Small helpers to read other objects' health. */
final class Health {
  private Health() {}

  static AIMStatus of(ResourceStatusValue value) {
    return value == null ? AIMStatus.Pending : AIMStatus.valueOf(value.name());
  }
}
