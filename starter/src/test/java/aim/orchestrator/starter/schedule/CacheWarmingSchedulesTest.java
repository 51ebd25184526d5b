package aim.orchestrator.starter.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import aim.orchestrator.crd.FieldError;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.warming.CacheWarmingReport;
import aim.orchestrator.workflow.warming.CacheWarmingRequest;
import aim.orchestrator.workflow.warming.CacheWarmingWorkflow;
import io.grpc.Status;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
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
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;

class CacheWarmingSchedulesTest {
  static final String NS = "ml-team";
  static final CacheWarmingSchedule.Request NIGHTLY =
      new CacheWarmingSchedule.Request("nightly", "0 3 * * *", null, "Europe/Berlin", "team=ml", null, null);
  static final Instant NEXT = Instant.parse("2026-11-23T02:00:00Z");

  /** The Temporal Schedule path, with Temporal's ScheduleClient mocked (the Java test server has no schedules). */
  @Nested
  class WithTemporalSchedules {
    final ScheduleClient client = mock(ScheduleClient.class);
    final WorkflowClient workflows = mock(WorkflowClient.class);
    final ScheduleHandle handle = mock(ScheduleHandle.class);
    final CacheWarmingSchedules schedules = new CacheWarmingSchedules(client, workflows);

    @BeforeEach
    void described() {
      when(client.getHandle("CacheWarming/ml-team/nightly")).thenReturn(handle);
      when(handle.describe()).thenReturn(description(false, ""));
    }

    @Test
    void createMakesAScheduleThatStartsTheWarmingWorkflowOnTheCronSpecInTheTimeZone() {
      CacheWarmingSchedule created = schedules.create(NS, NIGHTLY);

      ArgumentCaptor<Schedule> schedule = ArgumentCaptor.forClass(Schedule.class);
      ArgumentCaptor<ScheduleOptions> options = ArgumentCaptor.forClass(ScheduleOptions.class);
      verify(client).createSchedule(eq("CacheWarming/ml-team/nightly"), schedule.capture(), options.capture());
      assertThat(schedule.getValue().getSpec().getCronExpressions()).containsExactly("0 3 * * *");
      assertThat(schedule.getValue().getSpec().getTimeZoneName()).isEqualTo("Europe/Berlin");
      assertThat(schedule.getValue().getPolicy().getOverlap()).isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
      assertThat(schedule.getValue().getState().isPaused()).isFalse();
      ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) schedule.getValue().getAction();
      assertThat(action.getWorkflowType()).isEqualTo("CacheWarmingWorkflow");
      assertThat(action.getOptions().getTaskQueue()).isEqualTo(TaskQueues.WORKFLOWS);
      assertThat(action.getOptions().getWorkflowId()).isEqualTo("CacheWarming/ml-team/nightly");
      assertThat(action.getArguments().get(0, CacheWarmingRequest.class)).isEqualTo(new CacheWarmingRequest(NS, "team=ml"));
      assertThat(options.getValue().getMemo()).containsEntry("namespace", NS).containsEntry("labelSelector", "team=ml");
      // What it returns is read back from Temporal.
      assertThat(created.backend()).isEqualTo(CacheWarmingSchedule.TEMPORAL_SCHEDULE);
      assertThat(created.timeZone()).isEqualTo("Europe/Berlin");
      assertThat(created.nextRuns()).containsExactly(NEXT);
      assertThat(created.recentRuns()).extracting(CacheWarmingSchedule.Run::workflowId)
          .containsExactly("CacheWarming/ml-team/nightly-2026-11-22T02:00:00Z", "CacheWarming/ml-team/nightly-2026-11-21T02:00:00Z");
      assertThat(created.warnings()).isNull();
      assertThat(schedules.usesCronWorkflows()).isFalse();
      verifyNoInteractions(workflows);
    }

