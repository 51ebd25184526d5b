package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Builds the Pod statuses a kubelet would report, and creates Pods as a ReplicaSet/Job would. */
final class PodStatuses {

  static final String PENDING = "Pending";
  static final String RUNNING = "Running";
  static final String SUCCEEDED = "Succeeded";
  static final String FAILED = "Failed";

  private static final AtomicInteger POD_IPS = new AtomicInteger();

  private PodStatuses() {}

  /** Hands out distinct Pod IPs from a simulated Pod network (10.244.0.0/16). */
  static String nextPodIp() {
    int n = POD_IPS.getAndIncrement() % (254 * 254);
    return "10.244." + (n / 254) + "." + (1 + n % 254);
  }

  static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return SUCCEEDED.equals(phase) || FAILED.equals(phase);
  }

  static String phaseOf(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  /** A Pod whose containers all started and are ready. */
  static PodStatus running(Pod pod, String podIp) {
    String now = SimSupport.now();
    List<ContainerStatus> containers = new ArrayList<>();
    for (Container c : containersOf(pod)) {
      containers.add(
          new ContainerStatusBuilder()
              .withName(c.getName())
              .withImage(c.getImage())
              .withImageID("")
              .withContainerID("simulated://" + SimSupport.randomSuffix(12))
              .withReady(true)
              .withStarted(true)
              .withRestartCount(0)
              .withNewState()
              .withNewRunning(now)
              .endState()
              .build());
    }
    return new PodStatusBuilder()
        .withPhase(RUNNING)
        .withStartTime(now)
        .withHostIP(hostIpOf(pod))
        .withPodIP(podIp)
        .withQosClass("Burstable")
        .withConditions(
            condition("PodScheduled", "True", null, now),
            condition("Initialized", "True", null, now),
            condition("ContainersReady", "True", null, now),
            condition("Ready", "True", null, now))
        .withContainerStatuses(containers)
        .build();
  }

  /** The status of {@code pod} after all its containers exited with {@code outcome}. */
  static PodStatus terminated(Pod pod, JobRunner.Outcome outcome) {
    String now = SimSupport.now();
    PodStatus previous = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    String startedAt = previous.getStartTime() == null ? now : previous.getStartTime();
    String reason = outcome.succeeded() ? "PodCompleted" : "PodFailed";
    List<ContainerStatus> containers = new ArrayList<>();
    for (Container c : containersOf(pod)) {
      containers.add(
          new ContainerStatusBuilder()
              .withName(c.getName())
              .withImage(c.getImage())
              .withImageID("")
              .withContainerID("simulated://" + SimSupport.randomSuffix(12))
              .withReady(false)
              .withStarted(false)
              .withRestartCount(0)
              .withNewState()
              .withNewTerminated()
              .withExitCode(outcome.exitCode())
              .withReason(outcome.reason())
              .withMessage(terminationMessage(c, outcome))
              .withStartedAt(startedAt)
              .withFinishedAt(now)
              .endTerminated()
              .endState()
              .build());
    }
    return new PodStatusBuilder(previous)
        .withPhase(outcome.succeeded() ? SUCCEEDED : FAILED)
        .withStartTime(startedAt)
        .withConditions(
            condition("PodScheduled", "True", null, startedAt),
            condition("Initialized", "True", null, startedAt),
            condition("ContainersReady", "False", reason, now),
            condition("Ready", "False", reason, now))
        .withContainerStatuses(containers)
        .build();
  }

  /**
   * The termination message: the outcome's message, or, for a failed container whose {@code
   * terminationMessagePolicy} is {@code FallbackToLogsOnError}, the tail of its log (the kubelet
   * takes the last 80 lines, at most 2048 bytes).
   */
  private static String terminationMessage(Container c, JobRunner.Outcome outcome) {
    if (!outcome.message().isEmpty()) {
      return outcome.message();
    }
    if (outcome.succeeded()
        || !"FallbackToLogsOnError".equals(c.getTerminationMessagePolicy())
        || outcome.log().isBlank()) {
      return null;
    }
    String[] lines = outcome.log().split("\n", -1);
    int from = Math.max(0, lines.length - 80);
    String tail = String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
    return tail.length() > 2048 ? tail.substring(tail.length() - 2048) : tail;
  }

  /**
   * A Pod the scheduler could not place: {@code Pending}, no node, {@code PodScheduled=False} with
   * reason {@code Unschedulable}.
   */
  static PodStatus unschedulable(String message) {
    return new PodStatusBuilder()
        .withPhase(PENDING)
        .withQosClass("Burstable")
        .withConditions(
            new PodConditionBuilder()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage(message)
                .withLastTransitionTime(SimSupport.now())
                .build())
        .build();
  }

  /**
   * A scheduled Pod whose containers cannot start because their image is not there: {@code
   * Pending}, every container waiting with {@code reason} ({@code ErrImagePull} or {@code
   * ImagePullBackOff}) and the message {@code messageOf} gives for it.
   */
  static PodStatus waitingForImage(
      Pod pod, String podIp, String reason, Function<Container, String> messageOf) {
    String now = SimSupport.now();
    PodStatus previous = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    String startedAt = previous.getStartTime() == null ? now : previous.getStartTime();
    List<ContainerStatus> containers = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Container c : containersOf(pod)) {
      names.add(c.getName());
      containers.add(
          new ContainerStatusBuilder()
              .withName(c.getName())
              .withImage(c.getImage())
              .withImageID("")
              .withReady(false)
              .withStarted(false)
              .withRestartCount(0)
              .withNewState()
              .withNewWaiting()
              .withReason(reason)
              .withMessage(messageOf.apply(c))
              .endWaiting()
              .endState()
              .build());
    }
    String unready = "containers with unready status: [" + String.join(" ", names) + "]";
    return new PodStatusBuilder()
        .withPhase(PENDING)
        .withStartTime(startedAt)
        .withHostIP(hostIpOf(pod))
        .withPodIP(previous.getPodIP() == null ? podIp : previous.getPodIP())
        .withQosClass("Burstable")
        .withConditions(
            condition("PodScheduled", "True", null, startedAt),
            condition("Initialized", "True", null, startedAt),
            condition("ContainersReady", "False", "ContainersNotReady", unready, startedAt),
            condition("Ready", "False", "ContainersNotReady", unready, startedAt))
        .withContainerStatuses(containers)
        .build();
  }

  /** The waiting reason of the Pod's first waiting container, or {@code null}. */
  static String waitingReason(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(c -> c.getState() != null && c.getState().getWaiting() != null)
        .map(c -> c.getState().getWaiting().getReason())
        .findFirst()
        .orElse(null);
  }

  private static PodCondition condition(String type, String status, String reason, String at) {
    return condition(type, status, reason, null, at);
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

  private static List<Container> containersOf(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getContainers() == null
        ? List.of()
        : pod.getSpec().getContainers();
  }

  private static String hostIpOf(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node == null || !node.startsWith(ClusterFixtures.NODE_PREFIX)) {
      return null;
    }
    try {
      return "10.89.0."
          + (10 + Integer.parseInt(node.substring(ClusterFixtures.NODE_PREFIX.length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Creates a Pod named {@code prefix + 5 random characters}, like a controller's generated name,
   * retrying on the (unlikely) name clash, and makes sure its status is the given one even on an
   * API server that ignores status on create.
   */
  static Pod create(
      KubernetesClient client,
      String namespace,
      String prefix,
      Pod template,
      Function<Pod, PodStatus> statusOf) {
    for (int attempt = 0; ; attempt++) {
      template.getMetadata().setName(prefix + SimSupport.randomSuffix(5));
      template.getMetadata().setNamespace(namespace);
      PodStatus status = statusOf.apply(template);
      template.setStatus(status);
      Pod created;
      try {
        created = client.pods().inNamespace(namespace).resource(template).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_CONFLICT && attempt < 5) {
          continue;
        }
        throw e;
      }
      if (created.getStatus() == null || !status.getPhase().equals(phaseOf(created))) {
        created.setStatus(status);
        created = client.pods().inNamespace(namespace).resource(created).updateStatus();
      }
      return created;
    }
  }
}
