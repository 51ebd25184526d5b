package aim.orchestrator.starter.schedule;

import aim.orchestrator.crd.FieldError;
import java.util.List;

/** A schedule request that cannot be served: invalid, naming no schedule, or naming one that exists. */
public class CacheWarmingScheduleException extends RuntimeException {
  /** Why. */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    ALREADY_EXISTS
  }

  private final Kind kind;
  private final List<FieldError> errors;

  CacheWarmingScheduleException(Kind kind, String message, List<FieldError> errors) {
    super(message);
    this.kind = kind;
    this.errors = List.copyOf(errors);
  }

  static CacheWarmingScheduleException invalid(List<FieldError> errors) {
    return new CacheWarmingScheduleException(
        Kind.INVALID, "The schedule is invalid: " + errors.size() + (errors.size() == 1 ? " problem" : " problems"), errors);
  }

  static CacheWarmingScheduleException notFound(String scheduleId) {
    return new CacheWarmingScheduleException(Kind.NOT_FOUND, "Schedule " + scheduleId + " not found", List.of());
  }

  static CacheWarmingScheduleException exists(String scheduleId) {
    return new CacheWarmingScheduleException(Kind.ALREADY_EXISTS, "Schedule " + scheduleId + " already exists", List.of());
  }

  public Kind kind() {
    return kind;
  }

  /** The problems by field, for {@link Kind#INVALID}. */
  public List<FieldError> errors() {
    return errors;
  }
}