    @Test
    void createsIntervalSchedulesPausedWithANote() {
      schedules.create(NS, new CacheWarmingSchedule.Request("nightly", null, "6h", null, "", true, "not yet"));

      ArgumentCaptor<Schedule> schedule = ArgumentCaptor.forClass(Schedule.class);
      verify(client).createSchedule(any(), schedule.capture(), any());
      assertThat(schedule.getValue().getSpec().getIntervals()).extracting(ScheduleIntervalSpec::getEvery).containsExactly(Duration.ofHours(6));
      assertThat(schedule.getValue().getSpec().getCronExpressions()).isNullOrEmpty();
      assertThat(schedule.getValue().getState().isPaused()).isTrue();
      assertThat(schedule.getValue().getState().getNote()).isEqualTo("not yet");
    }

    @Test
    void listReadsTheNamespacesSchedulesBack() {
      when(client.listSchedules())
          .thenReturn(Stream.of(listed("CacheWarming/ml-team/nightly", true, "maintenance"), listed("CacheWarming/other/theirs", false, null), listed("someone-elses", false, null)));

      assertThat(schedules.list(NS))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.name()).isEqualTo("nightly");
                assertThat(s.labelSelector()).isEqualTo("team=ml");
                assertThat(s.cron()).containsExactly("0 3 * * *");
                assertThat(s.timeZone()).isEqualTo("Europe/Berlin");
                assertThat(s.paused()).isTrue();
                assertThat(s.note()).isEqualTo("maintenance");
              });
    }

    @Test
    void pauseResumeTriggerAndDeleteGoToTheSchedule() {
      when(handle.describe()).thenReturn(description(true, "maintenance"));

      assertThat(schedules.pause(NS, "nightly", "maintenance").paused()).isTrue();
      schedules.resume(NS, "nightly", null);
      CacheWarmingSchedule.Trigger trigger = schedules.trigger(NS, "nightly");
      schedules.delete(NS, "nightly");

      verify(handle).pause("maintenance");
      verify(handle).unpause("resumed through the REST API");
      verify(handle).trigger();
      verify(handle).delete();
      assertThat(trigger.started()).as("Temporal decides after the call").isNull();
      assertThat(trigger.workflowId()).isEqualTo("CacheWarming/ml-team/nightly");
    }

    @Test
    void aBadRequestIsRejectedWithEveryProblemByFieldBeforeTemporalIsAsked() {
      assertThatThrownBy(() -> schedules.create(NS, new CacheWarmingSchedule.Request("Bad_Name", null, null, "Mars/Olympus", null, null, null)))
          .isInstanceOfSatisfying(
              CacheWarmingScheduleException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(CacheWarmingScheduleException.Kind.INVALID);
                assertThat(e.errors()).extracting(FieldError::field).containsExactly("name", "cron", "timeZone");
              });
      assertThatThrownBy(() -> schedules.create(NS, new CacheWarmingSchedule.Request("x", "0 3 * * *", "1h", null, null, null, null)))
          .isInstanceOfSatisfying(CacheWarmingScheduleException.class, e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("interval"));
      assertThatThrownBy(() -> schedules.create(NS, new CacheWarmingSchedule.Request("x", null, "sometimes", null, null, null, null)))
          .isInstanceOfSatisfying(CacheWarmingScheduleException.class, e -> assertThat(e.errors().get(0).message()).contains("a positive duration"));
      assertThatThrownBy(() -> schedules.create(NS, new CacheWarmingSchedule.Request("x", null, "1h", "Europe/Berlin", null, null, null)))
          .isInstanceOfSatisfying(CacheWarmingScheduleException.class, e -> assertThat(e.errors().get(0).message()).contains("applies to cron, not to an interval"));
      verifyNoInteractions(client);
    }

    @Test
    void otherFailuresAreNotMistakenForAMissingFeature() {
      when(client.createSchedule(any(), any(), any()))
          .thenThrow(new ScheduleException(Status.PERMISSION_DENIED.asRuntimeException()));

      assertThatThrownBy(() -> schedules.create(NS, NIGHTLY)).isInstanceOf(ScheduleException.class);
      assertThat(schedules.usesCronWorkflows()).isFalse();
      verifyNoInteractions(workflows);
    }

    ScheduleDescription description(boolean paused, String note) {
      var converter = DefaultDataConverter.STANDARD_INSTANCE;
      Schedule schedule =
          Schedule.newBuilder()
              .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType("CacheWarmingWorkflow").setArguments(new CacheWarmingRequest(NS, "team=ml")).build())
              .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 3 * * *")).setTimeZoneName("Europe/Berlin").build())
              .setState(ScheduleState.newBuilder().setPaused(paused).setNote(note).build())
              .build();
      ScheduleInfo info =
          new ScheduleInfo(
              2,
              0,
              0,
              List.of(),
              List.of(
                  new ScheduleActionResult(NEXT.minus(Duration.ofDays(2)), NEXT.minus(Duration.ofDays(2)), new ScheduleActionExecutionStartWorkflow("CacheWarming/ml-team/nightly-2026-11-21T02:00:00Z", "run-1")),
                  new ScheduleActionResult(NEXT.minus(Duration.ofDays(1)), NEXT.minus(Duration.ofDays(1)), new ScheduleActionExecutionStartWorkflow("CacheWarming/ml-team/nightly-2026-11-22T02:00:00Z", "run-2"))),
              List.of(NEXT),
              NEXT.minus(Duration.ofDays(3)),
              null);
      Map<String, Payload> memo = Map.of("labelSelector", converter.toPayload("team=ml").orElseThrow());
      return new ScheduleDescription("CacheWarming/ml-team/nightly", info, schedule, Map.of(), SearchAttributes.EMPTY, memo, converter);
    }

    ScheduleListDescription listed(String id, boolean paused, String note) {
      var converter = DefaultDataConverter.STANDARD_INSTANCE;
      Map<String, Payload> memo =
          Map.of("namespace", converter.toPayload(NS).orElseThrow(), "labelSelector", converter.toPayload("team=ml").orElseThrow());
      return new ScheduleListDescription(
          id,
          new ScheduleListSchedule(
              new ScheduleListActionStartWorkflow("CacheWarmingWorkflow"),
              ScheduleSpec.newBuilder().setCronExpressions(List.of("0 3 * * *")).setTimeZoneName("Europe/Berlin").build(),
              new ScheduleListState(note, paused)),
          new ScheduleListInfo(List.of(), List.of(NEXT)),
          memo,
          converter,
          Map.of());
    }
  }

  /**
   * Temporal's Java test server answers UNIMPLEMENTED for schedules: every operation works on cron workflows. Time is
   * skipped, so cron runs happen within the test.
   */
  @Nested
  class OnTheTestServer {
    TestWorkflowEnvironment env;
    WorkflowClient workflows;
    CacheWarmingSchedules schedules;

    @BeforeEach
    void start() {
      RecordingWarming.RUNS.set(0);
      env = TestWorkflowEnvironment.newInstance();
      env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(RecordingWarming.class);
      env.start();
      workflows = env.getWorkflowClient();
      schedules = restartedStarter();
    }

    @AfterEach
    void stop() {
      env.close();
    }

    /** A new service instance on the same Temporal server: what a restarted starter process has. */
    CacheWarmingSchedules restartedStarter() {
      return new CacheWarmingSchedules(
          ScheduleClient.newInstance(env.getWorkflowServiceStubs()), workflows, () -> Instant.ofEpochMilli(env.currentTimeMillis()));
    }

    @Test
    void aScheduleRunsAsACronWorkflowAndEveryOperationWorks() {
      CacheWarmingSchedule created = schedules.create(NS, new CacheWarmingSchedule.Request("hourly", "0 * * * *", null, "Europe/Berlin", "team=ml", null, "made in a test"));

      assertThat(schedules.usesCronWorkflows()).isTrue();
      assertThat(created.backend()).isEqualTo(CacheWarmingSchedule.CRON_WORKFLOW);
      assertThat(created.scheduleId()).isEqualTo("CacheWarming/ml-team/hourly");
      assertThat(created.cron()).containsExactly("0 * * * *");
      assertThat(created.timeZone()).isEqualTo("Europe/Berlin");
      assertThat(created.note()).isEqualTo("made in a test");
      assertThat(created.warnings()).anyMatch(w -> w.contains("runs in UTC, not Europe/Berlin"));
      assertThat(created.nextRuns()).singleElement().satisfies(t -> assertThat(t.getEpochSecond() % 3600).isZero());
      assertThat(created.recentRuns()).isEmpty();
      assertThat(status("CacheWarming/ml-team/hourly")).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

      // Two hours later two runs happened, with the schedule's namespace and selector.
      env.sleep(Duration.ofMinutes(121));
      assertThat(RecordingWarming.RUNS.get()).isEqualTo(2);
      assertThat(RecordingWarming.LAST.get()).isEqualTo(new CacheWarmingRequest(NS, "team=ml"));
      CacheWarmingSchedule ran = schedules.get(NS, "hourly");
      assertThat(ran.recentRuns()).hasSize(2).allSatisfy(r -> {
        assertThat(r.workflowId()).isEqualTo("CacheWarming/ml-team/hourly");
        assertThat(r.scheduledAt().getEpochSecond() % 3600).isZero();
      });
      assertThat(schedules.list(NS)).extracting(CacheWarmingSchedule::name).containsExactly("hourly");

      // Paused: no runs; the note says why. A restarted starter sees the same (the state is in Temporal).
      assertThat(schedules.pause(NS, "hourly", "maintenance").paused()).isTrue();
      env.sleep(Duration.ofHours(2));
      assertThat(RecordingWarming.RUNS.get()).isEqualTo(2);
      CacheWarmingSchedules restarted = restartedStarter();
      CacheWarmingSchedule paused = restarted.get(NS, "hourly");
      assertThat(paused.paused()).isTrue();
      assertThat(paused.note()).isEqualTo("maintenance");
      assertThat(paused.nextRuns()).isEmpty();

      // Resumed (by the restarted starter): runs again, with the same definition.
      CacheWarmingSchedule resumed = restarted.resume(NS, "hourly", "back");
      assertThat(resumed.paused()).isFalse();
      assertThat(resumed.note()).isEqualTo("back");
      assertThat(resumed.labelSelector()).isEqualTo("team=ml");
      env.sleep(Duration.ofMinutes(61));
      assertThat(RecordingWarming.RUNS.get()).isEqualTo(3);

      // Deleted: gone, no more runs, and the name can be used again.
      restarted.delete(NS, "hourly");
      assertThatThrownBy(() -> schedules.get(NS, "hourly"))
          .isInstanceOfSatisfying(CacheWarmingScheduleException.class, e -> assertThat(e.kind()).isEqualTo(CacheWarmingScheduleException.Kind.NOT_FOUND));
      assertThat(schedules.list(NS)).isEmpty();
      env.sleep(Duration.ofHours(2));
      assertThat(RecordingWarming.RUNS.get()).isEqualTo(3);
      assertThat(schedules.create(NS, new CacheWarmingSchedule.Request("hourly", "0 * * * *", null, null, "", null, null)).paused()).isFalse();
    }

    @Test
    void triggerRunsNowAndSkipsWhileARunIsGoing() {
      schedules.create(NS, new CacheWarmingSchedule.Request("daily", "@daily", null, null, "", true, null));
      RecordingWarming.HOLD.set(true);

      CacheWarmingSchedule.Trigger first = schedules.trigger(NS, "daily");
      CacheWarmingSchedule.Trigger second = schedules.trigger(NS, "daily");

      assertThat(first.started()).isTrue();
      assertThat(first.workflowId()).isEqualTo("CacheWarming/ml-team/daily/now");
      assertThat(second.started()).isFalse();
      assertThat(second.message()).contains("still going");
      assertThat(schedules.get(NS, "daily").recentRuns()).extracting(CacheWarmingSchedule.Run::workflowId).containsExactly("CacheWarming/ml-team/daily/now");
      // A paused schedule can be triggered (as a Temporal Schedule can); it stays paused.
      assertThat(schedules.get(NS, "daily").paused()).isTrue();

      RecordingWarming.HOLD.set(false);
      env.sleep(Duration.ofMinutes(2));
      assertThat(schedules.trigger(NS, "daily").started()).isTrue();
    }

    @Test
    void aTakenNameAndAMissingScheduleAreSaidSo() {
      schedules.create(NS, NIGHTLY);

      assertThatThrownBy(() -> schedules.create(NS, NIGHTLY))
          .isInstanceOfSatisfying(CacheWarmingScheduleException.class, e -> assertThat(e.kind()).isEqualTo(CacheWarmingScheduleException.Kind.ALREADY_EXISTS));
      for (var op : List.<Runnable>of(
          () -> schedules.get(NS, "missing"), () -> schedules.pause(NS, "missing", null), () -> schedules.resume(NS, "missing", null),
          () -> schedules.trigger(NS, "missing"), () -> schedules.delete(NS, "missing"))) {
        assertThatThrownBy(op::run)
            .isInstanceOfSatisfying(CacheWarmingScheduleException.class, e -> assertThat(e.kind()).isEqualTo(CacheWarmingScheduleException.Kind.NOT_FOUND));
      }
    }

    @Test
    void intervalsRunAsTheCronExpressionThatFiresAtTheSameTimes() {
      CacheWarmingSchedule sixHourly = schedules.create(NS, new CacheWarmingSchedule.Request("six", null, "6h", null, "", null, null));

      assertThat(sixHourly.intervals()).containsExactly("PT6H");
      assertThat(sixHourly.warnings()).anyMatch(w -> w.contains("\"0 */6 * * *\""));
      assertThat(sixHourly.nextRuns()).singleElement().satisfies(t -> assertThat(t.getEpochSecond() % (6 * 3600)).isZero());
      assertThatThrownBy(() -> schedules.create(NS, new CacheWarmingSchedule.Request("odd", null, "7m", null, "", null, null)))
          .isInstanceOfSatisfying(CacheWarmingScheduleException.class, e -> {
            assertThat(e.errors()).extracting(FieldError::field).containsExactly("interval");
            assertThat(e.errors().get(0).message()).contains("use cron");
          });
      assertThatThrownBy(() -> schedules.create(NS, new CacheWarmingSchedule.Request("seconds", "0 0 3 * * *", null, null, "", null, null)))
          .isInstanceOfSatisfying(CacheWarmingScheduleException.class, e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("cron"));
    }

    WorkflowExecutionStatus status(String workflowId) {
      return workflows.newUntypedWorkflowStub(workflowId).describe().getStatus();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "PT1M, * * * * *",
    "PT15M, */15 * * * *",
    "PT1H, 0 * * * *",
    "PT6H, 0 */6 * * *",
    "PT8H, 0 */8 * * *",
    "P1D, 0 0 * * *",
    "PT7M, ",
    "PT5H, ",
    "PT90M, ",
    "PT30S, ",
    "P2D, "
  })
  void intervalsAsCron(String interval, String cron) {
    assertThat(CronWorkflowBackend.intervalAsCron(Duration.parse(interval)).orElse(null)).isEqualTo(cron);
  }

  /** Stands in for the real workflow, which lives in the worker: counts runs, and can hold one open. */
  public static class RecordingWarming implements CacheWarmingWorkflow {
    static final AtomicInteger RUNS = new AtomicInteger();
    static final java.util.concurrent.atomic.AtomicReference<CacheWarmingRequest> LAST = new java.util.concurrent.atomic.AtomicReference<>();
    static final java.util.concurrent.atomic.AtomicBoolean HOLD = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public CacheWarmingReport warm(CacheWarmingRequest request) {
      if (!Workflow.isReplaying()) {
        RUNS.incrementAndGet();
        LAST.set(request);
      }
      if (Workflow.sideEffect(Boolean.class, HOLD::get)) {
        Workflow.sleep(Duration.ofMinutes(1));
      }
      return progress();
    }

    @Override
    public CacheWarmingReport progress() {
      return new CacheWarmingReport(null, null, List.of(), List.of(), List.of(), "nothing");
    }
  }
}
