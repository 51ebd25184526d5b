package aim.orchestrator.status;

/**
 * Why a component is unhealthy, in the categories the reference's state engine uses. Auth, invalid-spec and
 * missing-upstream errors fail the resource and block every write of child objects; infrastructure errors are
 * retried and, if they persist, degrade it.
 */
public enum ErrorCategory {
  AUTH,
  INVALID_SPEC,
  MISSING_UPSTREAM,
  MISSING_DOWNSTREAM,
  INFRASTRUCTURE,
  RESOURCE_EXHAUSTION;

  /** Errors that make the resource Failed and stop it from writing children. */
  public boolean blocking() {
    return this == AUTH || this == INVALID_SPEC || this == MISSING_UPSTREAM;
  }

  /**
   * Categorises a Kubernetes API status code the way the reference does: 401/403 auth, 409/429/5xx and unknown
   * infrastructure, 404 a missing downstream object, other 4xx an invalid spec.
   */
  public static ErrorCategory fromHttpStatus(int code) {
    if (code == 401 || code == 403) {
      return AUTH;
    }
    if (code == 404) {
      return MISSING_DOWNSTREAM;
    }
    if (code == 409 || code == 429 || code == 408 || code >= 500 || code <= 0) {
      return INFRASTRUCTURE;
    }
    if (code >= 400) {
      return INVALID_SPEC;
    }
    return INFRASTRUCTURE;
  }
}
