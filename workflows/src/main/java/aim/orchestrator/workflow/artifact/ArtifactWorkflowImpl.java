package aim.orchestrator.workflow.artifact;

import aim.orchestrator.activity.CacheActivities;
import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.TransferActivities;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;

/** See {@link ArtifactWorkflow}. */
public class ArtifactWorkflowImpl extends ReconcilingWorkflow implements ArtifactWorkflow {
  /**
   * Change ID: the download stage starts the Job and then follows it with a heartbeating activity on the transfers
   * queue (progress from the Pod's log, failures classified, retried with a fresh Job) — docs/workflows.md.
   */
  static final String DOWNLOAD_ATTEMPTS = "artifact-download-attempts";

  private final CacheActivities cache = ActivityStubs.cache();
  private final TransferActivities transfers = ActivityStubs.transfers();

  @Override
  protected void reconcile(Observation observation) {
    int version = Workflow.getVersion(DOWNLOAD_ATTEMPTS, Workflow.DEFAULT_VERSION, 1);
    if (!stage("RuntimeConfig", () -> resources.runtimeConfig(ref))) {
      return;
    }
    if (!stage("CachePvc", () -> cache.artifactStorage(ref))) {
      return;
    }
    if (version == Workflow.DEFAULT_VERSION) {
      if (!stage("DownloadJob", () -> cache.artifactDownload(ref))) {
        return;
      }
      done();
      return;
    }
    StageResult[] started = new StageResult[1];
    boolean ready =
        stage(
            "DownloadJob",
            () -> {
              started[0] = cache.artifactStartDownload(ref);
              return started[0];
            });
    if (!ready && started[0] != null && started[0].output() != null) {
      // The Job runs: follow it until it ends, its Pod is stuck, or the activity's time budget is used up.
      ready = stage("DownloadJob", this::awaitDownload);
    }
    if (ready) {
      done();
    }
  }

  private StageResult awaitDownload() {
    try {
      return transfers.awaitDownload(ref);
    } catch (ActivityFailure failure) {
      StageResult failed = DownloadFailures.of(failure);
      if (failed == null) {
        throw failure;
      }
      return failed;
    }
  }
}
