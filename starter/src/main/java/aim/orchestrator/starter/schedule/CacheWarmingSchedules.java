package aim.orchestrator.starter.schedule;

import aim.orchestrator.crd.FieldError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;

/**
 * Cache-warming schedules, one per namespace and name ({@code CacheWarming/<namespace>/<name>}), each starting {@code
 * CacheWarmingWorkflow} on {@code aim-workflows} with {@code {namespace, labelSelector}} on a cron spec (in a time
 * zone) or an interval, overlapping runs skipped. The REST API's schedule endpoints are this service.
 *
 * <p>They are Temporal Schedules. Temporal's Java test server (the dev mode's) does not implement schedules: the first
 * call that meets {@code UNIMPLEMENTED} switches this service to cron workflows and says so in the log; every
 * operation then works on those, with the semantics docs/caching.md spells out (a cron workflow is the schedule, its
 * termination reason says paused or deleted, trigger starts a separate run, the list knows what this process has
 * seen).
 */
public class CacheWarmingSchedules {
  private static final Logger log = LoggerFactory.getLogger(CacheWarmingSchedules.class);
  /** The workflow type every schedule starts. */
  public static final String WORKFLOW_TYPE = "CacheWarmingWorkflow";
  static final String PREFIX = "CacheWarming/";
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** A schedule request after validation. Exactly one of {@code cron} and {@code interval} is set. */
  record Definition(
      String namespace, String name, String labelSelector, String cron, Duration interval, String timeZone, boolean paused, String note) {
    String id() {
      return scheduleId(namespace, name);
    }
  }

  /** One way to keep schedules: Temporal Schedules, or cron workflows. */
  interface Backend {
    CacheWarmingSchedule create(Definition definition);

    List<CacheWarmingSchedule> list(String namespace);

    CacheWarmingSchedule get(String namespace, String name);

    CacheWarmingSchedule pause(String namespace, String name, String note);

    CacheWarmingSchedule resume(String namespace, String name, String note);

    CacheWarmingSchedule.Trigger trigger(String namespace, String name);

    void delete(String namespace, String name);
  }

  private final Backend schedules;
  private final Backend cronWorkflows;
  private volatile boolean fallback;

  public CacheWarmingSchedules(ScheduleClient schedules, WorkflowClient workflows) {
    this(schedules, workflows, Instant::now);
  }

  /** @param now the Temporal server's clock (a test environment's, when time is skipped) */
  CacheWarmingSchedules(ScheduleClient schedules, WorkflowClient workflows, Supplier<Instant> now) {
    this.schedules = new TemporalScheduleBackend(schedules);
    this.cronWorkflows = new CronWorkflowBackend(workflows, now);
  }

  public static String scheduleId(String namespace, String name) {
    return PREFIX + namespace + "/" + name;
  }

  /** Whether schedules run as cron workflows (the Temporal server has no schedules). */
  public boolean usesCronWorkflows() {
    return fallback;
  }

  /** Creates a schedule; {@link CacheWarmingScheduleException} when invalid (every problem by field) or taken. */
  public CacheWarmingSchedule create(String namespace, CacheWarmingSchedule.Request request) {
    Definition definition = validate(namespace, request);
    return call(b -> b.create(definition));
  }

  public List<CacheWarmingSchedule> list(String namespace) {
    return call(b -> b.list(namespace));
  }

  public CacheWarmingSchedule get(String namespace, String name) {
    return call(b -> b.get(namespace, name));
  }

  /** Pauses a schedule: no runs until resumed (a run in progress finishes). */
  public CacheWarmingSchedule pause(String namespace, String name, String note) {
    return call(b -> b.pause(namespace, name, note == null ? "paused through the REST API" : note));
  }

  public CacheWarmingSchedule resume(String namespace, String name, String note) {
    return call(b -> b.resume(namespace, name, note == null ? "resumed through the REST API" : note));
  }

