package aim.orchestrator.starter.schedule;

import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.warming.CacheWarmingRequest;
import aim.orchestrator.workflow.warming.CacheWarmingWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache-warming schedules: each runs {@link CacheWarmingWorkflow} for a namespace and label selector on a cron spec in
 * a time zone, as a Temporal Schedule (ID {@code cache-warming-<name>}, overlapping runs skipped).
 *
 * <p>Temporal's Java test server (the dev mode's) does not implement Schedules: the first call that meets {@code
 * UNIMPLEMENTED} switches this service to cron workflows (ID {@code CacheWarming/<name>}) and says so in the log.
 * That fallback is for the dev mode: it keeps its list in this process (the test server cannot list workflows
 * either), pausing terminates the cron workflow and resuming starts it again, and the cron spec runs in UTC (the
 * test server rejects a {@code CRON_TZ=} prefix); the note of such a schedule says so.
 */
public class CacheWarmingSchedules {
  private static final Logger log = LoggerFactory.getLogger(CacheWarmingSchedules.class);
  static final String SCHEDULE_PREFIX = "cache-warming-";
  static final String WORKFLOW_PREFIX = "CacheWarming/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?");

  /**
   * A schedule to create.
   *
   * @param name a DNS-label-like name, unique among cache-warming schedules
   * @param namespace the namespace to warm
   * @param labelSelector which templates (empty: all)
   * @param cron a five-field cron expression, e.g. {@code 0 3 * * *}
   * @param timeZone an IANA time zone, e.g. {@code Europe/Berlin} (null: UTC)
   */
  public record Spec(String name, String namespace, String labelSelector, String cron, String timeZone) {}

  /**
   * A schedule as it stands.
   *
   * @param backend {@code schedule} (a Temporal Schedule) or {@code cron-workflow} (the fallback)
   * @param note the note of the last pause or resume, if any
   */
  public record Info(
      String name,
      String namespace,
      String labelSelector,
      String cron,
      String timeZone,
      boolean paused,
      String backend,
      String note) {}

  private final ScheduleClient schedules;
  private final WorkflowClient workflows;
  private volatile boolean fallback;
  private final Map<String, Info> cronWorkflows = new ConcurrentHashMap<>();

  public CacheWarmingSchedules(ScheduleClient schedules, WorkflowClient workflows) {
    this.schedules = schedules;
    this.workflows = workflows;
  }

  /** Whether this service runs schedules as cron workflows (the server has no Schedules). */
  public boolean usesCronWorkflows() {
    return fallback;
  }

  /** Creates a schedule; fails if one of that name exists. */
  public Info create(Spec spec) {
    validate(spec);
    String zone = spec.timeZone() == null || spec.timeZone().isBlank() ? "UTC" : spec.timeZone();
    Info info = new Info(spec.name(), spec.namespace(), selector(spec), spec.cron(), zone, false, "schedule", null);
    if (!fallback) {
      try {
        schedules.createSchedule(SCHEDULE_PREFIX + spec.name(), schedule(info), options(info));
        log.info("cache warming schedule {}: {} in {} for {} ({})", spec.name(), spec.cron(), zone, spec.namespace(), info.labelSelector());
        return info;
      } catch (RuntimeException e) {
        if (!unimplemented(e)) {
          throw e;
        }
        switchToCronWorkflows(e);
      }
    }
    String note = "UTC".equals(zone) ? null : "dev-mode cron workflow: runs in UTC, not " + zone;
    Info cron = new Info(info.name(), info.namespace(), info.labelSelector(), info.cron(), zone, false, "cron-workflow", note);
    if (cronWorkflows.putIfAbsent(spec.name(), cron) != null) {
      throw new IllegalArgumentException("cache warming schedule " + spec.name() + " exists");
    }
    startCronWorkflow(cron);
    return cron;
  }

  /** Every cache-warming schedule. */
  public List<Info> list() {
    if (!fallback) {
      try {
        return schedules.listSchedules().filter(d -> d.getScheduleId().startsWith(SCHEDULE_PREFIX)).map(CacheWarmingSchedules::info)
            .sorted(Comparator.comparing(Info::name)).toList();
      } catch (RuntimeException e) {
        if (!unimplemented(e)) {
          throw e;
        }
        switchToCronWorkflows(e);
      }
    }
    return cronWorkflows.values().stream().sorted(Comparator.comparing(Info::name)).toList();
  }

  /** One schedule, if it exists. */
  public Optional<Info> get(String name) {
    return list().stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** Pauses a schedule (no runs until resumed). */
  public Info pause(String name, String note) {
    return setPaused(name, true, note);
  }

  /** Resumes a paused schedule. */
  public Info resume(String name, String note) {
    return setPaused(name, false, note);
  }

  /** Deletes a schedule (a run in progress finishes). */
  public void delete(String name) {
    if (!fallback) {
      try {
        schedules.getHandle(SCHEDULE_PREFIX + name).delete();
        log.info("cache warming schedule {} deleted", name);
        return;
      } catch (RuntimeException e) {
        if (!unimplemented(e)) {
          throw e;
        }
        switchToCronWorkflows(e);
      }
    }
    Info removed = cronWorkflows.remove(name);
    if (removed == null) {
      throw new IllegalArgumentException("no cache warming schedule " + name);
    }
    if (!removed.paused()) {
      terminate(removed, "schedule deleted");
    }
  }

  private Info setPaused(String name, boolean paused, String note) {
    if (!fallback) {
      try {
        var handle = schedules.getHandle(SCHEDULE_PREFIX + name);
        if (paused) {
          handle.pause(note == null ? "" : note);
        } else {
          handle.unpause(note == null ? "" : note);
        }
        return get(name).orElseThrow(() -> new IllegalArgumentException("no cache warming schedule " + name));
      } catch (RuntimeException e) {
        if (!unimplemented(e)) {
          throw e;
        }
        switchToCronWorkflows(e);
      }
    }
    Info current = cronWorkflows.get(name);
    if (current == null) {
      throw new IllegalArgumentException("no cache warming schedule " + name);
    }
    if (current.paused() == paused) {
      return current;
    }
    Info next = new Info(current.name(), current.namespace(), current.labelSelector(), current.cron(), current.timeZone(), paused, current.backend(),
        note == null ? current.note() : note);
    if (paused) {
      terminate(current, "paused: " + Objects.toString(note, ""));
    } else {
      startCronWorkflow(next);
    }
    cronWorkflows.put(name, next);
    return next;
  }

  private static Schedule schedule(Info info) {
    return Schedule.newBuilder()
        .setAction(
            ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType(CacheWarmingWorkflow.class)
                .setArguments(new CacheWarmingRequest(info.namespace(), info.labelSelector()))
                .setOptions(
                    WorkflowOptions.newBuilder()
                        .setWorkflowId(WORKFLOW_PREFIX + info.name())
                        .setTaskQueue(TaskQueues.WORKFLOWS)
                        .build())
                .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(info.cron())).setTimeZoneName(info.timeZone()).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
        .setState(ScheduleState.newBuilder().setPaused(false).build())
        .build();
  }

  private static ScheduleOptions options(Info info) {
    return ScheduleOptions.newBuilder()
        .setMemo(Map.of("namespace", info.namespace(), "labelSelector", info.labelSelector()))
        .build();
  }

  private static Info info(ScheduleListDescription d) {
    var s = d.getSchedule();
    String cron = s.getSpec().getCronExpressions().isEmpty() ? "" : s.getSpec().getCronExpressions().get(0);
    return new Info(
        d.getScheduleId().substring(SCHEDULE_PREFIX.length()),
        Objects.toString(d.getMemo("namespace", String.class), ""),
        Objects.toString(d.getMemo("labelSelector", String.class), ""),
        cron,
        s.getSpec().getTimeZoneName(),
        s.getState().isPaused(),
        "schedule",
        s.getState().getNote());
  }

  private void startCronWorkflow(Info info) {
    String id = WORKFLOW_PREFIX + info.name();
    CacheWarmingWorkflow stub =
        workflows.newWorkflowStub(
            CacheWarmingWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .setCronSchedule(info.cron())
                .build());
    try {
      WorkflowClient.start(stub::warm, new CacheWarmingRequest(info.namespace(), info.labelSelector()));
    } catch (WorkflowExecutionAlreadyStarted e) {
      log.info("cache warming cron workflow {} is already running", id);
    }
    log.info("cache warming schedule {} runs as cron workflow {} ({} in UTC{})", info.name(), id, info.cron(),
        "UTC".equals(info.timeZone()) ? "" : "; the requested time zone " + info.timeZone() + " is not applied in this fallback");
  }

  private void terminate(Info info, String reason) {
    try {
      WorkflowStub.fromTyped(workflows.newWorkflowStub(CacheWarmingWorkflow.class, WORKFLOW_PREFIX + info.name())).terminate(reason);
    } catch (RuntimeException e) {
      log.info("cache warming cron workflow {}{} was not running: {}", WORKFLOW_PREFIX, info.name(), e.getMessage());
    }
  }

  private void switchToCronWorkflows(RuntimeException cause) {
    if (!fallback) {
      fallback = true;
      log.warn(
          "The Temporal server does not implement Schedules ({}); this is Temporal's Java test server of the dev mode."
              + " Cache warming schedules run as cron workflows instead, listed only by this process.",
          rootMessage(cause));
    }
  }

  /** Whether a failure is the server saying it has no such RPC (gRPC UNIMPLEMENTED). */
  static boolean unimplemented(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
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

  private static String selector(Spec spec) {
    return spec.labelSelector() == null ? "" : spec.labelSelector().strip();
  }

  private static void validate(Spec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
      problems.add("name must be lower-case letters, digits and '-' (at most 52)");
    }
    if (spec.namespace() == null || spec.namespace().isBlank()) {
      problems.add("namespace is required");
    }
    if (spec.cron() == null || spec.cron().strip().split("\\s+").length != 5) {
      problems.add("cron must have five fields (minute hour day-of-month month day-of-week)");
    }
    if (spec.timeZone() != null && !spec.timeZone().isBlank()) {
      try {
        ZoneId.of(spec.timeZone());
      } catch (RuntimeException e) {
        problems.add("unknown time zone " + spec.timeZone());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }
}
