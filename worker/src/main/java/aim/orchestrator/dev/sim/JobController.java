package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Plays the batch/v1 Job controller and the kubelet for Job Pods.
 *
 * <p>For an unfinished Job it keeps one Pod active (named {@code <job>-<5 chars>}, labelled like
 * the real controller labels them), hands it to the Job's {@link JobRunner}, terminates the Pod
 * with the runner's outcome and derives the Job status from its Pods: {@code Complete} (with {@code
 * SuccessCriteriaMet}, as Kubernetes 1.31+ reports) after {@code spec.completions} successes,
 * {@code Failed} ({@code BackoffLimitExceeded}, after {@code FailureTarget}) once more than {@code
 * spec.backoffLimit} Pods failed, otherwise a fresh Pod. Pods run one after another ({@code
 * parallelism} is not simulated). Suspended Jobs are left alone.
 */
final class JobController extends SimulatedController<Job> {

  static final String JOB_NAME_LABEL = "job-name";
  static final String BATCH_JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  static final String CONTROLLER_UID_LABEL = "controller-uid";
  static final String BATCH_CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

  private static final int DEFAULT_BACKOFF_LIMIT = 6;

  private final Function<? super Job, ? extends JobRunner> runners;
  private final Supplier<String> nodePicker;
  private final ExecutorService runnerPool;
  // Pods whose runner is executing in this process; a Running Pod that is not in here (e.g. after
  // a restart of the simulator) gets a runner again.
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  JobController(
      KubernetesClient client,
      Duration reactionDelay,
      Function<? super Job, ? extends JobRunner> runners,
      Supplier<String> nodePicker) {
    super("job-controller", client, reactionDelay);
    this.runners = runners;
    this.nodePicker = nodePicker;
    this.runnerPool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "dev-simulator-job-runner");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  protected SharedIndexInformer<Job> newInformer() {
    return client.batch().v1().jobs().inAnyNamespace().runnableInformer(0);
  }

  @Override
  protected boolean needsWork(Job job) {
    return !SimSupport.isDeleting(job) && !isFinished(job) && !isSuspended(job);
  }

  static boolean isFinished(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
  }

