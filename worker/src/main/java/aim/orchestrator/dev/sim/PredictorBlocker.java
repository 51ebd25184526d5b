package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why a simulated predictor cannot serve, and how that looks on its Pods, in Events and in the
 * InferenceService status — the kubelet, scheduler and KServe views of one problem.
 *
 * <p>Two families: the Pod is never scheduled ({@link Kind#PVC_NOT_BOUND}, {@link
 * Kind#FAILED_SCHEDULING}: phase {@code Pending}, {@code PodScheduled=False Unschedulable}, no
 * node), or it is scheduled but its main container does not run ({@link Kind#IMAGE_PULL_BACK_OFF}:
 * {@code Pending} with the container waiting in {@code ImagePullBackOff}; {@link
 * Kind#CRASH_LOOP_BACK_OFF} and {@link Kind#OOM_KILLED}: {@code Running} but not ready, the
 * container waiting in {@code CrashLoopBackOff} after a terminated last state). The statuses are
 * snapshots: restart counts and back-off times do not grow.
 */
final class PredictorBlocker {

  /** The kinds of trouble the simulator can show. */
  enum Kind {
    PVC_NOT_BOUND,
    FAILED_SCHEDULING,
    IMAGE_PULL_BACK_OFF,
    CRASH_LOOP_BACK_OFF,
    OOM_KILLED,
    /** KServe refuses the InferenceService altogether: no Pods at all, only its Warning Event. */
    SERVERLESS_MODE_REJECTED
  }

  /** What a Pod looks like when nothing blocks it: see {@link #stateOf}. */
  static final String RUNNING_STATE = "Running";

  /** The container that crashes or cannot be pulled when the spec does not say which. */
  static final String MAIN_CONTAINER = "kserve-container";

  // A crash-looping container has restarted a few times by the time anybody looks.
  private static final int RESTARTS = 4;
  private static final String KUBELET = "kubelet";
  private static final String SCHEDULER = "default-scheduler";

  private final Kind kind;
  private final String reason;
  private final String message;
  private final String schedulerMessage;
  private final String image;

  private PredictorBlocker(
      Kind kind, String reason, String message, String schedulerMessage, String image) {
    this.kind = kind;
    this.reason = reason;
    this.message = message;
    this.schedulerMessage = schedulerMessage;
    this.image = image;
  }

  /**
   * A claim the predictor mounts is missing or not {@code Bound}; with an Immediate binding mode
   * the scheduler refuses the Pod until it is.
   *
   * @param phase the claim's phase, {@code null} when it does not exist
   */
  static PredictorBlocker pvcNotBound(String claim, String phase, int nodes) {
    String why =
        phase == null
            ? "persistentvolumeclaim \"" + claim + "\" not found"
            : "pod has unbound immediate PersistentVolumeClaims";
    return new PredictorBlocker(
        Kind.PVC_NOT_BOUND,
        "PVCNotBound",
        "PersistentVolumeClaim "
            + claim
            + (phase == null ? " does not exist" : " is not bound (phase " + phase + ")"),
        nodesUnavailable(nodes, why),
        null);
  }

  /** No node has a free GPU for the predictor (injected: the simulated nodes never fill up). */
  static PredictorBlocker failedScheduling(int nodes) {
    String scheduler =
        nodes == 0
            ? "no nodes available to schedule pods"
            : "0/" + nodes + " nodes are available: " + nodes + " Insufficient amd.com/gpu.";
    return new PredictorBlocker(
        Kind.FAILED_SCHEDULING,
        "FailedScheduling",
        "Predictor Pods cannot be scheduled: " + scheduler,
        scheduler,
        null);
  }

  /**
   * The main container's image cannot be pulled.
   *
   * @param image the image, or {@code null} for "whatever the main container uses" (injected)
   */
  static PredictorBlocker imagePullBackOff(String image) {
    return new PredictorBlocker(
        Kind.IMAGE_PULL_BACK_OFF,
        "ImagePullBackOff",
        image == null
            ? "Predictor container image cannot be pulled"
            : "Image " + image + " cannot be pulled: not found in the simulated registry",
        null,
        image);
  }

  /** The main container keeps exiting with an error (exit code 1). */
  static PredictorBlocker crashLoopBackOff() {
    return new PredictorBlocker(
        Kind.CRASH_LOOP_BACK_OFF,
        "CrashLoopBackOff",
        "Predictor container " + MAIN_CONTAINER + " keeps crashing (exit code 1)",
        null,
        null);
  }

  /** The main container keeps being killed for exceeding its memory limit (exit code 137). */
  static PredictorBlocker oomKilled() {
    return new PredictorBlocker(
        Kind.OOM_KILLED,
        "OOMKilled",
        "Predictor container " + MAIN_CONTAINER + " keeps being OOMKilled (exit code 137)",
        null,
        null);
  }

  /**
   * KServe's controller refuses the InferenceService because it would need Serverless mode (Knative), which the
   * cluster does not run: it creates nothing and records {@code ServerlessModeRejected}. A deployment that cannot
   * succeed as it is, whatever the orchestrator retries.
   */
  static PredictorBlocker serverlessModeRejected() {
    return new PredictorBlocker(
        Kind.SERVERLESS_MODE_REJECTED,
        "ServerlessModeRejected",
        "Serverless deployment mode is not available in this cluster (Knative is not installed); use RawDeployment",
        null,
        null);
  }

  /** Whether the predictor gets Pods at all; a rejected InferenceService gets none. */
  boolean hasPods() {
    return kind != Kind.SERVERLESS_MODE_REJECTED;
  }

  private static String nodesUnavailable(int nodes, String why) {
    return nodes == 0
        ? "no nodes available to schedule pods"
        : "0/" + nodes + " nodes are available: " + why + ".";
  }

  /** Reason of the InferenceService's {@code PredictorReady}/{@code Ready=False} conditions. */
  String reason() {
    return reason;
  }

  /** Whether the scheduler places the Pod on a node at all. */
  boolean scheduled() {
    return schedulerMessage == null;
  }

  /** The {@link #stateOf} value of a Pod showing this problem. */
  String podState() {
    return switch (kind) {
      case PVC_NOT_BOUND, FAILED_SCHEDULING -> "Unschedulable:" + schedulerMessage;
      case IMAGE_PULL_BACK_OFF -> "ImagePullBackOff";
      case CRASH_LOOP_BACK_OFF -> "CrashLoopBackOff/Error";
      case OOM_KILLED -> "CrashLoopBackOff/OOMKilled";
      case SERVERLESS_MODE_REJECTED -> "";
    };
  }

  /**
   * A short summary of what a Pod's status shows, to tell whether it must be rewritten: {@link
   * #RUNNING_STATE}, {@code Unschedulable:<message>}, the waiting reason of a container (with the
   * last termination reason for {@code CrashLoopBackOff}), else the phase.
   */
  static String stateOf(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return "";
    }
    if (status.getConditions() != null) {
      for (PodCondition c : status.getConditions()) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
          return "Unschedulable:" + c.getMessage();
        }
      }
    }
    if (status.getContainerStatuses() != null) {
      for (ContainerStatus c : status.getContainerStatuses()) {
        if (c.getState() != null && c.getState().getWaiting() != null) {
          String waiting = c.getState().getWaiting().getReason();
          if ("CrashLoopBackOff".equals(waiting)
              && c.getLastState() != null
              && c.getLastState().getTerminated() != null) {
            return waiting + "/" + c.getLastState().getTerminated().getReason();
          }
          return String.valueOf(waiting);
        }
      }
      boolean allReady =
          !status.getContainerStatuses().isEmpty()
              && status.getContainerStatuses().stream()
                  .allMatch(c -> Boolean.TRUE.equals(c.getReady()));
      if (PodStatuses.RUNNING.equals(status.getPhase()) && allReady) {
        return RUNNING_STATE;
      }
    }
    return String.valueOf(status.getPhase());
  }

  /**
   * The status the kubelet (or, for unscheduled Pods, the scheduler) reports for a predictor Pod
   * with this problem.
   */
  PodStatus podStatus(Pod pod) {
    String now = SimSupport.now();
    if (!scheduled()) {
      return new PodStatusBuilder()
          .withPhase("Pending")
          .withQosClass("Burstable")
          .withConditions(
              new PodConditionBuilder()
                  .withType("PodScheduled")
                  .withStatus("False")
                  .withReason("Unschedulable")
                  .withMessage(schedulerMessage)
                  .withLastTransitionTime(now)
                  .build())
          .build();
    }
    // Start from a healthy Pod on its node (sidecars run) and break the main container.
    boolean pulling = kind == Kind.IMAGE_PULL_BACK_OFF;
    PodStatus status = PodStatuses.running(pod, pulling ? null : PodStatuses.nextPodIp());
    String main = troubledContainer(pod);
    List<ContainerStatus> containers = new ArrayList<>();
    for (ContainerStatus c : status.getContainerStatuses()) {
      containers.add(c.getName().equals(main) ? broken(pod, c) : c);
    }
    String unready = "containers with unready status: [" + main + "]";
    status.setPhase(pulling ? "Pending" : PodStatuses.RUNNING);
    status.setConditions(
        List.of(
            condition("PodScheduled", "True", null, null, now),
            condition("Initialized", "True", null, null, now),
            condition("ContainersReady", "False", "ContainersNotReady", unready, now),
            condition("Ready", "False", "ContainersNotReady", unready, now)));
    status.setContainerStatuses(containers);
    return status;
  }

  private ContainerStatus broken(Pod pod, ContainerStatus healthy) {
    ContainerStatusBuilder b =
        new ContainerStatusBuilder(healthy).withReady(false).withStarted(false).withState(null);
    if (kind == Kind.IMAGE_PULL_BACK_OFF) {
      return b.withContainerID(null)
          .withNewState()
          .withNewWaiting(
              "Back-off pulling image \"" + healthy.getImage() + "\"", "ImagePullBackOff")
          .endState()
          .build();
    }
    boolean oom = kind == Kind.OOM_KILLED;
    String now = SimSupport.now();
    return b.withRestartCount(RESTARTS)
        .withNewState()
        .withNewWaiting(
            "back-off 1m20s restarting failed container="
                + healthy.getName()
                + " pod="
                + podRef(pod, pod.getMetadata() == null ? null : pod.getMetadata().getUid()),
            "CrashLoopBackOff")
        .endState()
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(oom ? 137 : 1)
        .withReason(oom ? "OOMKilled" : "Error")
        .withStartedAt(now)
        .withFinishedAt(now)
        .withContainerID("simulated://" + SimSupport.randomSuffix(12))
        .endTerminated()
        .endLastState()
        .build();
  }

  /**
   * The Events the scheduler or kubelet records on a Pod with this problem.
   *
   * @return (type, reason, message, reporting component, field path) tuples
   */
  List<EventSpec> podEvents(Pod pod) {
    String main = troubledContainer(pod);
    String fieldPath = "spec.containers{" + main + "}";
    String pulled = image != null ? image : imageOf(pod, main);
    return switch (kind) {
      case PVC_NOT_BOUND, FAILED_SCHEDULING ->
          List.of(new EventSpec("Warning", "FailedScheduling", schedulerMessage, SCHEDULER, null));
      case IMAGE_PULL_BACK_OFF ->
          List.of(
              new EventSpec(
                  "Warning",
                  "Failed",
                  "Failed to pull image \""
                      + pulled
                      + "\": rpc error: code = NotFound desc = failed to pull and unpack image \""
                      + pulled
                      + "\": not found (simulated registry)",
                  KUBELET,
                  fieldPath),
              new EventSpec("Warning", "Failed", "Error: ErrImagePull", KUBELET, fieldPath),
              new EventSpec(
                  "Normal",
                  "BackOff",
                  "Back-off pulling image \"" + pulled + "\"",
                  KUBELET,
                  fieldPath),
              new EventSpec("Warning", "Failed", "Error: ImagePullBackOff", KUBELET, fieldPath));
      case SERVERLESS_MODE_REJECTED -> List.of();
      case CRASH_LOOP_BACK_OFF, OOM_KILLED ->
          List.of(
              new EventSpec(
                  "Warning",
                  "BackOff",
                  "Back-off restarting failed container "
                      + main
                      + " in pod "
                      + podRef(pod, pod.getMetadata().getUid()),
                  KUBELET,
                  fieldPath));
    };
  }

  /** The Warning Event recorded on the InferenceService itself. */
  EventSpec isvcEvent() {
    return new EventSpec("Warning", reason, message, "kserve-controller-manager", null);
  }

  /**
   * The not-ready status KServe reports: {@code PredictorReady}, {@code IngressReady} and {@code
   * Ready} False with this problem's reason, the model copies pending or failed, {@code
   * observedGeneration} current. Other fields of the old status are kept; transition times of
   * conditions that keep their status are kept too, so an unchanged problem writes nothing new.
   */
  Map<String, Object> isvcStatus(GenericKubernetesResource isvc, int replicas) {
    Map<String, Object> status = SimJson.asMap(isvc.get("status"));
    Object old = status.get("conditions");
    String now = SimSupport.now();
    List<Map<String, Object>> conditions = new ArrayList<>();
    for (Map<String, Object> c : SimJson.asMaps(old)) {
      if (!InferenceServiceController.READY_CONDITIONS.contains(c.get("type"))) {
        conditions.add(c);
      }
    }
    conditions.add(
        condition(
            old, "IngressReady", "PredictorNotReady", "Predictor is not ready (simulated)", now));
    conditions.add(condition(old, "PredictorReady", reason, message, now));
    conditions.add(condition(old, "Ready", reason, message, now));
    status.put("conditions", conditions);
    status.put("observedGeneration", isvc.getMetadata().getGeneration());

    boolean failed = kind == Kind.CRASH_LOOP_BACK_OFF || kind == Kind.OOM_KILLED;
    Map<String, Object> modelStatus = new LinkedHashMap<>();
    modelStatus.put(
        "states",
        Map.of(
            "activeModelState",
            "Pending",
            "targetModelState",
            failed ? "FailedToLoad" : "Pending"));
    modelStatus.put("transitionStatus", failed ? "BlockedByFailedLoad" : "InProgress");
    modelStatus.put(
        "copies", Map.of("failedCopies", failed ? replicas : 0, "totalCopies", replicas));
    if (failed) {
      Map<String, Object> failure = new LinkedHashMap<>();
      failure.put("reason", "ModelLoadFailed");
      failure.put("message", message);
      failure.put("exitCode", kind == Kind.OOM_KILLED ? 137 : 1);
      modelStatus.put("lastFailureInfo", failure);
    }
    status.put("modelStatus", modelStatus);
    return status;
  }

  private static Map<String, Object> condition(
      Object old, String type, String reason, String message, String now) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", type);
    c.put("status", "False");
    c.put("reason", reason);
    c.put("message", message);
    c.put("lastTransitionTime", SimJson.since(old, type, "False", now));
    return c;
  }

  private static PodCondition condition(
      String type, String status, String reason, String message, String at) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(at)
        .build();
  }

  /**
   * The container in trouble: the first one with the unknown image, else {@value #MAIN_CONTAINER}
   * if present, else the first.
   */
  private String troubledContainer(Pod pod) {
    if (image != null) {
      for (Container c : containersOf(pod)) {
        if (image.equals(c.getImage())) {
          return c.getName();
        }
      }
    }
    return mainContainer(pod);
  }

  private static String mainContainer(Pod pod) {
    List<Container> containers = containersOf(pod);
    return containers.stream()
        .map(Container::getName)
        .filter(MAIN_CONTAINER::equals)
        .findFirst()
        .orElse(containers.isEmpty() ? MAIN_CONTAINER : containers.get(0).getName());
  }

  private static String imageOf(Pod pod, String container) {
    return containersOf(pod).stream()
        .filter(c -> Objects.equals(c.getName(), container))
        .map(Container::getImage)
        .findFirst()
        .orElse("");
  }

  private static String podRef(Pod pod, String uid) {
    String ref = pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace();
    return uid == null ? ref : ref + "(" + uid + ")";
  }

  private static List<Container> containersOf(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getContainers() == null
        ? List.of()
        : pod.getSpec().getContainers();
  }

  @Override
  public String toString() {
    return reason + ": " + message;
  }

  /**
   * One Event to record.
   *
   * @param type {@code Normal} or {@code Warning}
   * @param reason the Event's reason
   * @param message the Event's message
   * @param component the reporting component ({@code source.component})
   * @param fieldPath the part of the object concerned, e.g. {@code spec.containers{name}}, or
   *     {@code null}
   */
  record EventSpec(
      String type, String reason, String message, String component, String fieldPath) {}
}
