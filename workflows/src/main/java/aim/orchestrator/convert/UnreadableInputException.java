package aim.orchestrator.convert;

/** An input that is not YAML (or not a sequence of YAML documents); nothing is converted. */
public final class UnreadableInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnreadableInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
