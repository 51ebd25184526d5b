package aim.orchestrator.workflow.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import aim.orchestrator.activity.CacheActivities;
import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.ResourceActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.StatusWrite;
import aim.orchestrator.activity.TransferActivities;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ArtifactWorkflow's download stage against Temporal's test environment with mocked activities: the Job is started,
 * then followed on {@code aim-transfers}; a failure a retry may fix is retried by Temporal's retry policy (each retry
 * is where the activity replaces the failed Job), and once the retries are used up the artifact reports the reason.
 */
@org.junit.jupiter.api.Timeout(60)
class ArtifactWorkflowTest {
  static final ResourceRef ARTIFACT = new ResourceRef("AIMArtifact", "ml-team", "weights", "uid-a");
  static final DependencyType D = DependencyType.DOWNSTREAM;

  @RegisterExtension
  static final TestWorkflowExtension temporal = TestWorkflowExtension.newBuilder().setDoNotStart(true).build();

  final ResourceActivities resources = mock(ResourceActivities.class, withSettings().withoutAnnotations());
  final CacheActivities cache = mock(CacheActivities.class, withSettings().withoutAnnotations());
  final TransferActivities transfers = mock(TransferActivities.class, withSettings().withoutAnnotations());
  final List<StatusWrite> writes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void activities(TestWorkflowEnvironment env) {
    // Workflows upsert the Aim* search attributes; the test server rejects unregistered ones.
    aim.orchestrator.workflow.AimSearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    // The retry policy as configured, only with short intervals: the test server does not skip activity backoff.
    var fastRetries =
        io.temporal.worker.WorkflowImplementationOptions.newBuilder()
            .setActivityOptions(
                Map.of(
                    "TransferAwaitDownload",
                    io.temporal.activity.ActivityOptions.newBuilder()
                        .setRetryOptions(
                            io.temporal.common.RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofMillis(100))
                                .setBackoffCoefficient(2.0)
                                .setMaximumAttempts(4)
                                .build())
                        .build()))
            .build();
    env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(fastRetries, ArtifactWorkflowImpl.class);
    env.newWorker(TaskQueues.KUBERNETES).registerActivitiesImplementations(resources, cache);
    env.newWorker(TaskQueues.TRANSFERS).registerActivitiesImplementations(transfers);
    when(resources.observe(any())).thenReturn(new Observation(true, "uid-a", 1, false, false, List.of()));
    when(resources.runtimeConfig(any())).thenReturn(StageResult.none());
    when(resources.writeStatus(any())).thenAnswer(inv -> writes.add(inv.getArgument(0)));
    when(cache.artifactStorage(any()))
        .thenReturn(StageResult.of(ComponentHealth.ready("CachePvc", "PVCBound", "bound", D)));
    when(cache.artifactStartDownload(any()))
        .thenReturn(
            new StageResult(
                List.of(
                    ComponentHealth.of("DownloadJobPods", AIMStatus.Progressing, "PodStarting", "starting", D),
                    ComponentHealth.of("DownloadJob", AIMStatus.Progressing, "Downloading", "Job created", D)),
                Map.of(),
                null,
                "weights-download-1234",
                List.of(ConditionSpec.isFalse("DownloadComplete", "Downloading", "Job created"))));
    env.start();
  }

  void start(TestWorkflowEnvironment env) {
    ArtifactWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                ArtifactWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(WorkflowIds.of(ARTIFACT)).build());
    WorkflowClient.start(wf::run, ARTIFACT);
  }

  static void until(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(condition::getAsBoolean);
  }

  StatusWrite lastWrite() {
    return writes.get(writes.size() - 1);
  }

  @Test
  void aFailureARetryMayFixIsRetriedByTemporalThenReportedWithItsReason(TestWorkflowEnvironment env) {
    AtomicInteger attempts = new AtomicInteger();
    when(transfers.awaitDownload(any()))
        .thenAnswer(
            inv -> {
              attempts.incrementAndGet();
              throw ApplicationFailure.newFailure("model.safetensors: sha256 mismatch", "VerificationFailed");
            });

    start(env);

    until(() -> writes.stream().anyMatch(w -> "Failed".equals(w.status())));
    // Temporal's retry policy ran the activity 4 times before the workflow saw the failure.
    assertThat(attempts.get()).isGreaterThanOrEqualTo(4);
    StatusWrite failed = writes.stream().filter(w -> "Failed".equals(w.status())).findFirst().orElseThrow();
    assertThat(failed.conditions())
        .filteredOn(c -> c.type().equals("DownloadJobPodsReady") || c.type().equals("DownloadComplete") || c.type().equals("Ready"))
        .extracting(ConditionSpec::type, ConditionSpec::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("DownloadJobPodsReady", "VerificationFailed"),
            org.assertj.core.groups.Tuple.tuple("DownloadComplete", "VerificationFailed"),
            org.assertj.core.groups.Tuple.tuple("Ready", "VerificationFailed"));
  }

  @Test
  void aRunningJobIsFollowedUntilVerified(TestWorkflowEnvironment env) {
    when(transfers.awaitDownload(any()))
        .thenReturn(
            new StageResult(
                List.of(
                    ComponentHealth.ready("DownloadJobPods", "PodSucceeded", "done", D),
                    ComponentHealth.ready("DownloadJob", "Verified", "done", D)),
                Map.of(),
                null,
                null,
                List.of(ConditionSpec.isTrue("DownloadComplete", "Verified", "done"))));

    start(env);

    until(() -> !writes.isEmpty() && "Ready".equals(lastWrite().status()));
    assertThat(lastWrite().conditions()).extracting(ConditionSpec::type)
        .containsSubsequence("CachePvcReady", "DownloadJobPodsReady", "DownloadJobReady", "DownloadComplete", "Ready");
  }
}
