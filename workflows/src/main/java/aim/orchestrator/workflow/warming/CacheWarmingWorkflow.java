package aim.orchestrator.workflow.warming;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Scheduled cache warming (type name {@code CacheWarmingWorkflow}, task queue {@code aim-workflows}): for the
 * templates a namespace and label selector pick, make sure their template caches exist, then re-verify every Ready
 * artifact of those caches with the downloader's verify mode (hash every file, fetch what is missing or corrupt),
 * and report what was done. Started by a Temporal Schedule ({@code CacheWarmingSchedules} in the starter), by hand
 * ({@code temporal workflow start --type CacheWarmingWorkflow --task-queue aim-workflows --input
 * '{"namespace":"ml-team","labelSelector":"team=ml"}'}), or as a cron workflow where Schedules are missing.
 */
@WorkflowInterface
public interface CacheWarmingWorkflow {
  @WorkflowMethod
  CacheWarmingReport warm(CacheWarmingRequest request);

  /** The report so far (artifacts verified up to now). */
  @QueryMethod
  CacheWarmingReport progress();
}
