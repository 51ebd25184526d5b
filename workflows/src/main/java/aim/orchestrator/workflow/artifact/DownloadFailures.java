package aim.orchestrator.workflow.artifact;

import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.CacheReasons;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.DependencyType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;

/**
 * What the artifact reports when following its download failed even after Temporal's retries: the failure's type is
 * the downloader's classified reason ({@code VerificationFailed}, {@code DownloadStalled}, …), which becomes the
 * reason of {@code DownloadJobPodsReady} and {@code DownloadJobReady}. Pure: runs in the workflow.
 */
public final class DownloadFailures {
  /** Reason for a failed download without a more precise classification. */
  public static final String DOWNLOAD_FAILED = "DownloadFailed";

  private DownloadFailures() {}

  /**
   * The status of a failed download, or null when the failure is not a download failure (Kubernetes API outages,
   * timeouts, a replaced artifact): those go the usual way ({@code InfrastructureError}).
   */
  public static StageResult of(ActivityFailure failure) {
    if (!(failure.getCause() instanceof ApplicationFailure cause)) {
      return null;
    }
    String reason = cause.getType();
    if (!CacheReasons.DOWNLOAD.contains(reason) && !DOWNLOAD_FAILED.equals(reason)) {
      return null;
    }
    String message = cause.getOriginalMessage();
    DependencyType d = DependencyType.DOWNSTREAM;
    return new StageResult(
        List.of(
            ComponentHealth.of("DownloadJobPods", AIMStatus.Failed, reason, message, d),
            ComponentHealth.of("DownloadJob", AIMStatus.Failed, reason, "The download failed after retries: " + message, d)),
        Map.of(),
        null,
        null,
        List.of(
            ConditionSpec.isFalse(
                "DownloadComplete", "VerificationFailed".equals(reason) ? "VerificationFailed" : "Downloading", message)));
  }
}
