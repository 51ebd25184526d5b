package aim.orchestrator.selection;

import aim.orchestrator.model.AIMScope;
import java.util.List;

/**
 * The outcome of auto-selection: the chosen template or why there is none, and what happened to each candidate.
 *
 * @param chosen the chosen template's name, or null
 * @param chosenScope its scope, or null
 * @param outcome {@link Outcome}
 * @param message human-readable explanation
 * @param candidates one line per candidate: the stage that rejected it, or "Selected" / "Eligible"
 */
public record Selection(String chosen, AIMScope chosenScope, Outcome outcome, String message, List<CandidateResult> candidates) {

  /** Why selection ended where it did. */
  public enum Outcome {
    /** A single best template. */
    Selected,
    /** Templates exist for the model but none is Ready yet (service Pending, reason TemplateNotReady). */
    TemplatesExistButNotReady,
    /** No templates for the model at all. */
    NoCandidates,
    /** All optimized templates filtered out; allowUnoptimized would admit some. */
    UnoptimizedFiltered,
    /** No candidate matches the service's overrides. */
    ServiceOverridesNotMatched,
    /** No candidate's GPU exists in the cluster. */
    RequiredGPUNotInCluster,
    /** Several candidates tie on the best score. */
    TemplateSelectionAmbiguous
  }

  /**
   * One candidate's fate.
   *
   * @param name template
   * @param scope scope
   * @param stage Availability, Optimization, Overrides, GPU, Scope, Scoring — where it was decided
   * @param result Selected, Rejected, Tied or Outscored
   * @param reason short reason, e.g. TemplateProgressing, Unoptimized, MetricMismatch
   */
  public record CandidateResult(String name, AIMScope scope, String stage, String result, String reason) {}
}
