package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activity.ArtifactVerification;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.TransferActivities;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactStatus;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.render.Sizes;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.workflow.ResourceRef;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** See {@link TransferActivities}. */
public class TransferActivitiesImpl implements TransferActivities {
  private static final Logger log = LoggerFactory.getLogger(TransferActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Timing of {@link #awaitDownload}.
   *
   * @param poll how often the Job, its Pod and its log are read (and the activity heartbeats)
   * @param budget how long one call follows the Job before it returns to let the workflow write status
   * @param stuckGrace how long a Pod may stay unschedulable or unable to pull its image before the call returns
   *     with that health
   */
  public record Timing(Duration poll, Duration budget, Duration stuckGrace) {
    public static Timing defaults() {
      return new Timing(Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(30));
    }
  }

  private final Kube kube;
  private final DownloadJobs jobs;
  private final Timing timing;

  public TransferActivitiesImpl(Kube kube) {
    this(kube, Timing.defaults());
  }

  public TransferActivitiesImpl(Kube kube, Timing timing) {
    this.kube = kube;
    this.jobs = new DownloadJobs(kube);
    this.timing = timing;
  }

  @Override
  public StageResult awaitDownload(ResourceRef ref) {
    return Kube.stage("DownloadJob", DependencyType.DOWNSTREAM, () -> follow(ref));
  }

  /** The PVC went away (deleted by hand): not Ready, so the workflow's next pass creates it and downloads again. */
  private static StageResult claimGone(AIMArtifact artifact) {
    return StageResult.of(
        ComponentHealth.of(
            "DownloadJob",
            AIMStatus.Progressing,
            "PVCPending",
            "PVC " + DownloadJobs.claimName(artifact) + " was deleted; it is created again and the download starts over",
            DependencyType.DOWNSTREAM));
  }

  private StageResult follow(ResourceRef ref) {
    ActivityExecutionContext context = context();
    int attempt = context == null ? 1 : context.getInfo().getAttempt();
    Runnable heartbeat = () -> heartbeat(context, null);
    AIMArtifact artifact = kube.current(ref, AIMArtifact.class);
    String protocol = DownloadStages.protocolOf(artifact.getSpec().sourceUri);
    long size = CacheActivitiesImpl.sizeOf(artifact);
    Job job = jobs.get(artifact);
    DownloadJobs.State state = DownloadJobs.state(job);
    io.fabric8.kubernetes.api.model.PersistentVolumeClaim claim = jobs.claim(artifact);
    if (claim == null || claim.getMetadata().getDeletionTimestamp() != null) {
      return claimGone(artifact);
    }
    if (job != null && DownloadJobs.forAnotherClaim(job, claim)) {
      // The PVC was deleted and created again since the Job started: its bytes went with the old claim.
      log.info("{}: download Job {} wrote into an earlier PVC; replacing it", ref, job.getMetadata().getName());
      jobs.deleteAndWait(job, heartbeat);
      job = null;
      state = DownloadJobs.State.NONE;
    }
    if (state == DownloadJobs.State.FAILED) {
      DownloadJobs.Failure failure = jobs.classify(job);
      if (!failure.retryable()) {
        return DownloadStages.failed(failure, job.getMetadata().getName(), null, protocol);
      }
      if (attempt == 1) {
        // It failed before this activity looked; Temporal's backoff decides when the fresh attempt starts.
        throw retry(failure);
      }
      log.info("{}: attempt {} replaces failed download Job {} ({})", ref, attempt, job.getMetadata().getName(), failure.reason());
      jobs.deleteAndWait(job, heartbeat);
      state = DownloadJobs.State.NONE;
    }
    if (state == DownloadJobs.State.NONE) {
      job = jobs.create(artifact, size, List.of());
    }
    String jobName = job.getMetadata().getName();
    patchStatus(ref, Map.of("download", DownloadStages.download(protocol, attempt, null, "Downloading (attempt " + attempt + ")")));
    long started = System.nanoTime();
    Long stuckSince = null;
    DownloadJobs.Progress last = null;
    while (true) {
      heartbeat(context, last);
      Job current = jobs.get(artifact);
      if (current == null) {
        // Deleted under us (by hand): a fresh attempt, as if this one had failed.
        throw ApplicationFailure.newFailure("Download Job " + jobName + " disappeared", "DownloadFailed");
      }
      switch (DownloadJobs.state(current)) {
        case COMPLETE -> {
          if (DownloadJobs.forAnotherClaim(current, jobs.claim(artifact))) {
            // Finished into a claim that has since been deleted: the next pass makes the claim and downloads again.
            return claimGone(artifact);
          }
          long bytes = jobs.result(current).map(r -> r.path("bytes").asLong(size)).orElse(size);
          log.info("{}: download Job {} completed ({} bytes verified)", ref, jobName, bytes);
          return DownloadStages.verified(jobName, bytes > 0 ? bytes : size, protocol);
        }
        case FAILED -> {
          DownloadJobs.Failure failure = jobs.classify(current);
          log.info("{}: download Job {} failed: {} {}", ref, jobName, failure.reason(), failure.message());
          if (!failure.retryable()) {
            return DownloadStages.failed(failure, jobName, null, protocol);
          }
          throw retry(failure);
        }
        default -> {}
      }
      List<Pod> pods = jobs.pods(current);
      ComponentHealth podHealth = PodHealth.of("DownloadJobPods", pods);
      boolean stuck = podHealth.state() == AIMStatus.Pending || podHealth.state() == AIMStatus.Degraded || podHealth.state() == AIMStatus.Failed;
      if (stuck) {
        stuckSince = stuckSince == null ? System.nanoTime() : stuckSince;
        if (System.nanoTime() - stuckSince > timing.stuckGrace().toNanos()) {
          return DownloadStages.downloading(jobName, pods, progressFields(last, size), "Download Job " + jobName + " cannot run: " + podHealth.message());
        }
      } else {
        stuckSince = null;
        if (!pods.isEmpty()) {
          DownloadJobs.Progress p = jobs.progress(pods.get(pods.size() - 1)).orElse(null);
          if (p != null && !p.equals(last)) {
            last = p;
            patchStatus(ref, progressFields(p, size));
          }
        }
      }
      if (System.nanoTime() - started > timing.budget().toNanos()) {
        return DownloadStages.downloading(jobName, pods, progressFields(last, size), "Downloading with Job " + jobName);
      }
      DownloadJobs.sleep(timing.poll());
    }
  }

  @Override
  public ArtifactVerification verifyArtifact(ResourceRef ref) {
    return Kube.call(() -> verify(ref));
  }

  private ArtifactVerification verify(ResourceRef ref) {
    ActivityExecutionContext context = context();
    AIMArtifact artifact = kube.current(ref, AIMArtifact.class);
    String name = artifact.getMetadata().getName();
    AIMArtifactStatus status = artifact.getStatus();
    if (status == null || status.status != ResourceStatusValue.Ready) {
      return ArtifactVerification.notReady(name, status == null || status.status == null ? "Pending" : status.status.name());
    }
    Job old = jobs.getVerify(artifact);
    if (old != null && DownloadJobs.state(old) == DownloadJobs.State.ACTIVE && context != null && context.getInfo().getAttempt() > 1) {
      // A retry of this activity (a worker was lost): the verification it started is still running; follow it.
      log.info("{}: following verify Job {} of an earlier attempt", ref, old.getMetadata().getName());
    } else {
      if (old != null) {
        jobs.deleteAndWait(old, () -> heartbeat(context, null));
      }
      old = jobs.createVerify(artifact, CacheActivitiesImpl.sizeOf(artifact));
      log.info("{}: verifying with Job {}", ref, old.getMetadata().getName());
    }
    String jobName = old.getMetadata().getName();
    while (true) {
      heartbeat(context, null);
      Job current = jobs.getVerify(artifact);
      if (current == null) {
        return new ArtifactVerification(name, "failed", "VerifyJobGone", 0, 0, 0, "Verify Job " + jobName + " disappeared");
      }
      switch (DownloadJobs.state(current)) {
        case COMPLETE -> {
          var result = jobs.result(current);
          int files = result.map(r -> r.path("files").asInt()).orElse(0);
          int fetchedFiles = result.map(r -> r.path("fetchedFiles").asInt()).orElse(0);
          long fetchedBytes = result.map(r -> r.path("fetchedBytes").asLong()).orElse(0L);
          jobs.deleteAndWait(current, () -> heartbeat(context, null));
          boolean repaired = fetchedFiles > 0;
          String message = repaired
              ? fetchedFiles + " of " + files + " files were missing or corrupt and were fetched again (" + Sizes.display(fetchedBytes) + ")"
              : "all " + files + " files match the source";
          log.info("{}: {}", ref, message);
          return new ArtifactVerification(name, repaired ? "repaired" : "verified", null, files, fetchedFiles, fetchedBytes, message);
        }
        case FAILED -> {
          DownloadJobs.Failure failure = jobs.classify(current);
          log.info("{}: verify Job {} failed: {} {}", ref, jobName, failure.reason(), failure.message());
          return new ArtifactVerification(name, "failed", failure.reason(), 0, 0, 0, failure.message());
        }
        default -> DownloadJobs.sleep(timing.poll());
      }
    }
  }

  private static Map<String, Object> progressFields(DownloadJobs.Progress p, long size) {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (p != null) {
      long total = p.totalBytes() > 0 ? p.totalBytes() : size;
      fields.put("progress", DownloadStages.running(total, p.downloadedBytes()));
    }
    return fields;
  }

  private static ApplicationFailure retry(DownloadJobs.Failure failure) {
    return ApplicationFailure.newFailure(failure.message(), failure.reason());
  }

  /** Writes {@code status.progress} / {@code status.download} with a merge patch; a failed write is only logged. */
  private void patchStatus(ResourceRef ref, Map<String, Object> fields) {
    if (fields.isEmpty()) {
      return;
    }
    try {
      String body = JSON.writeValueAsString(Map.of("status", fields));
      kube.aim(AIMArtifact.class).inNamespace(ref.namespace()).withName(ref.name())
          .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), body);
    } catch (KubernetesClientException | com.fasterxml.jackson.core.JsonProcessingException e) {
      log.warn("{}: progress not written: {}", ref, e.getMessage());
    }
  }

  private static void heartbeat(ActivityExecutionContext context, DownloadJobs.Progress progress) {
    if (context != null) {
      context.heartbeat(progress == null ? null : Sizes.display(progress.downloadedBytes()) + "/" + Sizes.display(progress.totalBytes()));
    }
  }

  private static ActivityExecutionContext context() {
    try {
      return Activity.getExecutionContext();
    } catch (IllegalStateException e) {
      return null; // called outside a Temporal worker (tests)
    }
  }
}
