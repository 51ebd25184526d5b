package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
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
 *
 * <p>It writes the Events the Job controller, scheduler and kubelet write ({@code
 * SuccessfulCreate}, {@code Completed} / {@code BackoffLimitExceeded} on the Job; {@code
 * Scheduled}, {@code Pulling}, {@code Pulled}, {@code Created}, {@code Started} and failures on the
 * Pod), stores each terminated container's log on the Pod ({@link PodLogs}) and honours the Pod
 * failures of {@link FailureInjection}: {@code DownloadFailed}, {@code FailedScheduling} and {@code
 * ImagePullBackOff}. A Pod kept {@code Pending} by an injection is looked at again on every
 * reconcile of its Job and starts once the injection is gone.
 */
final class JobController extends SimulatedController<Job> {

  static final String JOB_NAME_LABEL = "job-name";
  static final String BATCH_JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  static final String CONTROLLER_UID_LABEL = "controller-uid";
  static final String BATCH_CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

  private static final int DEFAULT_BACKOFF_LIMIT = 6;
  // How long a Pod shows ErrImagePull before the kubelet's back-off turns it into
  // ImagePullBackOff; long enough for a watcher to see the first state.
  private static final Duration MIN_IMAGE_PULL_BACK_OFF = Duration.ofMillis(200);

