package aim.orchestrator.status;

import aim.orchestrator.model.AIMStatus;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The observed health of one component of a resource (its model, template, cache, InferenceService, …). Each
 * becomes a {@code <component>Ready} condition; together they decide the resource's status.
 *
 * @param component CamelCase component name, e.g. {@code Model}; the condition is {@code ModelReady}
 * @param state the component's state; {@code Ready} means healthy
 * @param reason CamelCase reason for the condition
 * @param message human-readable detail
 * @param error error category when the component is unhealthy because of an error, else null
 * @param dependency whether the resource needs this component (upstream) or makes it (downstream)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ComponentHealth(
    String component,
    AIMStatus state,
    String reason,
    String message,
    ErrorCategory error,
    DependencyType dependency) {

  public static ComponentHealth ready(String component, String reason, String message, DependencyType dependency) {
    return new ComponentHealth(component, AIMStatus.Ready, reason, message, null, dependency);
  }

  public static ComponentHealth of(
      String component, AIMStatus state, String reason, String message, DependencyType dependency) {
    return new ComponentHealth(component, state, reason, message, null, dependency);
  }

  public static ComponentHealth error(
      String component, ErrorCategory error, String reason, String message, DependencyType dependency) {
    return new ComponentHealth(component, stateFor(error), reason, message, error, dependency);
  }

  @JsonIgnore
  public boolean isReady() {
    return state == AIMStatus.Ready;
  }

  @JsonIgnore
  public String conditionType() {
    return component + "Ready";
  }

  /** The reference's default state for an error category (health.go DeriveStateFromErrors). */
  static AIMStatus stateFor(ErrorCategory error) {
    return switch (error) {
      case AUTH, RESOURCE_EXHAUSTION, INVALID_SPEC -> AIMStatus.Failed;
      case MISSING_UPSTREAM, INFRASTRUCTURE -> AIMStatus.Degraded;
      case MISSING_DOWNSTREAM -> AIMStatus.Progressing;
    };
  }
}
