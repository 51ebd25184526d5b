package aim.orchestrator.recipes;

/** A profile the selection did not choose, and why. */
public record Rejection(Profile profile, Reason reason, String detail) {

  /** Why a profile was not chosen, in the order the checks run. */
  public enum Reason {
    DISABLED("disabled"),
    DUPLICATE_PROFILE_ID("duplicate profile id"),
    PROFILE_ID_MISMATCH("profile id mismatch"),
    ENGINE_MISMATCH("engine mismatch"),
    METRIC_MISMATCH("metric mismatch"),
    MODEL_MISMATCH("model mismatch"),
    GPU_MISMATCH("gpu mismatch"),
    GPU_COUNT_MISMATCH("gpu count mismatch"),
    PRECISION_MISMATCH("precision mismatch"),
    MANUAL_SELECTION_ONLY("manual selection only"),
    OUTRANKED("outranked");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
