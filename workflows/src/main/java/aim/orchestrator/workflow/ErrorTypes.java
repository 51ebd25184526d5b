package aim.orchestrator.workflow;

/** Failure types activities raise; the names become {@code ApplicationFailure} types. */
public enum ErrorTypes {
  /** 5xx, 429, conflicts, timeouts, network: retried with backoff. */
  Infrastructure,
  /** The spec cannot work; not retried. */
  InvalidSpec,
  /** A referenced object does not exist; not retried. */
  ReferenceNotFound,
  /** 401/403; not retried. */
  Auth,
  /** The object was deleted and re-created with a new UID; the workflow re-observes. */
  ResourceReplaced,
  /**
   * A workflow's input cannot be served: a non-canonical workflow ID, a kind the workflow type does not run, or a
   * resource that does not exist and no spec to create it from. Fails the workflow at once.
   */
  InvalidInput;

  /** Types that a retry cannot fix. */
  public static String[] nonRetryable() {
    return new String[] {InvalidSpec.name(), ReferenceNotFound.name(), Auth.name(), ResourceReplaced.name()};
  }
}
