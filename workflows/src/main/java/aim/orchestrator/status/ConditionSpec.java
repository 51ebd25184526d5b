package aim.orchestrator.status;

/**
 * A condition the status engine wants on a resource, without timestamps (the activity that writes it keeps
 * {@code lastTransitionTime} unless the status changes).
 *
 * @param type condition type
 * @param status "True", "False" or "Unknown"
 * @param reason CamelCase reason
 * @param message detail
 * @param onlyIfPresent write it only if the resource already has a condition of this type (the framework's
 *     "flip back to True only after having been False" rule)
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record ConditionSpec(String type, String status, String reason, String message, boolean onlyIfPresent) {
  public static ConditionSpec isTrue(String type, String reason, String message) {
    return new ConditionSpec(type, "True", reason, message, false);
  }

  public static ConditionSpec isFalse(String type, String reason, String message) {
    return new ConditionSpec(type, "False", reason, message, false);
  }
}