  private final Function<? super Job, ? extends JobRunner> runners;
  private final Supplier<String> nodePicker;
  private final ExecutorService runnerPool;
  private final EventRecorder events;
  private final Duration imagePullBackOff;
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
    this.events = new EventRecorder(client);
    this.imagePullBackOff =
        reactionDelay.compareTo(MIN_IMAGE_PULL_BACK_OFF) > 0
            ? reactionDelay
            : MIN_IMAGE_PULL_BACK_OFF;
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
    } else {
      active = active.stream().map(p -> isPending(p) ? progressPending(job, p) : p).toList();
    }
    int activeCount = active.size();
    int readyCount = count(active, PodStatuses.RUNNING);
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
                  || !Objects.equals(status.getReady(), readyCount)
                  || !Objects.equals(zeroToNull(status.getFailed()), zeroToNull(failed))
                  || !Objects.equals(zeroToNull(status.getSucceeded()), zeroToNull(succeeded));
          if (!changed) {
            return false;
          }
          if (status.getStartTime() == null) {
            status.setStartTime(SimSupport.now());
          }
          status.setActive(activeCount);
          status.setReady(readyCount);
          status.setTerminating(0);
          status.setFailed(zeroToNull(failed));
          status.setSucceeded(zeroToNull(succeeded));
          j.setStatus(status);
          return true;
        },
        j -> jobs.resource(j));
    for (Pod pod : active) {
      if (PodStatuses.RUNNING.equals(PodStatuses.phaseOf(pod))) {
        launch(job, pod);
      }
    }
  }

  private static boolean isPending(Pod pod) {
    String phase = PodStatuses.phaseOf(pod);
    return phase == null || PodStatuses.PENDING.equals(phase);
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
    String namespace = job.getMetadata().getNamespace();
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
            .withNamespace(namespace)
            .withLabels(labels)
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .withOwnerReferences(SimSupport.controllerRef(job))
            .build());
    pod.setSpec(spec);
    // Decided before the Pod exists: its template annotations and the Job's owner chain count.
    Optional<FailureInjection.Injection> injection = FailureInjection.find(client, pod);
    Pod created;
    if (injection.filter(i -> i.is(FailureInjection.FAILED_SCHEDULING)).isPresent()) {
      spec.setNodeName(null);
      String message = unschedulableMessage();
      created =
          PodStatuses.create(
              client, namespace, jobName + "-", pod, p -> PodStatuses.unschedulable(message));
      jobEvent(job, created);
      events.podUnschedulable(created, message);
      log.info(
          "Job {}/{}: Pod {} is unschedulable (injected {}): {}",
          namespace,
          jobName,
          created.getMetadata().getName(),
          FailureInjection.FAILED_SCHEDULING,
          message);
      return created;
    }
    if (spec.getNodeName() == null) {
      spec.setNodeName(nodePicker.get());
    }
    Optional<String> pullFailure = imagePullFailure(injection);
    if (pullFailure.isPresent()) {
      created =
          PodStatuses.create(
              client,
              namespace,
              jobName + "-",
              pod,
              p -> errImagePull(p, pullFailure.get(), PodStatuses.nextPodIp()));
      jobEvent(job, created);
      events.podScheduled(created);
      recordErrImagePull(created, pullFailure.get());
      // The kubelet retries with back-off; the next reconcile shows ImagePullBackOff.
      enqueue(namespace, jobName, imagePullBackOff);
      log.info(
          "Job {}/{}: Pod {} on {} cannot pull its image (injected {}={})",
          namespace,
          jobName,
          created.getMetadata().getName(),
          spec.getNodeName(),
          FailureInjection.IMAGE_PULL_BACK_OFF,
          pullFailure.get());
      return created;
    }
    created =
        PodStatuses.create(
            client,
            namespace,
            jobName + "-",
            pod,
            p -> PodStatuses.running(p, PodStatuses.nextPodIp()));
    jobEvent(job, created);
    events.podScheduled(created);
    events.podContainersStarted(created);
    log.info(
        "Job {}/{}: started Pod {} on {}",
        namespace,
        jobName,
        created.getMetadata().getName(),
        spec.getNodeName());
    return created;
  }

  private void jobEvent(Job job, Pod created) {
    events.normal(
        job,
        EventRecorder.JOB_CONTROLLER,
        "SuccessfulCreate",
        "Created pod: " + created.getMetadata().getName());
  }

  private String unschedulableMessage() {
    int nodes = client.nodes().list().getItems().size();
    if (nodes == 0) {
      return "no nodes available to schedule pods";
    }
    return "0/" + nodes + " nodes are available: " + nodes + " Insufficient amd.com/gpu.";
  }

  /** The injected image pull failure reason (defaulted), if the injection is one. */
  private static Optional<String> imagePullFailure(Optional<FailureInjection.Injection> injection) {
    return injection
        .filter(i -> i.is(FailureInjection.IMAGE_PULL_BACK_OFF))
        .map(i -> i.reasonOr(InjectedFailures.IMAGE_NOT_FOUND));
  }

  private static PodStatus errImagePull(Pod pod, String failure, String podIp) {
    return PodStatuses.waitingForImage(
        pod, podIp, "ErrImagePull", c -> InjectedFailures.imagePullError(c.getImage(), failure));
  }

  private void recordErrImagePull(Pod pod, String failure) {
    for (Container c : EventRecorder.containersOf(pod)) {
      events.kubelet(
          pod, c, EventRecorder.NORMAL, "Pulling", "Pulling image \"" + c.getImage() + "\"");
      events.kubelet(
          pod,
          c,
          EventRecorder.WARNING,
          "Failed",
          "Failed to pull image \""
              + c.getImage()
              + "\": "
              + InjectedFailures.imagePullError(c.getImage(), failure));
      events.kubelet(pod, c, EventRecorder.WARNING, "Failed", "Error: ErrImagePull");
    }
  }

  /**
   * Moves a Pending Pod on as its injection (or the lack of one) says: an unschedulable Pod is
   * scheduled once nothing keeps it off the nodes, {@code ErrImagePull} turns into {@code
   * ImagePullBackOff}, and a Pod whose image problem was lifted starts. Returns the Pod as stored
   * afterwards.
   */
  private Pod progressPending(Job job, Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    String podName = pod.getMetadata().getName();
    var pods = client.pods().inNamespace(namespace);
    Optional<FailureInjection.Injection> injection = FailureInjection.find(client, pod);
    Pod current = pod;
    if (current.getSpec() == null || current.getSpec().getNodeName() == null) {
      if (injection.filter(i -> i.is(FailureInjection.FAILED_SCHEDULING)).isPresent()) {
        return current;
      }
      String node = nodePicker.get();
      if (node == null) {
        return current;
      }
      current =
          pods.withName(podName)
              .edit(
                  p -> {
                    p.getSpec().setNodeName(node);
                    return p;
                  });
      events.podScheduled(current);
      Optional<String> pullFailure = imagePullFailure(injection);
      if (pullFailure.isPresent()) {
        Pod scheduled = current;
        current =
            writePodStatus(
                current, p -> errImagePull(p, pullFailure.get(), PodStatuses.nextPodIp()));
        recordErrImagePull(scheduled, pullFailure.get());
        enqueue(namespace, job.getMetadata().getName(), imagePullBackOff);
        return current;
      }
      return start(job, current);
    }
    String waiting = PodStatuses.waitingReason(current);
    Optional<String> pullFailure = imagePullFailure(injection);
    if ("ErrImagePull".equals(waiting) && pullFailure.isPresent()) {
      String failure = pullFailure.get();
      Pod before = current;
      current =
          writePodStatus(
              current,
              p ->
                  PodStatuses.waitingForImage(
                      p,
                      PodStatuses.nextPodIp(),
                      "ImagePullBackOff",
                      c ->
                          "Back-off pulling image \""
                              + c.getImage()
                              + "\": ErrImagePull: "
                              + InjectedFailures.imagePullError(c.getImage(), failure)));
      for (Container c : EventRecorder.containersOf(before)) {
        events.kubelet(
            before,
            c,
            EventRecorder.NORMAL,
            "BackOff",
            "Back-off pulling image \"" + c.getImage() + "\"");
        events.kubelet(before, c, EventRecorder.WARNING, "Failed", "Error: ImagePullBackOff");
      }
      log.info(
          "Job {}/{}: Pod {} in ImagePullBackOff (injected)",
          namespace,
          job.getMetadata().getName(),
          podName);
      return current;
    }
    if (waiting != null && pullFailure.isEmpty()) {
      return start(job, current);
    }
    return current;
  }

  /** Turns a scheduled, waiting Pod into a running one, with the kubelet's Events. */
  private Pod start(Job job, Pod pod) {
    Pod running =
        writePodStatus(
            pod,
            p ->
                PodStatuses.running(
                    p,
                    // The sandbox, and with it the Pod IP, already existed while the image was
                    // missing.
                    p.getStatus() != null && p.getStatus().getPodIP() != null
                        ? p.getStatus().getPodIP()
                        : PodStatuses.nextPodIp()));
    events.podContainersStarted(running);
    log.info(
        "Job {}/{}: started Pod {} on {}",
        pod.getMetadata().getNamespace(),
        job.getMetadata().getName(),
        pod.getMetadata().getName(),
        running.getSpec().getNodeName());
    return running;
  }

  private Pod writePodStatus(Pod pod, Function<Pod, PodStatus> statusOf) {
    var pods = client.pods().inNamespace(pod.getMetadata().getNamespace());
    String name = pod.getMetadata().getName();
    var result =
        SimSupport.writeStatus(
            () -> pods.withName(name).get(),
            p -> {
              if (PodStatuses.isTerminal(p) || SimSupport.isDeleting(p)) {
                return false;
              }
              p.setStatus(statusOf.apply(p));
              return true;
            },
            p -> pods.resource(p));
    return result.object() == null ? pod : result.object();
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
      Optional<FailureInjection.Injection> injection =
          FailureInjection.find(client, fresh).filter(i -> i.is(FailureInjection.DOWNLOAD_FAILED));
      if (injection.isPresent()) {
        String reason = injection.get().reasonOr(InjectedFailures.SOURCE_NOT_FOUND);
        outcome = InjectedFailures.downloadFailure(fresh, reason);
        log.info(
            "Job {}/{}: Pod {} fails as injected ({}, {})",
            namespace,
            job.getMetadata().getName(),
            podName,
            FailureInjection.DOWNLOAD_FAILED,
            reason);
      } else {
        try {
          outcome = runner.run(job, pod, log -> storeLiveLog(fresh, log));
          if (outcome == null) {
            outcome = JobRunner.Outcome.success();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          outcome = JobRunner.Outcome.failure(1, e.toString());
        }
      }
      if (isClosed()) {
        return;
      }
      JobRunner.Outcome result = outcome;
      storeLog(fresh, result);
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

  /** The first container's log so far, while the Pod runs (best effort: a failed write waits for the next). */
  private void storeLiveLog(Pod pod, String log) {
    List<Container> containers = EventRecorder.containersOf(pod);
    if (containers.isEmpty() || isClosed()) {
      return;
    }
    String key = PodLogs.annotationKey(containers.get(0).getName());
    try {
      var stored = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
      if (stored.get() == null) {
        return;
      }
      stored.edit(
          p -> {
            Map<String, String> annotations =
                p.getMetadata().getAnnotations() == null
                    ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(p.getMetadata().getAnnotations());
            annotations.put(key, PodLogs.tail(log));
            p.getMetadata().setAnnotations(annotations);
            return p;
          });
    } catch (RuntimeException e) {
      this.log.debug("live log of Pod {} not stored: {}", pod.getMetadata().getName(), e.toString());
    }
  }

  /**
   * Puts the container logs on the Pod (the first container's is the outcome's log, the others
   * printed nothing) before the Pod turns terminal, so whoever reacts to the terminal phase can
   * read them.
   */
  private void storeLog(Pod pod, JobRunner.Outcome outcome) {
    List<Container> containers = EventRecorder.containersOf(pod);
    if (containers.isEmpty()) {
      return;
    }
    Map<String, String> logs = new LinkedHashMap<>();
    for (int i = 0; i < containers.size(); i++) {
      logs.put(
          PodLogs.annotationKey(containers.get(i).getName()),
          i == 0 ? PodLogs.tail(outcome.log()) : "");
    }
    var stored =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName());
    if (stored.get() == null) {
      // Deleted while it ran (e.g. its node was removed): there is nobody to read the log.
      return;
    }
    stored.edit(
        p -> {
          Map<String, String> annotations =
              p.getMetadata().getAnnotations() == null
                  ? new LinkedHashMap<>()
                  : new LinkedHashMap<>(p.getMetadata().getAnnotations());
          annotations.putAll(logs);
          p.getMetadata().setAnnotations(annotations);
          return p;
        });
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
        events.normal(result.object(), EventRecorder.JOB_CONTROLLER, "Completed", "Job completed");
        log.info("Job {}/{} complete ({} succeeded)", namespace, name, succeeded);
      } else {
        events.warning(
            result.object(),
            EventRecorder.JOB_CONTROLLER,
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit");
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
