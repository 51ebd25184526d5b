package aim.orchestrator.starter.api;

import aim.orchestrator.crd.FieldError;
import aim.orchestrator.workflow.TaskQueues;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Service;

/**
 * Cache-warming schedules as Temporal Schedules, one per namespace and name ({@code CacheWarming/<namespace>/<name>}),
 * each starting {@code CacheWarmingWorkflow} on {@code aim-workflows} with {@code {namespace, labelSelector}}. A
 * Temporal server without schedules (the Java test server) answers UNIMPLEMENTED, which becomes a 501.
 */
@Service
public class CacheWarmingSchedules {
  public static final String WORKFLOW_TYPE = "CacheWarmingWorkflow";
  private static final String PREFIX = "CacheWarming/";
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final ScheduleClient schedules;

  CacheWarmingSchedules(ScheduleClient schedules) {
    this.schedules = schedules;
  }

  public static String scheduleId(String namespace, String name) {
    return PREFIX + namespace + "/" + name;
  }

  public CacheWarmingSchedule create(String namespace, CacheWarmingSchedule.Request request) {
    List<FieldError> errors = new ArrayList<>();
    ScheduleSpec spec = spec(request, errors);
    if (request.name() == null || request.name().isBlank()) {
      errors.add(new FieldError("FieldValueRequired", "name", "Required value"));
    } else if (request.name().length() > 63 || !DNS1123_LABEL.matcher(request.name()).matches()) {
      errors.add(
          new FieldError(
              "FieldValueInvalid",
              "name",
              "Invalid value: \"" + request.name() + "\": a lowercase RFC 1123 label must consist of lower case"
                  + " alphanumeric characters or '-', and must start and end with an alphanumeric character (at most 63)"));
    }
    if (!errors.isEmpty()) {
      throw new ApiException(ProblemType.VALIDATION, "The schedule is invalid: " + errors.size() + (errors.size() == 1 ? " problem" : " problems"))
          .with("errors", errors);
    }
    String id = scheduleId(namespace, request.name());
    String selector = request.labelSelector() == null ? "" : request.labelSelector();
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(
                ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType(WORKFLOW_TYPE)
                    .setArguments(new CacheWarmingSchedule.WorkflowInput(namespace, selector))
                    .setOptions(WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.WORKFLOWS).build())
                    .build())
            .setSpec(spec)
            // A warming run still going when the next is due makes the next one pointless.
            .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
            .setState(
                ScheduleState.newBuilder()
                    .setPaused(Boolean.TRUE.equals(request.paused()))
                    .setNote(request.note() == null ? "" : request.note())
                    .build())
            .build();
    call(
        id,
        () ->
            schedules.createSchedule(
                id, schedule, ScheduleOptions.newBuilder().setMemo(Map.of("namespace", namespace, "labelSelector", selector)).build()));
    return get(namespace, request.name());
  }

  public List<CacheWarmingSchedule> list(String namespace) {
    String prefix = scheduleId(namespace, "");
    return call(
        "cache-warming schedules of " + namespace,
        () -> schedules.listSchedules().filter(s -> s.getScheduleId().startsWith(prefix)).map(s -> view(namespace, prefix, s)).toList());
  }

  public CacheWarmingSchedule get(String namespace, String name) {
    String id = scheduleId(namespace, name);
    ScheduleDescription d = call(id, () -> schedules.getHandle(id).describe());
    Schedule s = d.getSchedule();
    return new CacheWarmingSchedule(
        namespace,
        name,
        id,
        selector(d),
        s.getSpec().getCronExpressions(),
        intervals(s.getSpec()),
        s.getState().isPaused(),
        blankToNull(s.getState().getNote()),
        d.getInfo().getNextActionTimes(),
        runs(d.getInfo().getRecentActions()));
  }

  public CacheWarmingSchedule pause(String namespace, String name, String note) {
    handle(namespace, name, h -> h.pause(note == null ? "paused through the REST API" : note));
    return get(namespace, name);
  }

  public CacheWarmingSchedule resume(String namespace, String name, String note) {
    handle(namespace, name, h -> h.unpause(note == null ? "resumed through the REST API" : note));
    return get(namespace, name);
  }

  /** Starts a run now (skipped when a run is still going, as scheduled runs are). */
  public void trigger(String namespace, String name) {
    handle(namespace, name, ScheduleHandle::trigger);
  }

  public void delete(String namespace, String name) {
    handle(namespace, name, ScheduleHandle::delete);
  }

  private void handle(String namespace, String name, java.util.function.Consumer<ScheduleHandle> action) {
    String id = scheduleId(namespace, name);
    call(
        id,
        () -> {
          action.accept(schedules.getHandle(id));
          return null;
        });
  }

  private static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw TemporalErrors.toApi("Schedule " + what, e);
    }
  }

  private static ScheduleSpec spec(CacheWarmingSchedule.Request request, List<FieldError> errors) {
    boolean cron = request.cron() != null && !request.cron().isBlank();
    boolean interval = request.interval() != null && !request.interval().isBlank();
    if (cron == interval) {
      errors.add(
          cron
              ? new FieldError("FieldValueInvalid", "interval", "Invalid value: \"" + request.interval() + "\": set either cron or interval, not both")
              : new FieldError("FieldValueRequired", "cron", "Required value: one of cron or interval is required"));
      return null;
    }
    if (cron) {
      return ScheduleSpec.newBuilder().setCronExpressions(List.of(request.cron().strip())).build();
    }
    try {
      Duration every = DurationStyle.detectAndParse(request.interval().strip());
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("not positive");
      }
      return ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(every))).build();
    } catch (IllegalArgumentException e) {
      errors.add(
          new FieldError(
              "FieldValueInvalid", "interval", "Invalid value: \"" + request.interval() + "\": a positive duration such as 30m, 6h, 1d or PT6H"));
      return null;
    }
  }

  private static CacheWarmingSchedule view(String namespace, String prefix, ScheduleListDescription s) {
    return new CacheWarmingSchedule(
        namespace,
        s.getScheduleId().substring(prefix.length()),
        s.getScheduleId(),
        memo(() -> s.getMemo("labelSelector", String.class)),
        s.getSchedule().getSpec().getCronExpressions(),
        intervals(s.getSchedule().getSpec()),
        s.getSchedule().getState().isPaused(),
        blankToNull(s.getSchedule().getState().getNote()),
        s.getInfo().getNextActionTimes(),
        runs(s.getInfo().getRecentActions()));
  }

  /** The label selector from the memo, else from the action's input (a schedule created elsewhere). */
  private static String selector(ScheduleDescription d) {
    String memo = memo(() -> d.getMemo("labelSelector", String.class));
    if (memo != null) {
      return memo;
    }
    if (d.getSchedule().getAction() instanceof ScheduleActionStartWorkflow start) {
      return memo(() -> start.getArguments().get(0, CacheWarmingSchedule.WorkflowInput.class).labelSelector());
    }
    return null;
  }

  private static String memo(Supplier<Object> read) {
    try {
      Object value = read.get();
      return value == null ? null : value.toString();
    } catch (RuntimeException e) {
      return null; // absent or not a string: the schedule was not made by this API
    }
  }

  private static List<String> intervals(ScheduleSpec spec) {
    return spec.getIntervals() == null ? null : spec.getIntervals().stream().map(i -> i.getEvery().toString()).toList();
  }

  private static List<CacheWarmingSchedule.Run> runs(List<ScheduleActionResult> results) {
    if (results == null) {
      return List.of();
    }
    return results.stream()
        .map(
            r ->
                new CacheWarmingSchedule.Run(
                    r.getScheduledAt(),
                    r.getStartedAt(),
                    r.getAction() instanceof ScheduleActionExecutionStartWorkflow w ? w.getWorkflowId() : null))
        .toList();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
