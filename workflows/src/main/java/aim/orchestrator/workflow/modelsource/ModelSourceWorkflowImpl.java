package aim.orchestrator.workflow.modelsource;

import aim.orchestrator.activity.ModelSourceActivities;
import aim.orchestrator.activity.ModelSourceSync;
import aim.orchestrator.activity.Observation;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * See {@link ModelSourceWorkflow}. Every pass re-observes the source (wake-ups come from spec changes, the watch
 * bridge's resync and status changes), but the registry is only listed when a sync is due: on the run's first pass,
 * when the spec's generation changed, or when {@code syncInterval} has passed since the last sync (workflow time,
 * so replay-safe). Between syncs a pass repeats the last sync's result, which writes nothing new.
 */
public class ModelSourceWorkflowImpl extends ReconcilingWorkflow implements ModelSourceWorkflow {
  private static final String STAGE = "Filters";

  private final ModelSourceActivities sources = ActivityStubs.modelSources();
  private ModelSourceSync last;
  private long lastSyncAt;
  private boolean lastPassSynced;

  @Override
  protected void reconcile(Observation observation) {
    lastPassSynced = false;
    if (!stage(STAGE, () -> syncIfDue(observation).result())) {
      return;
    }
    done();
  }

  private ModelSourceSync syncIfDue(Observation observation) {
    long now = Workflow.currentTimeMillis();
    boolean due = last == null || last.generation() != observation.generation() || now - lastSyncAt >= last.syncIntervalMillis();
    if (due) {
      last = sources.sync(ref);
      lastSyncAt = now;
    }
    lastPassSynced = true;
    return last;
  }

  /** Sleep until the next sync is due; after a pass that could not sync (Kubernetes unreachable), the backoff. */
  @Override
  protected Duration nextWait(boolean steady, Duration backoff) {
    if (!lastPassSynced || last == null) {
      return backoff;
    }
    long remaining = lastSyncAt + last.syncIntervalMillis() - Workflow.currentTimeMillis();
    return Duration.ofMillis(Math.max(remaining, 1_000));
  }
}
