package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.download.DownloadCommand;
import aim.orchestrator.activities.download.DownloadException;
import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activities.kube.RuntimeConfigs;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.render.ArtifactManifests;
import aim.orchestrator.render.Labels;
import aim.orchestrator.status.ErrorCategory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The download Job of an artifact, shared by the activities that start it and follow it: its one Pod, whether it
 * finished, why it failed — read from the container's exit code and termination message (the downloader's JSON
 * result line), never from log wording — and the downloader's latest progress line from the Pod's log.
 */
final class DownloadJobs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DELETE_WAIT = Duration.ofSeconds(30);

  /** Where a Job stands. */
  enum State {
    NONE,
    ACTIVE,
    COMPLETE,
    FAILED
  }

  /**
   * Why a download Pod failed.
   *
   * @param reason the condition reason: {@code SourceNotFound}, {@code AuthError}, {@code StorageFull}, {@code
   *     InvalidSource}, {@code VerificationFailed}, {@code DownloadStalled}, {@code PodOOMKilled}, {@code
   *     DownloadFailed}
   * @param message what the downloader said (never credentials)
   * @param retryable whether a fresh attempt may succeed
   * @param category the error category of a failure a retry cannot fix, else null
   */
  record Failure(String reason, String message, boolean retryable, ErrorCategory category) {}

  /** The downloader's latest progress line. */
  record Progress(long downloadedBytes, long totalBytes, int completedFiles, int totalFiles) {}

  private final Kube kube;
  private final RuntimeConfigs runtimeConfigs;

  DownloadJobs(Kube kube) {
    this.kube = kube;
    this.runtimeConfigs = new RuntimeConfigs(kube);
  }

  static String name(AIMArtifact a) {
    return DerivedNames.artifactDownloadJob(a.getMetadata().getName(), a.getMetadata().getUid());
  }

  Job get(AIMArtifact a) {
    return kube.client().batch().v1().jobs().inNamespace(a.getMetadata().getNamespace()).withName(name(a)).get();
  }

  static State state(Job job) {
    if (job == null) {
      return State.NONE;
    }
    if (hasCondition(job, "Complete")) {
      return State.COMPLETE;
    }
    if (hasCondition(job, "Failed")) {
      return State.FAILED;
    }
    return State.ACTIVE;
  }

  private static boolean hasCondition(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** When the Job failed, from its {@code Failed} condition; null if unknown. */
  static Instant failedAt(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()))
        .map(JobCondition::getLastTransitionTime)
        .filter(Objects::nonNull)
        .map(Instant::parse)
        .findFirst()
        .orElse(null);
  }

  /** Whether the Job was made for an older spec of the artifact (a spec change deserves a fresh download). */
  static boolean forOlderSpec(Job job, AIMArtifact a) {
    var annotations = job.getMetadata().getAnnotations();
    String made = annotations == null ? null : annotations.get(ArtifactManifests.ARTIFACT_GENERATION);
    Long now = a.getMetadata().getGeneration();
    return made != null && now != null && !made.equals(String.valueOf(now));
  }

  /** The artifact's PVC, or null when there is none (yet, or any more). */
  PersistentVolumeClaim claim(AIMArtifact a) {
    return kube.client().persistentVolumeClaims().inNamespace(a.getMetadata().getNamespace()).withName(claimName(a)).get();
  }

  static String claimName(AIMArtifact a) {
    return DerivedNames.artifactPvc(a.getMetadata().getName(), a.getMetadata().getUid());
  }

  /**
   * Whether the Job wrote into another PVC than the artifact's current one: the PVC was deleted (by hand) and created
   * again since, so what the Job downloaded is gone. Jobs carry the UID of their PVC ({@link
   * ArtifactManifests#PVC_UID}); for a Job made before they did, a Job created before the PVC cannot have filled it.
   */
  static boolean forAnotherClaim(Job job, PersistentVolumeClaim pvc) {
    if (pvc == null) {
      return true;
    }
    var annotations = job.getMetadata().getAnnotations();
    String made = annotations == null ? null : annotations.get(ArtifactManifests.PVC_UID);
    if (made != null) {
      return !made.equals(pvc.getMetadata().getUid());
    }
    Instant jobCreated = instant(job.getMetadata().getCreationTimestamp());
    Instant pvcCreated = instant(pvc.getMetadata().getCreationTimestamp());
    return jobCreated != null && pvcCreated != null && jobCreated.isBefore(pvcCreated);
  }

  static Instant instant(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(timestamp).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** The verify Job's name (cache warming). */
  static String verifyName(AIMArtifact a) {
    return DerivedNames.artifactVerifyJob(a.getMetadata().getName(), a.getMetadata().getUid());
  }

  Job getVerify(AIMArtifact a) {
    return kube.client().batch().v1().jobs().inNamespace(a.getMetadata().getNamespace()).withName(verifyName(a)).get();
  }

  /** Creates the download Job (labels propagated as for every child of the artifact). */
  Job create(AIMArtifact a, long expectedBytes, List<EnvVar> extraEnv) {
    return create(a, name(a), "download", expectedBytes, extraEnv);
  }

  /** Creates the verify Job: the downloader in verify mode on the artifact's PVC. */
  Job createVerify(AIMArtifact a, long expectedBytes) {
    return create(a, verifyName(a), "verify", expectedBytes, List.of(new EnvVar("AIM_DOWNLOAD_MODE", "verify", null)));
  }

  private Job create(AIMArtifact a, String jobName, String component, long expectedBytes, List<EnvVar> extraEnv) {
    String ns = a.getMetadata().getNamespace();
    var rc = runtimeConfigs.resolve(a.getSpec().runtimeConfigName, ns).merged();
    String pvc = claimName(a);
    Job desired = ArtifactManifests.downloadJob(a, jobName, pvc, expectedBytes, rc.env, extraEnv);
    PersistentVolumeClaim claim = claim(a);
    if (claim != null) {
      var annotations = new java.util.LinkedHashMap<>(desired.getMetadata().getAnnotations());
      annotations.put(ArtifactManifests.PVC_UID, claim.getMetadata().getUid());
      desired.getMetadata().setAnnotations(annotations);
    }
    var own = new java.util.LinkedHashMap<>(desired.getMetadata().getLabels());
    own.put(aim.orchestrator.model.Aim.LABEL_COMPONENT, component);
    var labels = Labels.withPropagated(own, a.getMetadata().getLabels(), rc.labelPropagation);
    desired.getMetadata().setLabels(labels);
    desired.getSpec().getTemplate().getMetadata().setLabels(labels);
    try {
      return kube.client().resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // Another attempt created it a moment ago: follow that one.
        return kube.client().batch().v1().jobs().inNamespace(ns).withName(jobName).get();
      }
      throw e;
    }
  }

  /** Deletes a finished Job (its Pods go with it) and waits until the name is free for a fresh attempt. */
  void deleteAndWait(Job job, Runnable whileWaiting) {
    var jobs = kube.client().batch().v1().jobs().inNamespace(job.getMetadata().getNamespace());
    jobs.withName(job.getMetadata().getName()).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
    long deadline = System.nanoTime() + DELETE_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Job still = jobs.withName(job.getMetadata().getName()).get();
      if (still == null || !Objects.equals(still.getMetadata().getUid(), job.getMetadata().getUid())) {
        return;
      }
      whileWaiting.run();
      sleep(Duration.ofMillis(250));
    }
    throw new IllegalStateException("Job " + job.getMetadata().getName() + " is still there 30 s after deleting it");
  }

  /** The Job's Pods, newest last (selected by the Job's UID, so Pods of an earlier Job of that name never count). */
  List<Pod> pods(Job job) {
    return kube.client().pods().inNamespace(job.getMetadata().getNamespace())
        .withLabel("controller-uid", job.getMetadata().getUid())
        .list().getItems().stream()
        .sorted(Comparator.comparing(p -> Objects.toString(p.getMetadata().getCreationTimestamp(), "")))
        .toList();
  }

  /** Why the Job's Pod failed: from its container's termination (exit code, termination message, OOMKilled). */
  Failure classify(Job job) {
    List<Pod> pods = pods(job);
    for (int i = pods.size() - 1; i >= 0; i--) {
      ContainerStateTerminated t = terminated(pods.get(i));
      if (t != null && (t.getExitCode() == null || t.getExitCode() != 0)) {
        return classify(t);
      }
    }
    return new Failure(
        "DownloadFailed", "Download Job " + job.getMetadata().getName() + " failed and left no Pod to tell why", true, null);
  }

  static Failure classify(ContainerStateTerminated t) {
    int exit = t.getExitCode() == null ? -1 : t.getExitCode();
    if ("OOMKilled".equals(t.getReason())) {
      return new Failure("PodOOMKilled", "The downloader was killed for using too much memory (exit code " + exit + ")", true, null);
    }
    String label = null;
    String message = null;
    JsonNode result = parseResult(t.getMessage());
    if (result != null) {
      label = result.path("reason").asText(null);
      message = result.path("message").asText(null);
    }
    if (label == null) {
      DownloadException.Reason byExit = DownloadCommand.reasonOfExitCode(exit);
      label = byExit == null ? null : byExit.label();
    }
    if (message == null) {
      message = "The downloader exited with code " + exit;
    }
    if (label == null) {
      return new Failure("DownloadFailed", message, true, null);
    }
    return switch (label) {
      case "SourceNotFound" -> new Failure("SourceNotFound", message, false, ErrorCategory.INVALID_SPEC);
      case "AuthError" -> new Failure("AuthError", message, false, ErrorCategory.AUTH);
      case "StorageFull" -> new Failure("StorageFull", message, false, ErrorCategory.RESOURCE_EXHAUSTION);
      case "InvalidSource", "InvalidConfiguration" -> new Failure(label, message, false, ErrorCategory.INVALID_SPEC);
      case "VerificationFailed" -> new Failure("VerificationFailed", message, true, null);
      case "Stalled" -> new Failure("DownloadStalled", message, true, null);
      default -> new Failure("DownloadFailed", message, true, null);
    };
  }

  /** The downloader's JSON result line, if the termination message is one (it may end with a newline). */
  private static JsonNode parseResult(String message) {
    if (message == null) {
      return null;
    }
    List<String> lines = message.strip().lines().toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (line.startsWith("{") && line.contains("\"result\"")) {
        try {
          return JSON.readTree(line);
        } catch (IOException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** The successful result line of a completed Job's Pod, if it left one. */
  Optional<JsonNode> result(Job job) {
    List<Pod> pods = pods(job);
    for (int i = pods.size() - 1; i >= 0; i--) {
      ContainerStateTerminated t = terminated(pods.get(i));
      if (t != null && Integer.valueOf(0).equals(t.getExitCode())) {
        return Optional.ofNullable(parseResult(t.getMessage()));
      }
    }
    return Optional.empty();
  }

  private static ContainerStateTerminated terminated(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
      if (ArtifactManifests.DOWNLOAD_CONTAINER.equals(cs.getName()) && cs.getState() != null && cs.getState().getTerminated() != null) {
        return cs.getState().getTerminated();
      }
    }
    return null;
  }

  /** The latest progress line the downloader printed in the Pod's log, if any yet. */
  Optional<Progress> progress(Pod pod) {
    String log;
    try {
      log = kube.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .inContainer(ArtifactManifests.DOWNLOAD_CONTAINER).tailingLines(40).getLog();
    } catch (KubernetesClientException e) {
      return Optional.empty(); // not started yet, or the log is gone: the next look tries again
    }
    return lastProgress(log);
  }

  static Optional<Progress> lastProgress(String log) {
    if (log == null) {
      return Optional.empty();
    }
    List<String> lines = log.lines().toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (!line.startsWith("{") || !line.contains("\"progress\"")) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(line);
        if ("progress".equals(n.path("event").asText())) {
          return Optional.of(
              new Progress(
                  n.path("downloadedBytes").asLong(), n.path("totalBytes").asLong(),
                  n.path("completedFiles").asInt(), n.path("totalFiles").asInt()));
        }
      } catch (IOException e) {
        // a line cut by the tail: look at the one before
      }
    }
    return Optional.empty();
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
