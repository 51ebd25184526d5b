package aim.orchestrator.activities.impl;

import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * Classifies a workload's Pods into one component (spec §3.7/§3.8): unschedulable ⇒ Pending {@code FailedScheduling};
 * image pull problems ⇒ Degraded {@code ImagePullBackOff} / {@code ErrImagePull}; a container killed for memory ⇒
 * Degraded {@code PodOOMKilled}; crash-looping ⇒ Degraded {@code CrashLoopBackOff}; all Running and ready ⇒ Ready.
 * The worst Pod decides, so a service never says Running while one of its Pods crashes.
 */
final class PodHealth {
  private PodHealth() {}

  static ComponentHealth of(String component, List<Pod> pods) {
    DependencyType d = DependencyType.DOWNSTREAM;
    if (pods.isEmpty()) {
      return ComponentHealth.of(component, AIMStatus.Progressing, "PodsNotCreated", "No pods yet", d);
    }
    ComponentHealth worst = null;
    int ready = 0;
    for (Pod pod : pods) {
      ComponentHealth h = ofPod(component, pod);
      if (h == null) {
        ready++;
      } else if (worst == null || h.state().priority() < worst.state().priority()) {
        worst = h;
      }
    }
    if (worst != null) {
      return worst;
    }
    return ComponentHealth.ready(component, "PodsReady", ready + "/" + pods.size() + " pods ready", d);
  }

  /** Null when the Pod is Running and ready; else its health. */
  private static ComponentHealth ofPod(String component, Pod pod) {
    DependencyType d = DependencyType.DOWNSTREAM;
    String name = pod.getMetadata().getName();
    var status = pod.getStatus();
    if (status == null) {
      return ComponentHealth.of(component, AIMStatus.Progressing, "PodPending", "Pod " + name + " has no status yet", d);
    }
    if (status.getConditions() != null) {
      for (var c : status.getConditions()) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
          return ComponentHealth.of(component, AIMStatus.Pending, "FailedScheduling", "Pod " + name + ": " + c.getMessage(), d);
        }
      }
    }
    if (status.getContainerStatuses() != null) {
      for (ContainerStatus cs : status.getContainerStatuses()) {
        var last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
        var now = cs.getState() == null ? null : cs.getState().getTerminated();
        if ((last != null && "OOMKilled".equals(last.getReason())) || (now != null && "OOMKilled".equals(now.getReason()))) {
          return ComponentHealth.of(component, AIMStatus.Degraded, "PodOOMKilled", "Pod " + name + ": container " + cs.getName() + " was killed for using too much memory", d);
        }
        var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
        if (waiting != null && waiting.getReason() != null) {
          switch (waiting.getReason()) {
            case "ImagePullBackOff", "ErrImagePull", "InvalidImageName" -> {
              return ComponentHealth.of(component, AIMStatus.Degraded, waiting.getReason(), "Pod " + name + ": " + waiting.getMessage(), d);
            }
            case "CrashLoopBackOff" -> {
              return ComponentHealth.of(component, AIMStatus.Degraded, "CrashLoopBackOff", "Pod " + name + ": container " + cs.getName() + " keeps crashing", d);
            }
            default -> {
              // ContainerCreating and the like: still starting.
            }
          }
        }
      }
    }
    boolean running = "Running".equals(status.getPhase());
    boolean allReady =
        status.getContainerStatuses() != null
            && !status.getContainerStatuses().isEmpty()
            && status.getContainerStatuses().stream().allMatch(cs -> Boolean.TRUE.equals(cs.getReady()));
    if (running && allReady) {
      return null;
    }
    return ComponentHealth.of(component, AIMStatus.Progressing, "PodStarting", "Pod " + name + " is " + status.getPhase(), d);
  }
}
