package aim.orchestrator.metadata;

/** An image label that the AIM label contract cannot read; the message names the label and the reason. */
public class InvalidImageLabelsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String label;

  public InvalidImageLabelsException(String label, String reason, Throwable cause) {
    super("image label " + label + " is not valid: " + reason, cause);
    this.label = label;
  }

  /** The full key of the offending label, e.g. {@code com.amd.aim.model.recommendedDeployments}. */
  public String label() {
    return label;
  }
}
