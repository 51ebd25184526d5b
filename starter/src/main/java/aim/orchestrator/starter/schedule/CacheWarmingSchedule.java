package aim.orchestrator.starter.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A cache-warming schedule: it starts {@code CacheWarmingWorkflow} (task queue {@code aim-workflows}) with {@code
 * {namespace, labelSelector}} on a cron spec or an interval.
 *
 * @param namespace the namespace whose caches it warms
 * @param name the schedule's name in that namespace
 * @param scheduleId {@code CacheWarming/<namespace>/<name>}: the Temporal Schedule's ID, or the cron workflow's ID in
 *     the fallback
 * @param labelSelector which templates' caches to warm; empty: all of the namespace
 * @param cron cron expressions, if the schedule runs by calendar
 * @param intervals intervals (ISO-8601), if it runs every so often
 * @param timeZone the IANA time zone of the cron expressions (null: UTC)
 * @param paused whether it is paused
 * @param note the note of the last pause or resume (or the one given at creation)
 * @param nextRuns the next times it will run (the fallback knows only the next one)
 * @param recentRuns its recent runs, newest first
 * @param backend {@code temporal-schedule}, or {@code cron-workflow} where the Temporal server has no schedules
 * @param warnings what the cron-workflow fallback does differently from a Temporal Schedule for this schedule
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CacheWarmingSchedule(
    String namespace,
    String name,
    String scheduleId,
    String labelSelector,
    List<String> cron,
    List<String> intervals,
    String timeZone,
    boolean paused,
    String note,
    List<Instant> nextRuns,
    List<Run> recentRuns,
    String backend,
    List<String> warnings) {

  /** A Temporal Schedule. */
  public static final String TEMPORAL_SCHEDULE = "temporal-schedule";

  /** A cron workflow: the fallback on a Temporal server without schedules (the dev mode's test server). */
  public static final String CRON_WORKFLOW = "cron-workflow";

  /** One run: when it was due, when it started, and the workflow execution it started. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Run(Instant scheduledAt, Instant startedAt, String workflowId, String runId) {}

  /**
   * What a caller sends to create a schedule.
   *
   * @param name DNS-1123 label, unique in the namespace
   * @param cron a cron expression ({@code "0 3 * * *"}) — or
   * @param interval how often ({@code "6h"}, {@code "PT6H"}); exactly one of the two
   * @param timeZone the IANA time zone of {@code cron} ({@code "Europe/Berlin"}); default UTC
   * @param labelSelector which templates' caches to warm
   * @param paused create it paused
   * @param note a note on the schedule
   */
  public record Request(
      String name, String cron, String interval, String timeZone, String labelSelector, Boolean paused, String note) {}

  /**
   * The answer to "run it now".
   *
   * @param started whether a run started; false when one was still going (overlapping runs are skipped) — null when
   *     the Temporal server decides that after the call (a Temporal Schedule applies its overlap policy itself)
   * @param workflowId the run's workflow ID, when known
   * @param message what happened
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Trigger(Boolean started, String workflowId, String message) {}
}
