package aim.orchestrator.starter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleException;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleInfo;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleListInfo;
import io.temporal.client.schedules.ScheduleListSchedule;
import io.temporal.client.schedules.ScheduleListState;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The schedule endpoints over the schedule service on Temporal's ScheduleClient (mocked). The cron-workflow fallback
 * is not switched on here (it would stay on for the shared context); CacheWarmingSchedulesTest covers it on the test
 * server and RestApiE2ETest over real HTTP.
 */
class ScheduleApiTest extends ApiTestSupport {
  private static final String PROBLEM = "https://aim-orchestrator.dev/problems/";
  private static final DataConverter CONVERTER = DataConverter.getDefaultInstance();
  private static final Instant NEXT = Instant.parse("2026-11-23T03:00:00Z");

  private String schedulesPath() {
    return "/api/v1/namespaces/" + ns + "/cachewarmingschedules";
  }

  private ScheduleDescription description(String name, String selector, boolean paused) {
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType("CacheWarmingWorkflow").setArguments(new aim.orchestrator.workflow.warming.CacheWarmingRequest(ns, selector)).build())
            .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 3 * * *")).build())
            .setState(ScheduleState.newBuilder().setPaused(paused).setNote(paused ? "maintenance" : "").build())
            .build();
    ScheduleInfo info =
        new ScheduleInfo(
            1,
            0,
            0,
            List.of(),
            List.of(new ScheduleActionResult(NEXT.minusSeconds(86400), NEXT.minusSeconds(86399), new ScheduleActionExecutionStartWorkflow("CacheWarming/" + ns + "/" + name + "-2026-11-22T03:00:00Z", "run"))),
            List.of(NEXT),
            NEXT.minusSeconds(90000),
            NEXT.minusSeconds(90000));
    Map<String, Payload> memo = Map.of("labelSelector", CONVERTER.toPayload(selector).orElseThrow());
    return new ScheduleDescription("CacheWarming/" + ns + "/" + name, info, schedule, Map.of(), SearchAttributes.EMPTY, memo, CONVERTER);
  }

  private ScheduleHandle handle(String name, ScheduleDescription description) {
    ScheduleHandle handle = mock(ScheduleHandle.class);
    when(handle.describe()).thenReturn(description);
    when(schedules.getHandle("CacheWarming/" + ns + "/" + name)).thenReturn(handle);
    return handle;
  }

  @Test
  void createsAScheduleThatStartsCacheWarmingWorkflow() throws Exception {
    handle("nightly", description("nightly", "team=ml", false));

    mvc.perform(
            post(schedulesPath())
                .header(HttpHeaders.AUTHORIZATION, admin())
                .contentType(MediaType.APPLICATION_JSON)
                .content(json("{'name':'nightly','cron':'0 3 * * *','labelSelector':'team=ml'}")))
        .andExpect(status().isCreated())
        .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost" + schedulesPath() + "/nightly"))
        .andExpect(jsonPath("$.scheduleId").value("CacheWarming/" + ns + "/nightly"))
        .andExpect(jsonPath("$.labelSelector").value("team=ml"))
        .andExpect(jsonPath("$.cron[0]").value("0 3 * * *"))
        .andExpect(jsonPath("$.nextRuns[0]").value("2026-11-23T03:00:00Z"))
        .andExpect(jsonPath("$.recentRuns[0].workflowId").value("CacheWarming/" + ns + "/nightly-2026-11-22T03:00:00Z"));

    ArgumentCaptor<Schedule> schedule = ArgumentCaptor.forClass(Schedule.class);
    ArgumentCaptor<ScheduleOptions> options = ArgumentCaptor.forClass(ScheduleOptions.class);
    verify(schedules).createSchedule(eq("CacheWarming/" + ns + "/nightly"), schedule.capture(), options.capture());
    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) schedule.getValue().getAction();
    assertThat(action.getWorkflowType()).isEqualTo("CacheWarmingWorkflow");
    assertThat(action.getOptions().getTaskQueue()).isEqualTo("aim-workflows");
    assertThat(action.getOptions().getWorkflowId()).isEqualTo("CacheWarming/" + ns + "/nightly");
    // The workflow's input is the JSON object {namespace, labelSelector}.
    Payload input = CONVERTER.toPayloads(action.getArguments().get(0, aim.orchestrator.workflow.warming.CacheWarmingRequest.class)).orElseThrow().getPayloads(0);
    assertThat(input.getData().toStringUtf8()).isEqualTo("{\"namespace\":\"" + ns + "\",\"labelSelector\":\"team=ml\"}");
    assertThat(schedule.getValue().getSpec().getCronExpressions()).containsExactly("0 3 * * *");
    assertThat(schedule.getValue().getState().isPaused()).isFalse();
    assertThat(options.getValue().getMemo()).containsEntry("labelSelector", "team=ml");
  }

  @Test
  void createsIntervalSchedules() throws Exception {
    handle("often", description("often", "", false));

    mvc.perform(post(schedulesPath()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(json("{'name':'often','interval':'6h','paused':true}")))
        .andExpect(status().isCreated());

    ArgumentCaptor<Schedule> schedule = ArgumentCaptor.forClass(Schedule.class);
    verify(schedules).createSchedule(anyString(), schedule.capture(), any());
    assertThat(schedule.getValue().getSpec().getIntervals()).extracting(ScheduleIntervalSpec::getEvery).containsExactly(Duration.ofHours(6));
    assertThat(schedule.getValue().getState().isPaused()).isTrue();
  }

  @Test
  void refusesAnInvalidScheduleListingEveryProblem() throws Exception {
    mvc.perform(post(schedulesPath()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(json("{'name':'Nightly!'}")))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.type").value(PROBLEM + "validation"))
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("name", "cron")));
    mvc.perform(
            post(schedulesPath())
                .header(HttpHeaders.AUTHORIZATION, admin())
                .contentType(MediaType.APPLICATION_JSON)
                .content(json("{'name':'x','cron':'0 3 * * *','interval':'1h'}")))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.errors[0].field").value("interval"));
    mvc.perform(post(schedulesPath()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(json("{'name':'x','interval':'sometimes'}")))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.errors[0].message").value(org.hamcrest.Matchers.containsString("a positive duration")));
    verify(schedules, never()).createSchedule(anyString(), any(), any());
  }

  @Test
  void answersConflictForATakenName() throws Exception {
    when(schedules.createSchedule(anyString(), any(), any()))
        .thenThrow(new ScheduleAlreadyRunningException(new StatusRuntimeException(Status.ALREADY_EXISTS)));

    mvc.perform(post(schedulesPath()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(json("{'name':'nightly','cron':'@daily'}")))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value(PROBLEM + "already-exists"));
  }

  @Test
  void refusesATimeZoneThatDoesNotExist() throws Exception {
    mvc.perform(
            post(schedulesPath())
                .header(HttpHeaders.AUTHORIZATION, admin())
                .contentType(MediaType.APPLICATION_JSON)
                .content(json("{'name':'nightly','cron':'0 3 * * *','timeZone':'Mars/Olympus'}")))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.type").value(PROBLEM + "validation"))
        .andExpect(jsonPath("$.errors[0].field").value("timeZone"));
    verify(schedules, never()).createSchedule(anyString(), any(), any());
  }

  @Test
  void anInvalidCronSpecFromTemporalIsAValidationProblem() throws Exception {
    when(schedules.createSchedule(anyString(), any(), any()))
        .thenThrow(new ScheduleException(new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription("invalid cron: 99 * * * *"))));

    mvc.perform(post(schedulesPath()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(json("{'name':'nightly','cron':'99 * * * *'}")))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("invalid cron")));
  }

  @Test
  void listsTheSchedulesOfTheNamespace() throws Exception {
    Map<String, Payload> memo = Map.of("labelSelector", CONVERTER.toPayload("team=ml").orElseThrow());
    ScheduleListSchedule listed =
        new ScheduleListSchedule(
            new ScheduleListActionStartWorkflow("CacheWarmingWorkflow"),
            ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofHours(6)))).build(),
            new ScheduleListState("", true));
    when(schedules.listSchedules())
        .thenReturn(
            Stream.of(
                new ScheduleListDescription("CacheWarming/" + ns + "/mine", listed, new ScheduleListInfo(List.of(), List.of(NEXT)), memo, CONVERTER, Map.of()),
                new ScheduleListDescription("CacheWarming/other-ns/theirs", listed, new ScheduleListInfo(List.of(), List.of()), memo, CONVERTER, Map.of())));

    mvc.perform(get(schedulesPath()).header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items[*].name").value(containsInAnyOrder("mine")))
        .andExpect(jsonPath("$.items[0].labelSelector").value("team=ml"))
        .andExpect(jsonPath("$.items[0].intervals[0]").value("PT6H"))
        .andExpect(jsonPath("$.items[0].paused").value(true));
  }

  @Test
  void getsPausesResumesTriggersAndDeletes() throws Exception {
    ScheduleHandle handle = handle("nightly", description("nightly", "team=ml", true));
    String nightly = schedulesPath() + "/nightly";

    mvc.perform(get(nightly).header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.paused").value(true))
        .andExpect(jsonPath("$.note").value("maintenance"));
    mvc.perform(post(nightly + "/pause").param("note", "maintenance").header(HttpHeaders.AUTHORIZATION, admin())).andExpect(status().isOk());
    verify(handle).pause("maintenance");
    mvc.perform(post(nightly + "/resume").header(HttpHeaders.AUTHORIZATION, admin())).andExpect(status().isOk());
    verify(handle).unpause("resumed through the REST API");
    mvc.perform(post(nightly + "/trigger").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isAccepted())
        .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost" + nightly))
        .andExpect(jsonPath("$.action").value("trigger"))
        .andExpect(jsonPath("$.workflowId").value("CacheWarming/" + ns + "/nightly"))
        .andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.containsString("overlap policy")));
    verify(handle).trigger();
    mvc.perform(delete(nightly).header(HttpHeaders.AUTHORIZATION, admin())).andExpect(status().isNoContent());
    verify(handle).delete();
  }

  @Test
  void answersNotFoundForAMissingSchedule() throws Exception {
    ScheduleHandle handle = mock(ScheduleHandle.class);
    when(handle.describe()).thenThrow(new ScheduleException(new StatusRuntimeException(Status.NOT_FOUND)));
    doThrow(new ScheduleException(new StatusRuntimeException(Status.NOT_FOUND))).when(handle).delete();
    when(schedules.getHandle("CacheWarming/" + ns + "/missing")).thenReturn(handle);

    mvc.perform(get(schedulesPath() + "/missing").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value(PROBLEM + "not-found"));
    mvc.perform(delete(schedulesPath() + "/missing").header(HttpHeaders.AUTHORIZATION, admin())).andExpect(status().isNotFound());
  }

  @Test
  void authorizesAsTheResourceCachewarmingschedules() throws Exception {
    REVIEWS.addUser("erin-token", "erin");
    REVIEWS.allow("erin", "get cachewarmingschedules");
    handle("nightly", description("nightly", "", false));

    mvc.perform(get(schedulesPath() + "/nightly").header(HttpHeaders.AUTHORIZATION, bearer("erin-token"))).andExpect(status().isOk());
    mvc.perform(post(schedulesPath() + "/nightly/trigger").header(HttpHeaders.AUTHORIZATION, bearer("erin-token")))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.resource").value("cachewarmingschedules"))
        .andExpect(jsonPath("$.verb").value("patch"));
  }
}
