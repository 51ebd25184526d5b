package aim.orchestrator.starter.api;

import aim.orchestrator.starter.schedule.CacheWarmingSchedule;
import aim.orchestrator.starter.schedule.CacheWarmingScheduleException;
import aim.orchestrator.starter.schedule.CacheWarmingSchedules;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cache-warming schedules of a namespace ({@link CacheWarmingSchedules}: Temporal Schedules, or cron workflows where
 * the Temporal server has none). Authorized like a Kubernetes resource {@code cachewarmingschedules} of group {@code
 * aim.eai.amd.com} (RBAC rules may name it although Kubernetes does not serve it): create, list, get, patch (pause,
 * resume, trigger), delete.
 */
@RestController
@RequestMapping(path = "/api/v1/namespaces/{namespace}/cachewarmingschedules", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
    name = "Cache-warming schedules",
    description = "Temporal Schedules that start CacheWarmingWorkflow; cron workflows on a Temporal server without schedules (the dev mode)")
class ScheduleController {
  static final String RESOURCE = "cachewarmingschedules";

  private final CacheWarmingSchedules schedules;
  private final Access access;

  ScheduleController(CacheWarmingSchedules schedules, Access access) {
    this.schedules = schedules;
    this.access = access;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Create a cache-warming schedule", description = "Exactly one of cron or interval. 409 when the name is taken.")
  @ApiResponse(responseCode = "201", description = "Created; Location is the schedule")
  @ApiResponse(responseCode = "409", description = "A schedule of that name exists")
  @ApiResponse(responseCode = "422", description = "The request is invalid (cron, interval, time zone, selector); errors name the fields")
  ResponseEntity<CacheWarmingSchedule> create(@PathVariable String namespace, @RequestBody CacheWarmingSchedule.Request request) {
    access.require("create", RESOURCE, namespace, null);
    CacheWarmingSchedule created = call(request.name(), () -> schedules.create(namespace, request));
    return ResponseEntity.created(location(namespace, created.name())).body(created);
  }

  @GetMapping
  @Operation(summary = "List the cache-warming schedules of a namespace")
  @ApiResponse(responseCode = "200", description = "The schedules, under items")
  Map<String, List<CacheWarmingSchedule>> list(@PathVariable String namespace) {
    access.require("list", RESOURCE, namespace, null);
    return Map.of("items", call("cache-warming schedules of " + namespace, () -> schedules.list(namespace)));
  }

  @GetMapping("/{name}")
  @Operation(summary = "Get a cache-warming schedule", description = "With its next and recent runs.")
  @ApiResponse(responseCode = "200", description = "The schedule")
  CacheWarmingSchedule get(@PathVariable String namespace, @PathVariable String name) {
    access.require("get", RESOURCE, namespace, name);
    return call(name, () -> schedules.get(namespace, name));
  }

  @PostMapping("/{name}/pause")
  @Operation(summary = "Pause a schedule")
  @ApiResponse(responseCode = "200", description = "The paused schedule")
  CacheWarmingSchedule pause(@PathVariable String namespace, @PathVariable String name, @RequestParam(required = false) String note) {
    access.require("patch", RESOURCE, namespace, name);
    return call(name, () -> schedules.pause(namespace, name, note));
  }

  @PostMapping("/{name}/resume")
  @Operation(summary = "Resume a paused schedule")
  @ApiResponse(responseCode = "200", description = "The resumed schedule")
  CacheWarmingSchedule resume(@PathVariable String namespace, @PathVariable String name, @RequestParam(required = false) String note) {
    access.require("patch", RESOURCE, namespace, name);
    return call(name, () -> schedules.resume(namespace, name, note));
  }

  @PostMapping("/{name}/trigger")
  @Operation(
      summary = "Run a schedule now",
      description = "202; the Location is the schedule, whose recentRuns show the run. A run still going makes this one skipped.")
  @ApiResponse(responseCode = "202", description = "A run was started; Location is the schedule")
  ResponseEntity<Accepted> trigger(@PathVariable String namespace, @PathVariable String name) {
    access.require("patch", RESOURCE, namespace, name);
    CacheWarmingSchedule.Trigger trigger = call(name, () -> schedules.trigger(namespace, name));
    Accepted accepted =
        new Accepted(
            "trigger",
            "CacheWarmingSchedule",
            namespace,
            name,
            trigger.workflowId(),
            access.caller().username(),
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            trigger.message());
    return ResponseEntity.accepted().location(location(namespace, name)).body(accepted);
  }

  @DeleteMapping("/{name}")
  @Operation(summary = "Delete a schedule", description = "Runs already started go on.")
  @ApiResponse(responseCode = "204", description = "Deleted")
  ResponseEntity<Void> delete(@PathVariable String namespace, @PathVariable String name) {
    access.require("delete", RESOURCE, namespace, name);
    call(
        name,
        () -> {
          schedules.delete(namespace, name);
          return null;
        });
    return ResponseEntity.noContent().build();
  }

  /** The schedule service's and Temporal's failures as the API's problems. */
  private static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (CacheWarmingScheduleException e) {
      throw switch (e.kind()) {
        case INVALID -> new ApiException(ProblemType.VALIDATION, e.getMessage(), e).with("errors", e.errors());
        case NOT_FOUND -> new ApiException(ProblemType.NOT_FOUND, e.getMessage(), e);
        case ALREADY_EXISTS -> new ApiException(ProblemType.ALREADY_EXISTS, e.getMessage(), e);
      };
    } catch (RuntimeException e) {
      throw TemporalErrors.toApi("Schedule " + what, e);
    }
  }

  private static java.net.URI location(String namespace, String name) {
    return ResourceController.location("/namespaces/" + namespace + "/" + RESOURCE + "/" + name);
  }
}
