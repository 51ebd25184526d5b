package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static aim.orchestrator.activities.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.download.DownloadCommand;
import aim.orchestrator.activities.download.DownloadException.Reason;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.render.ArtifactManifests;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.ErrorCategory;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The download stage against the CRUD mock, with the Job's Pod played by hand: one Pod per Job, its exit code and
 * termination message (the downloader's JSON result) classify a failure, a failure a retry may fix gets a fresh Job,
 * and the downloader's progress lines in the Pod's log reach {@code status.progress}.
 */
class DownloadAttemptsTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  final CacheActivitiesImpl cache = new CacheActivitiesImpl(cluster.kube());
  final TransferActivitiesImpl transfers =
      new TransferActivitiesImpl(
          cluster.kube(), new TransferActivitiesImpl.Timing(Duration.ofMillis(50), Duration.ofSeconds(20), Duration.ofMillis(300)));

  /** An artifact with its PVC, as the storage stage leaves it before the download stage runs. */
  AIMArtifact artifact() {
    AIMArtifact a = cluster.create(Fixtures.artifact(NS, "weights", SOURCE_URI, "1Gi", null));
    cache.artifactStorage(ref(a));
    return a;
  }

  Job job(AIMArtifact a) {
    return cluster.client().batch().v1().jobs().inNamespace(NS).withName(DownloadJobs.name(a)).get();
  }

  /** The Job's Pod, as the Job controller and the kubelet would make it. */
  Pod pod(Job job, String phase, Integer exitCode, String reason, String message, String log) {
    var container = new ContainerStatusBuilder().withName(ArtifactManifests.DOWNLOAD_CONTAINER).withReady("Running".equals(phase));
    if (exitCode != null) {
      container.withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(reason).withMessage(message).endTerminated().build());
    } else {
      container.withState(new ContainerStateBuilder().withNewRunning().endRunning().build());
    }
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName() + "-" + Long.toHexString(System.nanoTime()).substring(0, 5))
            .withNamespace(NS)
            .addToLabels("controller-uid", job.getMetadata().getUid())
            .addToAnnotations(MockCluster.POD_LOG_ANNOTATION + ArtifactManifests.DOWNLOAD_CONTAINER, log == null ? "" : log)
            .endMetadata()
            .withNewSpec().addNewContainer().withName(ArtifactManifests.DOWNLOAD_CONTAINER).withImage("aim").endContainer().endSpec()
            .build();
    Pod created = cluster.client().resource(pod).create();
    created.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase).withContainerStatuses(container.build()).build());
    return cluster.client().resource(created).updateStatus();
  }

  void finish(Job job, String type, Instant at) {
    Job fresh = cluster.client().resource(job).get();
    JobStatus status = new JobStatus();
    status.setConditions(
        List.of(new JobConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(at.toString()).build()));
    fresh.setStatus(status);
    cluster.client().resource(fresh).updateStatus();
  }

  Job failedWith(AIMArtifact a, Reason reason, Instant at) {
    cache.artifactStartDownload(ref(a));
    Job job = job(a);
    pod(job, "Failed", DownloadCommand.exitCode(reason), "Error", DownloadCommand.failureResult(reason, "what the downloader said"), "");
    finish(job, "Failed", at);
    return job;
  }

  static ComponentHealth component(StageResult r, String name) {
    return r.components().stream().filter(c -> c.component().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void startCreatesOneJobWithOnePodPerAttemptAndNamesItForTheWorkflow() {
    AIMArtifact a = artifact();

    StageResult first = cache.artifactStartDownload(ref(a));
    StageResult second = cache.artifactStartDownload(ref(a));

    Job job = job(a);
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isNull();
    assertThat(job.getMetadata().getAnnotations()).containsEntry(ArtifactManifests.ARTIFACT_GENERATION, "1");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(first.output()).isEqualTo(job.getMetadata().getName());
    assertThat(second.output()).isEqualTo(job.getMetadata().getName());
    assertThat(component(first, "DownloadJob").reason()).isEqualTo("Downloading");
    assertThat(first.conditions()).contains(ConditionSpec.isFalse("DownloadComplete", "Downloading", "Download Job " + job.getMetadata().getName() + " created"));
    assertThat(cluster.client().batch().v1().jobs().inNamespace(NS).list().getItems()).hasSize(1);
  }

  @Test
  void anUnschedulablePodShowsWhileTheJobRuns() {
    AIMArtifact a = artifact();
    cache.artifactStartDownload(ref(a));
    Pod pod = pod(job(a), "Pending", null, null, null, null);
    pod.getStatus().setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
        .withMessage("0/2 nodes are available: 2 Insufficient memory.").build()));
    cluster.client().resource(pod).updateStatus();

    StageResult r = cache.artifactStartDownload(ref(a));

    assertThat(component(r, "DownloadJobPods")).extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Pending, "FailedScheduling");
  }

  @Test
  void awaitWritesTheDownloadersProgressAndReturnsVerifiedWhenTheJobCompletes() throws Exception {
    AIMArtifact a = artifact();
    cache.artifactStartDownload(ref(a));
    Job job = job(a);
    String progress = "{\"event\":\"progress\",\"downloadedBytes\":536870912,\"totalBytes\":1073741824,\"percentage\":50,\"completedFiles\":1,\"totalFiles\":3}";
    Pod pod = pod(job, "Running", null, null, null, "Downloading hf://Qwen/Qwen3-32B\n" + progress + "\n");

    CompletableFuture<StageResult> awaited = CompletableFuture.supplyAsync(() -> transfers.awaitDownload(ref(a)));
    AIMArtifactStatus.Progress seen = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> cluster.client().resource(a).get().getStatus() == null ? null : cluster.client().resource(a).get().getStatus().progress,
            p -> p != null && Long.valueOf(536870912L).equals(p.downloadedBytes));
    assertThat(seen.percentage).isEqualTo(50);
    assertThat(seen.displayPercentage).isEqualTo("50%");
    assertThat(cluster.client().resource(a).get().getStatus().download.attempt).isEqualTo(1);

    // The downloader finishes: exit 0, its result line as the termination message.
    Pod done = cluster.client().resource(pod).get();
    done.getStatus().setPhase("Succeeded");
    done.getStatus().getContainerStatuses().get(0).setState(new ContainerStateBuilder().withNewTerminated().withExitCode(0)
        .withMessage("{\"result\":\"ok\",\"files\":3,\"bytes\":1073741824,\"reason\":null}").endTerminated().build());
    cluster.client().resource(done).updateStatus();
    finish(job, "Complete", Instant.now());

    StageResult result = awaited.get(10, TimeUnit.SECONDS);
    assertThat(component(result, "DownloadJob")).extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Ready, "Verified");
    AIMArtifactStatus.Progress p = (AIMArtifactStatus.Progress) result.statusFields().get("progress");
    assertThat(p.percentage).isEqualTo(100);
    assertThat(p.totalBytes).isEqualTo(1073741824L);
  }

  @Test
  void aMissingSourceIsClassifiedFromTheTerminationMessageAndNotRetried() {
    AIMArtifact a = artifact();
    Job job = failedWith(a, Reason.SOURCE_NOT_FOUND, Instant.now().minus(Duration.ofHours(1)));

    StageResult awaited = transfers.awaitDownload(ref(a));
    StageResult started = cache.artifactStartDownload(ref(a));

    for (StageResult r : List.of(awaited, started)) {
      assertThat(component(r, "DownloadJobPods"))
          .extracting(ComponentHealth::state, ComponentHealth::reason, ComponentHealth::error)
          .containsExactly(AIMStatus.Failed, "SourceNotFound", ErrorCategory.INVALID_SPEC);
      assertThat(component(r, "DownloadJobPods").message()).contains("what the downloader said", "delete Job");
      assertThat(r.output()).isNull();
    }
    // Even an hour later no new Job: only a change (or deleting the Job) retries a source that is not there.
    assertThat(job(a).getMetadata().getUid()).isEqualTo(job.getMetadata().getUid());
  }

  @Test
  void theExitCodeClassifiesWhenThereIsNoTerminationMessage() {
    var t = new ContainerStateBuilder().withNewTerminated().withExitCode(12).withReason("Error").endTerminated().build().getTerminated();
    assertThat(DownloadJobs.classify(t)).extracting(DownloadJobs.Failure::reason, DownloadJobs.Failure::retryable)
        .containsExactly("StorageFull", false);
    var oom = new ContainerStateBuilder().withNewTerminated().withExitCode(137).withReason("OOMKilled").endTerminated().build().getTerminated();
    assertThat(DownloadJobs.classify(oom).reason()).isEqualTo("PodOOMKilled");
    var unknown = new ContainerStateBuilder().withNewTerminated().withExitCode(1).withMessage("Traceback ...").endTerminated().build().getTerminated();
    assertThat(DownloadJobs.classify(unknown)).extracting(DownloadJobs.Failure::reason, DownloadJobs.Failure::retryable)
        .containsExactly("DownloadFailed", true);
  }

  @Test
  void aFailureARetryMayFixIsThrownForTemporalToRetry() {
    AIMArtifact a = artifact();
    failedWith(a, Reason.VERIFICATION_FAILED, Instant.now());

    assertThatThrownBy(() -> transfers.awaitDownload(ref(a)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("VerificationFailed");
          assertThat(f.isNonRetryable()).isFalse();
        });
  }

  @Test
  void startWaitsBeforeAFreshAttemptAfterRetriesRanOutThenReplacesTheFailedJob() {
    AIMArtifact a = artifact();
    Job recent = failedWith(a, Reason.STALLED, Instant.now().minus(Duration.ofMinutes(1)));

    StageResult waiting = cache.artifactStartDownload(ref(a));

    assertThat(component(waiting, "DownloadJob")).extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Failed, "DownloadStalled");
    assertThat(component(waiting, "DownloadJob").message()).contains("next attempt after");
    assertThat(job(a).getMetadata().getUid()).isEqualTo(recent.getMetadata().getUid());

    finish(recent, "Failed", Instant.now().minus(Duration.ofMinutes(11)));
    StageResult retried = cache.artifactStartDownload(ref(a));

    assertThat(component(retried, "DownloadJob").reason()).isEqualTo("Downloading");
    assertThat(job(a).getMetadata().getUid()).isNotEqualTo(recent.getMetadata().getUid());
    assertThat(DownloadJobs.state(job(a))).isEqualTo(DownloadJobs.State.ACTIVE);
  }

  @Test
  void aSpecChangeGetsAFreshJob() {
    AIMArtifact a = artifact();
    Job old = failedWith(a, Reason.AUTH, Instant.now());
    AIMArtifact changed = cluster.client().resource(a).get();
    changed.getSpec().env = List.of(Fixtures.env("HF_TOKEN", "a-new-token"));
    cluster.client().resource(changed).update();

    StageResult r = cache.artifactStartDownload(ref(a));

    assertThat(r.output()).isNotNull();
    Job fresh = job(a);
    assertThat(fresh.getMetadata().getUid()).isNotEqualTo(old.getMetadata().getUid());
    assertThat(fresh.getMetadata().getAnnotations()).containsEntry(ArtifactManifests.ARTIFACT_GENERATION, "2");
  }

  PersistentVolumeClaim claim(AIMArtifact a) {
    return cluster.client().persistentVolumeClaims().inNamespace(NS).withName(DownloadJobs.claimName(a)).get();
  }

  /** Deletes the artifact's PVC by hand and lets the storage stage create it again. */
  PersistentVolumeClaim replaceClaim(AIMArtifact a) {
    cluster.client().resource(claim(a)).delete();
    cache.artifactStorage(ref(a));
    return claim(a);
  }

  /** The artifact as the workflow leaves it after a verified download: Ready since {@code at}. */
  void readySince(AIMArtifact a, Instant at) {
    AIMArtifactStatus status = new AIMArtifactStatus();
    status.status = aim.orchestrator.model.ResourceStatusValue.Ready;
    status.conditions =
        List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("Ready").withStatus("True")
            .withReason("AllComponentsReady").withLastTransitionTime(at.toString()).build());
    cluster.setStatus(a, status);
  }

  @Test
  void theJobCarriesTheUidOfThePvcItWritesInto() {
    AIMArtifact a = artifact();

    cache.artifactStartDownload(ref(a));

    assertThat(job(a).getMetadata().getAnnotations()).containsEntry(ArtifactManifests.PVC_UID, claim(a).getMetadata().getUid());
  }

  @Test
  void aPvcDeletedByHandIsDownloadedIntoAgainEvenAfterTheJobCompleted() {
    AIMArtifact a = artifact();
    cache.artifactStartDownload(ref(a));
    Job done = job(a);
    finish(done, "Complete", Instant.now());
    assertThat(component(cache.artifactStartDownload(ref(a)), "DownloadJob").reason()).isEqualTo("Verified");
    readySince(a, Instant.now());

    PersistentVolumeClaim fresh = replaceClaim(a);
    StageResult again = cache.artifactStartDownload(ref(a));

    assertThat(component(again, "DownloadJob")).extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Progressing, "Downloading");
    assertThat(again.conditions()).extracting(ConditionSpec::type, ConditionSpec::reason)
        .contains(org.assertj.core.groups.Tuple.tuple("DownloadComplete", "Downloading"));
    Job next = job(a);
    assertThat(next.getMetadata().getUid()).isNotEqualTo(done.getMetadata().getUid());
    assertThat(next.getMetadata().getAnnotations()).containsEntry(ArtifactManifests.PVC_UID, fresh.getMetadata().getUid());
    assertThat(again.output()).isEqualTo(next.getMetadata().getName());
  }

  @Test
  void withoutAJobAReadyArtifactTrustsOnlyAPvcOlderThanItsVerification() {
    AIMArtifact a = artifact();
    readySince(a, Instant.now().plus(Duration.ofMinutes(1)));

    assertThat(component(cache.artifactStartDownload(ref(a)), "DownloadJob").reason()).isEqualTo("Verified");
    assertThat(job(a)).isNull();

    // The claim is newer than the verification: it was deleted and created again, so it is empty.
    readySince(a, Instant.now().minus(Duration.ofHours(1)));
    StageResult again = cache.artifactStartDownload(ref(a));

    assertThat(component(again, "DownloadJob").reason()).isEqualTo("Downloading");
    assertThat(job(a)).isNotNull();
  }

  @Test
  void followingAJobWhosePvcWasReplacedStartsOverInTheNewOne() throws Exception {
    AIMArtifact a = artifact();
    cache.artifactStartDownload(ref(a));
    Job old = job(a);
    PersistentVolumeClaim fresh = replaceClaim(a);

    CompletableFuture<StageResult> awaited = CompletableFuture.supplyAsync(() -> transfers.awaitDownload(ref(a)));
    Job next = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> job(a), j -> j != null && !j.getMetadata().getUid().equals(old.getMetadata().getUid()));
    assertThat(next.getMetadata().getAnnotations()).containsEntry(ArtifactManifests.PVC_UID, fresh.getMetadata().getUid());
    finish(next, "Complete", Instant.now());

    assertThat(component(awaited.get(10, TimeUnit.SECONDS), "DownloadJob").reason()).isEqualTo("Verified");
  }

  @Test
  void aJobThatCompletesIntoADeletedPvcIsNotVerified() throws Exception {
    AIMArtifact a = artifact();
    cache.artifactStartDownload(ref(a));
    Job job = job(a);
    pod(job, "Running", null, null, null, "");

    CompletableFuture<StageResult> awaited = CompletableFuture.supplyAsync(() -> transfers.awaitDownload(ref(a)));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> cluster.client().resource(a).get().getStatus() != null && cluster.client().resource(a).get().getStatus().download != null);
    replaceClaim(a);
    finish(job, "Complete", Instant.now());

    StageResult result = awaited.get(10, TimeUnit.SECONDS);
    assertThat(component(result, "DownloadJob")).extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Progressing, "PVCPending");
    assertThat(result.output()).isNull();
  }

  @Test
  void progressLinesAreFoundAmongOtherOutput() {
    String log = "Downloading hf://x to /cache over HTTP\n"
        + "{\"event\":\"progress\",\"downloadedBytes\":10,\"totalBytes\":100,\"percentage\":10,\"completedFiles\":0,\"totalFiles\":2}\n"
        + "WARN: something\n"
        + "{\"event\":\"progress\",\"downloadedBytes\":60,\"totalBytes\":100,\"percentage\":60,\"completedFiles\":1,\"totalFiles\":2}\n"
        + "{\"event\":\"progr";
    assertThat(DownloadJobs.lastProgress(log)).contains(new DownloadJobs.Progress(60, 100, 1, 2));
    assertThat(DownloadJobs.lastProgress("no progress yet")).isEmpty();
  }
}