  /** Starts a run now, unless one is still going (overlapping runs are skipped, as scheduled ones are). */
  public CacheWarmingSchedule.Trigger trigger(String namespace, String name) {
    return call(b -> b.trigger(namespace, name));
  }

  /** Deletes a schedule; runs already started go on. */
  public void delete(String namespace, String name) {
    call(
        b -> {
          b.delete(namespace, name);
          return null;
        });
  }

  /** Runs an operation on Temporal Schedules, or, once the server turned out to have none, on cron workflows. */
  private <T> T call(Function<Backend, T> operation) {
    if (!fallback) {
      try {
        return operation.apply(schedules);
      } catch (RuntimeException e) {
        if (!unimplemented(e)) {
          throw e;
        }
        switchToCronWorkflows(e);
      }
    }
    return operation.apply(cronWorkflows);
  }

  private void switchToCronWorkflows(RuntimeException cause) {
    if (!fallback) {
      fallback = true;
      log.warn(
          "The Temporal server does not implement Schedules ({}); this is Temporal's Java test server of the dev mode."
              + " Cache-warming schedules run as cron workflows instead (docs/caching.md says what differs).",
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

  /** Checks a request, listing every problem by field, before Temporal is asked anything. */
  static Definition validate(String namespace, CacheWarmingSchedule.Request request) {
    List<FieldError> errors = new ArrayList<>();
    String name = request.name();
    if (name == null || name.isBlank()) {
      errors.add(new FieldError("FieldValueRequired", "name", "Required value"));
    } else if (name.length() > 63 || !DNS1123_LABEL.matcher(name).matches()) {
      errors.add(
          new FieldError(
              "FieldValueInvalid",
              "name",
              "Invalid value: \"" + name + "\": a lowercase RFC 1123 label must consist of lower case alphanumeric"
                  + " characters or '-', and must start and end with an alphanumeric character (at most 63)"));
    }
    if (namespace == null || namespace.isBlank()) {
      errors.add(new FieldError("FieldValueRequired", "namespace", "Required value"));
    }
    boolean cron = request.cron() != null && !request.cron().isBlank();
    boolean interval = request.interval() != null && !request.interval().isBlank();
    Duration every = null;
    if (cron && interval) {
      errors.add(new FieldError("FieldValueInvalid", "interval", "Invalid value: \"" + request.interval() + "\": set either cron or interval, not both"));
    } else if (!cron && !interval) {
      errors.add(new FieldError("FieldValueRequired", "cron", "Required value: one of cron or interval is required"));
    } else if (interval) {
      try {
        every = DurationStyle.detectAndParse(request.interval().strip());
        if (every.isNegative() || every.isZero()) {
          throw new IllegalArgumentException("not positive");
        }
      } catch (IllegalArgumentException e) {
        errors.add(
            new FieldError(
                "FieldValueInvalid", "interval", "Invalid value: \"" + request.interval() + "\": a positive duration such as 30m, 6h, 1d or PT6H"));
      }
    }
    String zone = request.timeZone() == null || request.timeZone().isBlank() ? null : request.timeZone().strip();
    if (zone != null) {
      try {
        ZoneId.of(zone);
      } catch (RuntimeException e) {
        errors.add(new FieldError("FieldValueInvalid", "timeZone", "Invalid value: \"" + zone + "\": not an IANA time zone such as Europe/Berlin"));
      }
      if (interval && !cron) {
        errors.add(new FieldError("FieldValueInvalid", "timeZone", "Invalid value: \"" + zone + "\": a time zone applies to cron, not to an interval"));
      }
    }
    if (!errors.isEmpty()) {
      throw CacheWarmingScheduleException.invalid(errors);
    }
    return new Definition(
        namespace,
        name,
        request.labelSelector() == null ? "" : request.labelSelector().strip(),
        cron ? request.cron().strip() : null,
        every,
        zone,
        Boolean.TRUE.equals(request.paused()),
        request.note() == null || request.note().isBlank() ? null : request.note());
  }
}
