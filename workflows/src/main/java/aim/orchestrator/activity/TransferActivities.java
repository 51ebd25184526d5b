package aim.orchestrator.activity;

import aim.orchestrator.workflow.ResourceRef;
import io.temporal.activity.ActivityInterface;

/**
 * Activities that follow model transfers running in Jobs on the cluster (task queue {@code aim-transfers}). They
 * heartbeat while they wait, so a lost worker is noticed by the heartbeat timeout and another one takes over the
 * same Job.
 */
@ActivityInterface(namePrefix = "Transfer")
public interface TransferActivities {
  /**
   * Follows the artifact's download Job: writes the downloader's progress (its JSON progress lines in the Pod's log)
   * to {@code status.progress} every few seconds, and returns when the Job completes (Ready {@code Verified}), fails
   * for a reason a retry cannot fix ({@code SourceNotFound}, {@code AuthError}, {@code StorageFull}), its Pod is
   * stuck, or after a time budget (Progressing; the workflow calls again). A failure a retry may fix
   * ({@code VerificationFailed}, {@code DownloadStalled}, {@code PodOOMKilled}, {@code DownloadFailed}) is thrown
   * with that type, so Temporal's retry policy backs off and the next attempt replaces the failed Job with a fresh one.
   */
  StageResult awaitDownload(ResourceRef artifact);

  /**
   * Re-verifies a Ready artifact: a fresh verify Job on its PVC runs the downloader in verify mode (every file hashed
   * against the source's listing, missing or corrupt files fetched again) and this activity follows it. Failures are
   * reported in the result, not thrown; an artifact that is not Ready is reported as such and left alone.
   */
  ArtifactVerification verifyArtifact(ResourceRef artifact);
}
