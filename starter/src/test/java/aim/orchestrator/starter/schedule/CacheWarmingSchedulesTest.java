package aim.orchestrator.starter.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

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
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleException;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleListSchedule;
import io.temporal.client.schedules.ScheduleListState;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class CacheWarmingSchedulesTest {
  static final CacheWarmingSchedules.Spec NIGHTLY =
      new CacheWarmingSchedules.Spec("nightly", "ml-team", "team=ml", "0 3 * * *", "Europe/Berlin");

  /** The schedule path, with Temporal's ScheduleClient mocked. */
  @Nested
  class WithTemporalSchedules {
    final ScheduleClient client = mock(ScheduleClient.class);
    final WorkflowClient workflows = mock(WorkflowClient.class);
    final ScheduleHandle handle = mock(ScheduleHandle.class);
    final CacheWarmingSchedules schedules = new CacheWarmingSchedules(client, workflows);

    @Test
    void createMakesAScheduleThatStartsTheWarmingWorkflowOnTheCronSpecInTheTimeZone() {
      CacheWarmingSchedules.Info info = schedules.create(NIGHTLY);

      ArgumentCaptor<Schedule> schedule = ArgumentCaptor.forClass(Schedule.class);
      ArgumentCaptor<ScheduleOptions> options = ArgumentCaptor.forClass(ScheduleOptions.class);
      verify(client).createSchedule(eq("cache-warming-nightly"), schedule.capture(), options.capture());
      assertThat(schedule.getValue().getSpec().getCronExpressions()).containsExactly("0 3 * * *");
      assertThat(schedule.getValue().getSpec().getTimeZoneName()).isEqualTo("Europe/Berlin");
      assertThat(schedule.getValue().getPolicy().getOverlap()).isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
      ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) schedule.getValue().getAction();
      assertThat(action.getWorkflowType()).isEqualTo("CacheWarmingWorkflow");
      assertThat(action.getOptions().getTaskQueue()).isEqualTo(TaskQueues.WORKFLOWS);
      assertThat(action.getOptions().getWorkflowId()).isEqualTo("CacheWarming/nightly");
      assertThat(action.getArguments().get(0, CacheWarmingRequest.class)).isEqualTo(new CacheWarmingRequest("ml-team", "team=ml"));
      assertThat(options.getValue().getMemo()).containsEntry("namespace", "ml-team").containsEntry("labelSelector", "team=ml");
      assertThat(info.backend()).isEqualTo("schedule");
      assertThat(schedules.usesCronWorkflows()).isFalse();
      verifyNoInteractions(workflows);
    }

    @Test
    void listReadsTheCacheWarmingSchedulesBack() {
      when(client.listSchedules()).thenReturn(Stream.of(listed("cache-warming-nightly", true, "maintenance"), listed("someone-elses", false, null)));

      assertThat(schedules.list())
          .containsExactly(new CacheWarmingSchedules.Info(
              "nightly", "ml-team", "team=ml", "0 3 * * *", "Europe/Berlin", true, "schedule", "maintenance"));
    }

    @Test
    void pauseResumeAndDeleteGoToTheSchedule() {
      when(client.getHandle("cache-warming-nightly")).thenReturn(handle);
      when(client.listSchedules()).thenAnswer(i -> Stream.of(listed("cache-warming-nightly", true, "maintenance")));

      assertThat(schedules.pause("nightly", "maintenance").paused()).isTrue();
      schedules.resume("nightly", "done");
      schedules.delete("nightly");

      verify(handle).pause("maintenance");
      verify(handle).unpause("done");
      verify(handle).delete();
    }

    @Test
    void aBadSpecIsRejectedBeforeTemporalIsAsked() {
      assertThatThrownBy(() -> schedules.create(new CacheWarmingSchedules.Spec("Bad_Name", "", "", "0 3 * *", "Mars/Olympus")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("name must be")
          .hasMessageContaining("namespace is required")
          .hasMessageContaining("five fields")
          .hasMessageContaining("unknown time zone Mars/Olympus");
      verifyNoInteractions(client);
    }

    @Test
    void otherFailuresAreNotMistakenForAMissingFeature() {
      when(client.createSchedule(any(), any(), any()))
          .thenThrow(new ScheduleException(Status.PERMISSION_DENIED.asRuntimeException()));

      assertThatThrownBy(() -> schedules.create(NIGHTLY)).isInstanceOf(ScheduleException.class);
      assertThat(schedules.usesCronWorkflows()).isFalse();
    }

    ScheduleListDescription listed(String id, boolean paused, String note) {
      var converter = DefaultDataConverter.STANDARD_INSTANCE;
      Map<String, Payload> memo =
          Map.of(
              "namespace", converter.toPayload("ml-team").orElseThrow(),
              "labelSelector", converter.toPayload("team=ml").orElseThrow());
      return new ScheduleListDescription(
          id,
          new ScheduleListSchedule(
              new ScheduleListActionStartWorkflow("CacheWarmingWorkflow"),
              ScheduleSpec.newBuilder().setCronExpressions(List.of("0 3 * * *")).setTimeZoneName("Europe/Berlin").build(),
              new ScheduleListState(note, paused)),
          null,
          memo,
          converter,
          Map.of());
    }
  }

  /** Temporal's Java test server answers UNIMPLEMENTED for Schedules: the service falls back to a cron workflow. */
  @Nested
  class OnTheTestServer {
    @Test
    void fallsBackToACronWorkflowThatCanBePausedResumedAndDeleted() {
      try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
        env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(NoOpWarming.class);
        env.start();
        WorkflowClient workflows = env.getWorkflowClient();
        CacheWarmingSchedules schedules =
            new CacheWarmingSchedules(ScheduleClient.newInstance(env.getWorkflowServiceStubs()), workflows);

        CacheWarmingSchedules.Info info = schedules.create(NIGHTLY);

        assertThat(schedules.usesCronWorkflows()).isTrue();
        assertThat(info.backend()).isEqualTo("cron-workflow");
        var described = workflows.newUntypedWorkflowStub("CacheWarming/nightly").describe();
        assertThat(described.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        assertThat(schedules.list()).extracting(CacheWarmingSchedules.Info::name).containsExactly("nightly");

        assertThat(schedules.pause("nightly", "maintenance").paused()).isTrue();
        assertThat(workflows.newUntypedWorkflowStub("CacheWarming/nightly").describe().getStatus())
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
        assertThat(schedules.resume("nightly", null).paused()).isFalse();
        assertThat(workflows.newUntypedWorkflowStub("CacheWarming/nightly").describe().getStatus())
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

        schedules.delete("nightly");
        assertThat(schedules.list()).isEmpty();
        assertThat(schedules.create(NIGHTLY).backend()).isEqualTo("cron-workflow");
      }
    }
  }

  /** Stands in for the real workflow, which lives in the worker. */
  public static class NoOpWarming implements CacheWarmingWorkflow {
    @Override
    public CacheWarmingReport warm(CacheWarmingRequest request) {
      return progress();
    }

    @Override
    public CacheWarmingReport progress() {
      return new CacheWarmingReport(null, null, List.of(), List.of(), List.of(), "nothing");
    }
  }
}
