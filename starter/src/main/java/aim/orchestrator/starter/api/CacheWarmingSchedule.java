package aim.orchestrator.starter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A cache-warming schedule: a Temporal Schedule that starts {@code CacheWarmingWorkflow} (task queue
 * {@code aim-workflows}) with {@code {namespace, labelSelector}}.
 *
 * @param namespace the namespace whose caches it warms
 * @param name the schedule's name in that namespace
 * @param scheduleId the Temporal schedule ID, {@code CacheWarming/<namespace>/<name>}
 * @param labelSelector which templates' caches to warm; empty: all of the namespace
 * @param cron cron expressions, if the schedule runs by calendar
 * @param intervals intervals (ISO-8601), if it runs every so often
 * @param paused whether it is paused
 * @param note the note of the last pause or resume
 * @param nextRuns the next times it will run
 * @param recentRuns its recent runs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CacheWarmingSchedule(
    String namespace,
    String name,
    String scheduleId,
    String labelSelector,
    List<String> cron,
    List<String> intervals,
    boolean paused,
    String note,
    List<Instant> nextRuns,
    List<Run> recentRuns) {

  /** One run: when it was due, when it started, and the workflow it started. */
  public record Run(Instant scheduledAt, Instant startedAt, String workflowId) {}

  /**
   * What a caller sends to create a schedule.
   *
   * @param name DNS-1123 label, unique in the namespace
   * @param cron a cron expression ({@code "0 3 * * *"}) — or
   * @param interval how often ({@code "6h"}, {@code "PT6H"}); exactly one of the two
   * @param labelSelector which templates' caches to warm
   * @param paused create it paused
   * @param note a note on the schedule
   */
  public record Request(String name, String cron, String interval, String labelSelector, Boolean paused, String note) {}

  /** The input of every {@code CacheWarmingWorkflow} run the schedule starts. */
  public record WorkflowInput(String namespace, String labelSelector) {}
}
