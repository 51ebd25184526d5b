package aim.orchestrator.activities.registry;

import aim.orchestrator.status.ErrorCategory;

/** A registry call that failed, with the category that decides what the status shows and whether to retry. */
public class RegistryException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Reason {
    /** The image, tag, repository or namespace does not exist (HTTP 404). */
    NOT_FOUND(ErrorCategory.MISSING_UPSTREAM),
    /** The registry refused the credentials, or needs some and has none (HTTP 401/403). */
    AUTH(ErrorCategory.AUTH),
    /** The registry could not be reached, timed out, or answered 429/5xx: worth retrying. */
    UNAVAILABLE(ErrorCategory.INFRASTRUCTURE),
    /** The reference is malformed, or the registry answered something this client cannot read. */
    INVALID(ErrorCategory.INVALID_SPEC);

    private final ErrorCategory category;

    Reason(ErrorCategory category) {
      this.category = category;
    }

    public ErrorCategory category() {
      return category;
    }
  }

  private final Reason reason;

  public RegistryException(Reason reason, String message) {
    this(reason, message, null);
  }

  public RegistryException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public boolean retryable() {
    return reason == Reason.UNAVAILABLE;
  }
}
