package aim.orchestrator.starter.schedule;

import aim.orchestrator.crd.FieldError;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.warming.CacheWarmingRequest;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules as cron workflows, for a Temporal server without schedules (the dev mode's Java test server). The cron
 * workflow is the schedule, so its state lives in Temporal, not in this process:
 *
 * <ul>
 *   <li>The schedule {@code CacheWarming/<ns>/<name>} is a {@code CacheWarmingWorkflow} with that workflow ID and a
 *       cron schedule; the first run of the chain carries the definition in its memo.
 *   <li>Paused: the cron workflow is terminated with the reason {@code paused: <note>} (no more runs); resume starts
 *       it again. Deleted: terminated with the reason {@code deleted}. A run in progress is cut short by either.
 *   <li>Trigger: a separate run {@code CacheWarming/<ns>/<name>/now}, skipped while the previous one, or a scheduled
 *       run, is going.
 *   <li>Cron runs in UTC (the test server rejects {@code CRON_TZ=}); an interval runs as the cron expression that
 *       fires at the same times (Temporal aligns intervals to the epoch), so only intervals that divide an hour or a
 *       day, or are a whole day, can be run; five-field expressions and {@code @hourly}, {@code @daily}, {@code
 *       @weekly}, {@code @monthly}, {@code @yearly} only.
 *   <li>List: the test server cannot list workflows, so it shows the schedules this process created or looked up by
 *       name. Get, pause, resume, trigger and delete work by name for any of them.
 * </ul>
 */
final class CronWorkflowBackend implements CacheWarmingSchedules.Backend {
  private static final Logger log = LoggerFactory.getLogger(CronWorkflowBackend.class);
  static final String TRIGGER_SUFFIX = "/now";
  static final String PAUSED = "paused";
  static final String DELETED = "deleted";
  /** Memo key that marks a cron workflow as a cache-warming schedule. */
  static final String KIND = "aim.cacheWarmingSchedule";
  private static final int RECENT_RUNS = 5;
  private static final Map<String, String> DESCRIPTORS =
      Map.of(
          "@hourly", "0 * * * *",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@weekly", "0 0 * * 0",
          "@monthly", "0 0 1 * *",
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *");

  private final WorkflowClient workflows;
  private final Supplier<Instant> now;
  private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

  CronWorkflowBackend(WorkflowClient workflows, Supplier<Instant> now) {
    this.workflows = workflows;
    this.now = now;
  }

  /** A schedule as Temporal holds it. */
  private record State(
      CacheWarmingSchedules.Definition definition,
      boolean paused,
      String note,
      WorkflowExecutionDescription latest,
      WorkflowExecutionHistory latestHistory) {}

  @Override
  public CacheWarmingSchedule create(CacheWarmingSchedules.Definition d) {
    String cron = runnableCron(d);
    if (state(d.namespace(), d.name()).isPresent()) {
      throw CacheWarmingScheduleException.exists(d.id());
    }
    start(d, cron, d.note());
    if (d.paused()) {
      terminate(d.id(), PAUSED + ": " + (d.note() == null ? "created paused" : d.note()));
    }
    remember(d.namespace(), d.name());
    log.info("cache-warming schedule {} runs as cron workflow {} ({} in UTC)", d.id(), d.id(), cron);
    return get(d.namespace(), d.name());
  }

  @Override
  public List<CacheWarmingSchedule> list(String namespace) {
    List<CacheWarmingSchedule> out = new ArrayList<>();
    for (String name : List.copyOf(seen.getOrDefault(namespace, Set.of()))) {
      state(namespace, name).ifPresentOrElse(s -> out.add(view(s)), () -> forget(namespace, name));
    }
    out.sort(Comparator.comparing(CacheWarmingSchedule::name));
    return out;
  }

  @Override
  public CacheWarmingSchedule get(String namespace, String name) {
    return view(require(namespace, name));
  }

  @Override
  public CacheWarmingSchedule pause(String namespace, String name, String note) {
    State s = require(namespace, name);
    if (!s.paused()) {
      terminate(s.definition().id(), PAUSED + ": " + note);
      log.info("cache-warming schedule {} paused: {}", s.definition().id(), note);
    }
    return get(namespace, name);
  }

  @Override
  public CacheWarmingSchedule resume(String namespace, String name, String note) {
    State s = require(namespace, name);
    if (s.paused()) {
      start(s.definition(), runnableCron(s.definition()), note);
      log.info("cache-warming schedule {} resumed: {}", s.definition().id(), note);
    }
    return get(namespace, name);
  }

  @Override
  public CacheWarmingSchedule.Trigger trigger(String namespace, String name) {
    State s = require(namespace, name);
    String id = s.definition().id();
    String runId = id + TRIGGER_SUFFIX;
    if (!s.paused() && hasStarted(s.latestHistory())) {
      return new CacheWarmingSchedule.Trigger(false, id, "Skipped: the scheduled run " + id + " is still going");
    }
    try {
      workflows
          .newUntypedWorkflowStub(
              CacheWarmingSchedules.WORKFLOW_TYPE,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(runId)
                  .setTaskQueue(TaskQueues.WORKFLOWS)
                  .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                  .build())
          .start(new CacheWarmingRequest(namespace, s.definition().labelSelector()));
    } catch (WorkflowExecutionAlreadyStarted e) {
      return new CacheWarmingSchedule.Trigger(false, runId, "Skipped: the previous run " + runId + " is still going");
    }
    log.info("cache-warming schedule {} triggered: run {}", id, runId);
    return new CacheWarmingSchedule.Trigger(true, runId, "A " + CacheWarmingSchedules.WORKFLOW_TYPE + " run started now");
  }

  @Override
  public void delete(String namespace, String name) {
    State s = require(namespace, name);
    String id = s.definition().id();
    if (s.paused()) {
      // The latest run already ended as "paused"; a run that ends at once records the deletion.
      start(s.definition(), runnableCron(s.definition()), s.note());
    }
    terminate(id, DELETED);
    forget(namespace, name);
    log.info("cache-warming schedule {} deleted", id);
  }

  // ---- state in Temporal ------------------------------------------------------------------------------------

  private State require(String namespace, String name) {
    return state(namespace, name).orElseThrow(() -> CacheWarmingScheduleException.notFound(CacheWarmingSchedules.scheduleId(namespace, name)));
  }

  /** The schedule's state from its cron workflow; empty when there is none, it was deleted, or it is not a schedule. */
  private Optional<State> state(String namespace, String name) {
    String id = CacheWarmingSchedules.scheduleId(namespace, name);
    WorkflowExecutionDescription latest;
    try {
      latest = workflows.newUntypedWorkflowStub(id).describe();
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
    WorkflowExecutionHistory history = workflows.fetchHistory(id, latest.getExecution().getRunId());
    WorkflowExecutionStartedEventAttributes started = history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
    String firstRun = started.getFirstExecutionRunId();
    Map<String, Payload> memo =
        firstRun.isEmpty() || firstRun.equals(latest.getExecution().getRunId())
            ? started.getMemo().getFieldsMap()
            : workflows.fetchHistory(id, firstRun).getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getMemo().getFieldsMap();
    Map<String, String> definition = decode(memo);
    if (!"true".equals(definition.get(KIND))) {
      return Optional.empty(); // a CacheWarmingWorkflow started by hand under this ID, not a schedule
    }
    boolean paused = false;
    String note = definition.get("note");
    if (latest.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      HistoryEvent last = history.getLastEvent();
      String reason =
          last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED
              ? last.getWorkflowExecutionTerminatedEventAttributes().getReason()
              : "the cron workflow ended: " + latest.getStatus();
      if (DELETED.equals(reason)) {
        return Optional.empty();
      }
      paused = true;
      note = reason.startsWith(PAUSED + ": ") ? reason.substring(PAUSED.length() + 2) : reason;
    }
    remember(namespace, name);
    String interval = definition.get("interval");
    return Optional.of(
        new State(
            new CacheWarmingSchedules.Definition(
                namespace,
                name,
                definition.getOrDefault("labelSelector", ""),
                definition.get("cron"),
                interval == null ? null : Duration.parse(interval),
                definition.get("timeZone"),
                paused,
                definition.get("note")),
            paused,
            note,
            latest,
            history));
  }

  private CacheWarmingSchedule view(State s) {
    CacheWarmingSchedules.Definition d = s.definition();
    String cron = runnableCron(d);
    List<String> warnings = new ArrayList<>();
    warnings.add("This Temporal server has no schedules: this schedule is the cron workflow " + d.id() + " (docs/caching.md)");
    if (d.timeZone() != null && !"UTC".equals(d.timeZone()) && !"Etc/UTC".equals(d.timeZone())) {
      warnings.add("The cron expression runs in UTC, not " + d.timeZone() + ": the test server has no time zones");
    }
    if (d.interval() != null || !cron.equals(d.cron())) {
      warnings.add("Runs as the cron expression \"" + cron + "\"");
    }
    warnings.add("Listed only by the starter process that created or looked it up (the test server cannot list workflows)");
    List<Instant> next = List.of();
    Instant due = s.latest().getExecutionTime();
    if (!s.paused() && !hasStarted(s.latestHistory()) && due != null && due.isAfter(now.get())) {
      next = List.of(due);
    }
    return new CacheWarmingSchedule(
        d.namespace(),
        d.name(),
        d.id(),
        d.labelSelector(),
        d.cron() == null ? null : List.of(d.cron()),
        d.interval() == null ? null : List.of(d.interval().toString()),
        d.timeZone(),
        s.paused(),
        s.note(),
        next,
        recentRuns(s),
        CacheWarmingSchedule.CRON_WORKFLOW,
        warnings);
  }

  /** The runs of the cron workflow's current chain that started, and the latest triggered run; newest first. */
  private List<CacheWarmingSchedule.Run> recentRuns(State s) {
    String id = s.definition().id();
    List<CacheWarmingSchedule.Run> runs = new ArrayList<>();
    WorkflowExecutionHistory h = s.latestHistory();
    String runId = s.latest().getExecution().getRunId();
    while (h != null && runs.size() < RECENT_RUNS) {
      run(id, runId, h).ifPresent(runs::add);
      String previous = h.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        break;
      }
      runId = previous;
      h = workflows.fetchHistory(id, previous);
    }
    try {
      WorkflowExecutionDescription triggered = workflows.newUntypedWorkflowStub(id + TRIGGER_SUFFIX).describe();
      runs.add(new CacheWarmingSchedule.Run(triggered.getStartTime(), triggered.getStartTime(), id + TRIGGER_SUFFIX, triggered.getExecution().getRunId()));
    } catch (WorkflowNotFoundException e) {
      // never triggered
    }
    runs.sort(Comparator.comparing(CacheWarmingSchedule.Run::scheduledAt, Comparator.nullsLast(Comparator.reverseOrder())));
    return runs;
  }

  /** One run of the chain, if it started (a run terminated while it waited for its time never ran). */
  private static Optional<CacheWarmingSchedule.Run> run(String id, String runId, WorkflowExecutionHistory h) {
    HistoryEvent first = h.getEvents().get(0);
    var attributes = first.getWorkflowExecutionStartedEventAttributes();
    Instant due = instant(first.getEventTime()).plus(duration(attributes.getFirstWorkflowTaskBackoff()));
    return h.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
        .findFirst()
        .map(e -> new CacheWarmingSchedule.Run(due, instant(e.getEventTime()), id, runId));
  }

  private static boolean hasStarted(WorkflowExecutionHistory h) {
    return h.getEvents().stream().anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
        && h.getLastEvent().getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED;
  }

  // ---- writes -----------------------------------------------------------------------------------------------

  private void start(CacheWarmingSchedules.Definition d, String cron, String note) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(KIND, "true");
    memo.put("labelSelector", d.labelSelector());
    if (d.cron() != null) {
      memo.put("cron", d.cron());
    }
    if (d.interval() != null) {
      memo.put("interval", d.interval().toString());
    }
    if (d.timeZone() != null) {
      memo.put("timeZone", d.timeZone());
    }
    if (note != null) {
      memo.put("note", note);
    }
    try {
      workflows
          .newUntypedWorkflowStub(
              CacheWarmingSchedules.WORKFLOW_TYPE,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(d.id())
                  .setTaskQueue(TaskQueues.WORKFLOWS)
                  .setCronSchedule(cron)
                  .setMemo(memo)
                  .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                  .build())
          .start(new CacheWarmingRequest(d.namespace(), d.labelSelector()));
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw CacheWarmingScheduleException.exists(d.id());
    } catch (WorkflowServiceException e) {
      if (invalidArgument(e)) {
        String field = d.cron() != null ? "cron" : "interval";
        throw CacheWarmingScheduleException.invalid(
            List.of(new FieldError("FieldValueInvalid", field, "Invalid value: \"" + cron + "\": " + rootMessage(e))));
      }
      throw e;
    }
  }

  private static boolean invalidArgument(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.grpc.StatusRuntimeException s && s.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private void terminate(String id, String reason) {
    try {
      workflows.newUntypedWorkflowStub(id).terminate(reason);
    } catch (WorkflowNotFoundException e) {
      // already ended
    }
  }

  private void remember(String namespace, String name) {
    seen.computeIfAbsent(namespace, ns -> ConcurrentHashMap.newKeySet()).add(name);
  }

  private void forget(String namespace, String name) {
    seen.getOrDefault(namespace, Set.of()).remove(name);
  }

  // ---- what the test server can run -------------------------------------------------------------------------

  /** The five-field UTC cron expression the test server runs for a definition, or the problem by field. */
  static String runnableCron(CacheWarmingSchedules.Definition d) {
    if (d.cron() != null) {
      String cron = DESCRIPTORS.getOrDefault(d.cron().toLowerCase(java.util.Locale.ROOT), d.cron());
      if (cron.trim().split("\\s+").length != 5) {
        throw CacheWarmingScheduleException.invalid(
            List.of(
                new FieldError(
                    "FieldValueInvalid",
                    "cron",
                    "Invalid value: \"" + d.cron() + "\": this Temporal server has no schedules, and its cron workflows run"
                        + " five-field expressions (minute hour day-of-month month day-of-week) and @hourly, @daily,"
                        + " @weekly, @monthly, @yearly only")));
      }
      return cron;
    }
    return intervalAsCron(d.interval())
        .orElseThrow(
            () ->
                CacheWarmingScheduleException.invalid(
                    List.of(
                        new FieldError(
                            "FieldValueInvalid",
                            "interval",
                            "Invalid value: \"" + d.interval() + "\": this Temporal server has no schedules, and its cron"
                                + " workflows can run only intervals of whole minutes that divide an hour, whole hours"
                                + " that divide a day, or one day; use cron"))));
  }

  /**
   * The cron expression that fires at the times a Temporal interval schedule fires (intervals are aligned to the Unix
   * epoch, so every 6 h is 00:00, 06:00, … UTC), for intervals that have one.
   */
  static Optional<String> intervalAsCron(Duration every) {
    if (every.toSecondsPart() != 0 || every.toMillisPart() != 0 || every.toMinutes() < 1) {
      return Optional.empty();
    }
    long minutes = every.toMinutes();
    if (minutes < 60 && 60 % minutes == 0) {
      return Optional.of(minutes == 1 ? "* * * * *" : "*/" + minutes + " * * * *");
    }
    if (minutes % 60 == 0 && minutes < 24 * 60 && (24 * 60) % minutes == 0) {
      long hours = minutes / 60;
      return Optional.of(hours == 1 ? "0 * * * *" : "0 */" + hours + " * * *");
    }
    return minutes == 24 * 60 ? Optional.of("0 0 * * *") : Optional.empty();
  }

  private Map<String, String> decode(Map<String, Payload> memo) {
    var converter = workflows.getOptions().getDataConverter();
    Map<String, String> out = new LinkedHashMap<>();
    memo.forEach(
        (k, v) -> {
          try {
            out.put(k, converter.fromPayload(v, String.class, String.class));
          } catch (RuntimeException e) {
            // not a string: not ours
          }
        });
    return out;
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