  private static boolean isSuspended(Job job) {
    return job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().getSuspend());
  }

  @Override
  protected void reconcile(String namespace, String name) {
    var jobs = client.batch().v1().jobs().inNamespace(namespace);
    Job job = jobs.withName(name).get();
    if (job == null || !needsWork(job)) {
      return;
    }
    List<Pod> pods = podsOf(job);
    int succeeded = count(pods, PodStatuses.SUCCEEDED);
    int failed = count(pods, PodStatuses.FAILED);
    int completions = valueOr(job.getSpec().getCompletions(), 1);
    int backoffLimit = valueOr(job.getSpec().getBackoffLimit(), DEFAULT_BACKOFF_LIMIT);

    if (succeeded >= completions) {
      finish(job, true, succeeded, failed, null);
      return;
    }
    if (failed > backoffLimit) {
      finish(job, false, succeeded, failed, lastFailureMessage(pods));
      return;
    }
    List<Pod> active =
        pods.stream().filter(p -> !PodStatuses.isTerminal(p) && !SimSupport.isDeleting(p)).toList();
    if (active.isEmpty()) {
      active = List.of(createPod(job));
    }
    int activeCount = active.size();
    SimSupport.writeStatus(
        () -> jobs.withName(name).get(),
        j -> {
          if (!needsWork(j)) {
            return false;
          }
          JobStatus status = j.getStatus() == null ? new JobStatus() : j.getStatus();
          boolean changed =
              status.getStartTime() == null
                  || !Objects.equals(status.getActive(), activeCount)
                  || !Objects.equals(status.getReady(), activeCount)
                  || !Objects.equals(zeroToNull(status.getFailed()), zeroToNull(failed))
                  || !Objects.equals(zeroToNull(status.getSucceeded()), zeroToNull(succeeded));
          if (!changed) {
            return false;
          }
          if (status.getStartTime() == null) {
            status.setStartTime(SimSupport.now());
          }
          status.setActive(activeCount);
          status.setReady(activeCount);
          status.setTerminating(0);
          status.setFailed(zeroToNull(failed));
          status.setSucceeded(zeroToNull(succeeded));
          j.setStatus(status);
          return true;
        },
        j -> jobs.resource(j));
    for (Pod pod : active) {
      launch(job, pod);
    }
  }

  private List<Pod> podsOf(Job job) {
    // Selected by the Job's UID, not its name: the mock server has no garbage collector, so Pods
    // of an earlier Job with the same name may still be around.
    return client
        .pods()
        .inNamespace(job.getMetadata().getNamespace())
        .withLabel(CONTROLLER_UID_LABEL, job.getMetadata().getUid())
        .list()
        .getItems();
  }

  private Pod createPod(Job job) {
    String jobName = job.getMetadata().getName();
    PodTemplateSpec template =
        job.getSpec().getTemplate() == null ? new PodTemplateSpec() : job.getSpec().getTemplate();
    PodSpec spec =
        template.getSpec() == null
            ? new PodSpec()
            : client.getKubernetesSerialization().clone(template.getSpec());
    if (spec.getNodeName() == null) {
      spec.setNodeName(nodePicker.get());
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(CONTROLLER_UID_LABEL, job.getMetadata().getUid());
    labels.put(BATCH_CONTROLLER_UID_LABEL, job.getMetadata().getUid());
    labels.put(JOB_NAME_LABEL, jobName);
    labels.put(BATCH_JOB_NAME_LABEL, jobName);
    labels.put(SimSupport.SIMULATED_LABEL, "true");
    Map<String, String> annotations =
        template.getMetadata() == null || template.getMetadata().getAnnotations() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(template.getMetadata().getAnnotations());
    Pod pod = new Pod();
    pod.setMetadata(
        new ObjectMetaBuilder()
            .withLabels(labels)
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .withOwnerReferences(SimSupport.controllerRef(job))
            .build());
    pod.setSpec(spec);
    Pod created =
        PodStatuses.create(
            client,
            job.getMetadata().getNamespace(),
            jobName + "-",
            pod,
            p -> PodStatuses.running(p, PodStatuses.nextPodIp()));
    log.info(
        "Job {}/{}: started Pod {} on {}",
        job.getMetadata().getNamespace(),
        jobName,
        created.getMetadata().getName(),
        spec.getNodeName());
    return created;
  }

  private void launch(Job job, Pod pod) {
    String podUid = pod.getMetadata().getUid();
    if (isClosed() || !inFlight.add(podUid)) {
      return;
    }
    JobRunner runner = runners.apply(job);
    JobRunner effective = runner == null ? JobRunner.succeed() : runner;
    try {
      runnerPool.execute(() -> runPod(effective, job, pod));
    } catch (RejectedExecutionException e) {
      inFlight.remove(podUid);
    }
  }

  private void runPod(JobRunner runner, Job job, Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    String podName = pod.getMetadata().getName();
    var podResource = client.pods().inNamespace(namespace);
    try {
      // A reconcile that listed the Pods just before an earlier run finished may launch again;
      // the fresh read keeps a finished Pod from running (e.g. downloading) twice.
      Pod fresh = podResource.withName(podName).get();
      if (fresh == null || PodStatuses.isTerminal(fresh) || SimSupport.isDeleting(fresh)) {
        return;
      }
      JobRunner.Outcome outcome;
      try {
        outcome = runner.run(job, pod);
        if (outcome == null) {
          outcome = JobRunner.Outcome.success();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        outcome = JobRunner.Outcome.failure(1, e.toString());
      }
      if (isClosed()) {
        return;
      }
      JobRunner.Outcome result = outcome;
      SimSupport.writeStatus(
          () -> podResource.withName(podName).get(),
          p -> {
            if (PodStatuses.isTerminal(p)) {
              return false;
            }
            p.setStatus(PodStatuses.terminated(p, result));
            return true;
          },
          p -> podResource.resource(p));
      log.info(
          "Job {}/{}: Pod {} {} (exit code {}{})",
          namespace,
          job.getMetadata().getName(),
          podName,
          result.succeeded() ? "succeeded" : "failed",
          result.exitCode(),
          result.message().isEmpty() ? "" : ", " + result.message());
    } catch (RuntimeException e) {
      log.warn(
          "Job {}/{}: could not finish Pod {}: {}",
          namespace,
          job.getMetadata().getName(),
          podName,
          e.toString());
    } finally {
      inFlight.remove(pod.getMetadata().getUid());
      enqueue(namespace, job.getMetadata().getName(), Duration.ZERO);
    }
  }

  private void finish(Job job, boolean success, int succeeded, int failed, String failure) {
    String namespace = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    var jobs = client.batch().v1().jobs().inNamespace(namespace);
    var result =
        SimSupport.writeStatus(
            () -> jobs.withName(name).get(),
            j -> {
              if (!needsWork(j)) {
                return false;
              }
              String now = SimSupport.now();
              JobStatus status = j.getStatus() == null ? new JobStatus() : j.getStatus();
              if (status.getStartTime() == null) {
                status.setStartTime(now);
              }
              status.setActive(null);
              status.setReady(0);
              status.setTerminating(0);
              status.setSucceeded(zeroToNull(succeeded));
              status.setFailed(zeroToNull(failed));
              List<JobCondition> conditions =
                  status.getConditions() == null
                      ? new ArrayList<>()
                      : new ArrayList<>(status.getConditions());
              if (success) {
                // Kubernetes sets completionTime only for Jobs that succeeded.
                status.setCompletionTime(now);
                String message = "Reached expected number of succeeded pods";
                conditions.add(
                    jobCondition("SuccessCriteriaMet", "CompletionsReached", message, now));
                conditions.add(jobCondition("Complete", "CompletionsReached", message, now));
              } else {
                String message = "Job has reached the specified backoff limit";
                conditions.add(jobCondition("FailureTarget", "BackoffLimitExceeded", message, now));
                conditions.add(jobCondition("Failed", "BackoffLimitExceeded", message, now));
              }
              status.setConditions(conditions);
              j.setStatus(status);
              return true;
            },
            j -> jobs.resource(j));
    if (result.written()) {
      if (success) {
        log.info("Job {}/{} complete ({} succeeded)", namespace, name, succeeded);
      } else {
        log.info(
            "Job {}/{} failed: backoff limit exceeded after {} failed Pod(s){}",
            namespace,
            name,
            failed,
            failure == null ? "" : "; last: " + failure);
      }
    }
  }

  private static JobCondition jobCondition(String type, String reason, String message, String at) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(at)
        .withLastTransitionTime(at)
        .build();
  }

  private static String lastFailureMessage(List<Pod> pods) {
    return pods.stream()
        .filter(p -> PodStatuses.FAILED.equals(PodStatuses.phaseOf(p)))
        .max(
            Comparator.comparing(p -> Objects.toString(p.getMetadata().getCreationTimestamp(), "")))
        .flatMap(
            p ->
                p.getStatus().getContainerStatuses() == null
                    ? Optional.empty()
                    : p.getStatus().getContainerStatuses().stream()
                        .filter(c -> c.getState() != null && c.getState().getTerminated() != null)
                        .map(c -> c.getState().getTerminated())
                        .findFirst())
        .map(
            t ->
                "exit code "
                    + t.getExitCode()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage()))
        .orElse(null);
  }

  private static int count(List<Pod> pods, String phase) {
    return (int) pods.stream().filter(p -> phase.equals(PodStatuses.phaseOf(p))).count();
  }

  private static int valueOr(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static Integer zeroToNull(Integer value) {
    return value == null || value == 0 ? null : value;
  }

  @Override
  public void close() {
    super.close();
    runnerPool.shutdownNow();
  }
}
