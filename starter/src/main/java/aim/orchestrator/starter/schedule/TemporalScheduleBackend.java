package aim.orchestrator.starter.schedule;

import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.warming.CacheWarmingRequest;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules as Temporal Schedules: ID {@code CacheWarming/<namespace>/<name>}, the action starts {@code
 * CacheWarmingWorkflow} with workflow ID {@code CacheWarming/<namespace>/<name>} (Temporal appends the scheduled
 * time), overlap policy skip, namespace and selector in the schedule's memo. Temporal's failures pass through (the
 * REST API maps them: NOT_FOUND 404, ALREADY_EXISTS 409, INVALID_ARGUMENT 422, UNIMPLEMENTED 501).
 */
final class TemporalScheduleBackend implements CacheWarmingSchedules.Backend {
  private static final Logger log = LoggerFactory.getLogger(TemporalScheduleBackend.class);

  private final ScheduleClient schedules;

  TemporalScheduleBackend(ScheduleClient schedules) {
    this.schedules = schedules;
  }

  @Override
  public CacheWarmingSchedule create(CacheWarmingSchedules.Definition d) {
    ScheduleSpec.Builder spec = ScheduleSpec.newBuilder();
    if (d.cron() != null) {
      spec.setCronExpressions(List.of(d.cron()));
      if (d.timeZone() != null) {
        spec.setTimeZoneName(d.timeZone());
      }
    } else {
      spec.setIntervals(List.of(new ScheduleIntervalSpec(d.interval())));
    }
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(
                ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType(CacheWarmingSchedules.WORKFLOW_TYPE)
                    .setArguments(new CacheWarmingRequest(d.namespace(), d.labelSelector()))
                    .setOptions(WorkflowOptions.newBuilder().setWorkflowId(d.id()).setTaskQueue(TaskQueues.WORKFLOWS).build())
                    .build())
            .setSpec(spec.build())
            // A warming run still going when the next is due makes the next one pointless.
            .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
            .setState(ScheduleState.newBuilder().setPaused(d.paused()).setNote(d.note() == null ? "" : d.note()).build())
            .build();
    schedules.createSchedule(
        d.id(), schedule, ScheduleOptions.newBuilder().setMemo(Map.of("namespace", d.namespace(), "labelSelector", d.labelSelector())).build());
    log.info("cache-warming schedule {}: {} ({})", d.id(), d.cron() != null ? d.cron() : "every " + d.interval(), d.labelSelector());
    return get(d.namespace(), d.name());
  }

  @Override
  public List<CacheWarmingSchedule> list(String namespace) {
    String prefix = CacheWarmingSchedules.scheduleId(namespace, "");
    return schedules
        .listSchedules()
        .filter(s -> s.getScheduleId().startsWith(prefix))
        .map(s -> view(namespace, prefix, s))
        .sorted(Comparator.comparing(CacheWarmingSchedule::name))
        .toList();
  }

  @Override
  public CacheWarmingSchedule get(String namespace, String name) {
    String id = CacheWarmingSchedules.scheduleId(namespace, name);
    ScheduleDescription d = schedules.getHandle(id).describe();
    Schedule s = d.getSchedule();
    return new CacheWarmingSchedule(
        namespace,
        name,
        id,
        selector(d),
        s.getSpec().getCronExpressions(),
        intervals(s.getSpec()),
        blankToNull(s.getSpec().getTimeZoneName()),
        s.getState().isPaused(),
        blankToNull(s.getState().getNote()),
        d.getInfo().getNextActionTimes(),
        runs(d.getInfo().getRecentActions()),
        CacheWarmingSchedule.TEMPORAL_SCHEDULE,
        null);
  }

  @Override
  public CacheWarmingSchedule pause(String namespace, String name, String note) {
    handle(namespace, name, h -> h.pause(note));
    return get(namespace, name);
  }

  @Override
  public CacheWarmingSchedule resume(String namespace, String name, String note) {
    handle(namespace, name, h -> h.unpause(note));
    return get(namespace, name);
  }

  @Override
  public CacheWarmingSchedule.Trigger trigger(String namespace, String name) {
    handle(namespace, name, ScheduleHandle::trigger);
    return new CacheWarmingSchedule.Trigger(
        null,
        CacheWarmingSchedules.scheduleId(namespace, name),
        "Temporal starts a " + CacheWarmingSchedules.WORKFLOW_TYPE + " run now unless one is still running (the schedule's overlap policy)");
  }

  @Override
  public void delete(String namespace, String name) {
    handle(namespace, name, ScheduleHandle::delete);
  }

  private void handle(String namespace, String name, Consumer<ScheduleHandle> action) {
    action.accept(schedules.getHandle(CacheWarmingSchedules.scheduleId(namespace, name)));
  }

  private static CacheWarmingSchedule view(String namespace, String prefix, ScheduleListDescription s) {
    return new CacheWarmingSchedule(
        namespace,
        s.getScheduleId().substring(prefix.length()),
        s.getScheduleId(),
        memo(() -> s.getMemo("labelSelector", String.class)),
        s.getSchedule().getSpec().getCronExpressions(),
        intervals(s.getSchedule().getSpec()),
        blankToNull(s.getSchedule().getSpec().getTimeZoneName()),
        s.getSchedule().getState().isPaused(),
        blankToNull(s.getSchedule().getState().getNote()),
        s.getInfo().getNextActionTimes(),
        runs(s.getInfo().getRecentActions()),
        CacheWarmingSchedule.TEMPORAL_SCHEDULE,
        null);
  }

  /** The label selector from the memo, else from the action's input (a schedule created elsewhere). */
  private static String selector(ScheduleDescription d) {
    String memo = memo(() -> d.getMemo("labelSelector", String.class));
    if (memo != null) {
      return memo;
    }
    if (d.getSchedule().getAction() instanceof ScheduleActionStartWorkflow start) {
      return memo(() -> start.getArguments().get(0, CacheWarmingRequest.class).labelSelector());
    }
    return null;
  }

  private static String memo(Supplier<Object> read) {
    try {
      Object value = read.get();
      return value == null ? null : value.toString();
    } catch (RuntimeException e) {
      return null; // absent or not a string: the schedule was not made by this service
    }
  }

  private static List<String> intervals(ScheduleSpec spec) {
    return spec.getIntervals() == null || spec.getIntervals().isEmpty()
        ? null
        : spec.getIntervals().stream().map(i -> i.getEvery().toString()).toList();
  }

  /** Recent runs, newest first. */
  private static List<CacheWarmingSchedule.Run> runs(List<ScheduleActionResult> results) {
    if (results == null) {
      return List.of();
    }
    return results.stream()
        .map(
            r -> {
              var started = r.getAction() instanceof ScheduleActionExecutionStartWorkflow w ? w : null;
              return new CacheWarmingSchedule.Run(
                  r.getScheduledAt(),
                  r.getStartedAt(),
                  started == null ? null : started.getWorkflowId(),
                  started == null ? null : started.getFirstExecutionRunId());
            })
        .sorted(Comparator.comparing(CacheWarmingSchedule.Run::scheduledAt, Comparator.nullsLast(Comparator.reverseOrder())))
        .toList();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
