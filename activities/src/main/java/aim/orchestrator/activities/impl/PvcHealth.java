package aim.orchestrator.activities.impl;

import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why an artifact's PVC is not bound, read from what a real cluster tells: the claim's phase, its StorageClass and
 * the Events the provisioner and the PersistentVolume controller record on it. The reasons are the seeds':
 *
 * <ul>
 *   <li>{@code PVCPending} (Progressing): nothing wrong yet, the provisioner is working;
 *   <li>{@code StorageClassMissing} (Failed): the named class does not exist, or no class is named and the cluster
 *       has no default;
 *   <li>{@code InsufficientCapacity} (Failed): the provisioner has no room for the request;
 *   <li>{@code PVCNotBound} (Failed): provisioning failed for another reason — when the class cannot give
 *       ReadWriteMany volumes, the message names the class;
 *   <li>{@code PVCLost} (Failed): the claim lost its volume.
 * </ul>
 *
 * Failed states are not final: the workflow keeps looking, and the claim binds once the cause is gone.
 */
final class PvcHealth {
  static final String COMPONENT = "CachePvc";
  static final String PENDING = "PVCPending";
  static final String NOT_BOUND = "PVCNotBound";
  static final String CLASS_MISSING = "StorageClassMissing";
  static final String INSUFFICIENT_CAPACITY = "InsufficientCapacity";
  static final String LOST = "PVCLost";
  static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";

  private static final Pattern CLASS_NOT_FOUND = Pattern.compile("storageclass\\.storage\\.k8s\\.io \"([^\"]+)\" not found");
  private static final Pattern CLASS_IN_MESSAGE = Pattern.compile("StorageClass \"([^\"]+)\"");
  private static final DependencyType D = DependencyType.DOWNSTREAM;

  private PvcHealth() {}

  /**
   * The health of a claim.
   *
   * @param pvc the claim as stored
   * @param storageClass the class it names (or the default class when it names none), null when there is none
   * @param classLookedUp the name that was looked up, null when the claim names no class
   * @param events the Events about this claim (any order)
   */
  static ComponentHealth of(PersistentVolumeClaim pvc, StorageClass storageClass, String classLookedUp, List<Event> events) {
    String name = pvc.getMetadata().getName();
    String phase = pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
    if ("Bound".equals(phase)) {
      return ComponentHealth.ready(COMPONENT, "PVCBound", "PVC " + name + " is bound", D);
    }
    if ("Lost".equals(phase)) {
      return failed(LOST, "PVC " + name + " lost its volume; delete the artifact to start over");
    }
    if (storageClass == null && classLookedUp != null && !classLookedUp.isEmpty()) {
      return failed(
          CLASS_MISSING,
          "PVC " + name + " is not bound: StorageClass \"" + classLookedUp
              + "\" does not exist; create it or set storageClassName (artifact, template cache, service or runtime"
              + " config storage.defaultStorageClassName) to a ReadWriteMany class");
    }
    Optional<Event> warning = latest(events, "Warning");
    if (warning.isPresent()) {
      return fromWarning(name, warning.get());
    }
    Optional<Event> normal = latest(events, "Normal");
    if (normal.isPresent() && "FailedBinding".equals(normal.get().getReason())) {
      String message = Objects.toString(normal.get().getMessage(), "");
      if (message.contains("no storage class is set")) {
        return failed(
            CLASS_MISSING,
            "PVC " + name + " is not bound: it names no StorageClass and the cluster has no default one ("
                + message + "); set storageClassName to a ReadWriteMany class or mark one as the default");
      }
    }
    if (storageClass != null && WAIT_FOR_FIRST_CONSUMER.equals(storageClass.getVolumeBindingMode())) {
      // Such a class binds only once a Pod uses the claim: the download Job is that Pod, so it must not wait.
      return ComponentHealth.ready(
          COMPONENT, WAIT_FOR_FIRST_CONSUMER,
          "PVC " + name + " binds when its first consumer (the download Job) starts (StorageClass \""
              + storageClass.getMetadata().getName() + "\" uses WaitForFirstConsumer)", D);
    }
    String detail = normal.map(e -> ": " + e.getReason() + " " + Objects.toString(e.getMessage(), "")).orElse("");
    return ComponentHealth.of(COMPONENT, AIMStatus.Progressing, PENDING, "PVC " + name + " is not bound yet" + detail, D);
  }

  private static ComponentHealth fromWarning(String name, Event event) {
    String message = Objects.toString(event.getMessage(), "");
    String lower = message.toLowerCase(Locale.ROOT);
    String prefix = "PVC " + name + " is not bound: ";
    Matcher notFound = CLASS_NOT_FOUND.matcher(message);
    if (notFound.find()) {
      return failed(
          CLASS_MISSING,
          prefix + "StorageClass \"" + notFound.group(1) + "\" does not exist (" + message
              + "); create it or use an existing ReadWriteMany class");
    }
    if (lower.contains("insufficient capacity") || lower.contains("resourceexhausted") || lower.contains("exceeded quota")
        || lower.contains("not enough space") || lower.contains("out of capacity")) {
      return failed(INSUFFICIENT_CAPACITY, prefix + "the storage has no room for it (" + message + ")");
    }
    if (lower.contains("readwritemany") || lower.contains("access mode")) {
      Matcher sc = CLASS_IN_MESSAGE.matcher(message);
      String cls = sc.find() ? "StorageClass \"" + sc.group(1) + "\"" : "its StorageClass";
      return failed(
          NOT_BOUND,
          prefix + cls + " cannot provision ReadWriteMany volumes, which artifact caches need (" + message
              + "); use an RWX-capable class (NFS, CephFS, a cloud file store)");
    }
    return failed(NOT_BOUND, prefix + event.getReason() + ": " + message);
  }

  private static ComponentHealth failed(String reason, String message) {
    return ComponentHealth.of(COMPONENT, AIMStatus.Failed, reason, message, D);
  }

  /** The most recent Event of a type (by last timestamp, then event time, then count). */
  private static Optional<Event> latest(List<Event> events, String type) {
    return events.stream()
        .filter(e -> type.equals(e.getType()))
        .max(Comparator.comparing(PvcHealth::when).thenComparing(e -> Objects.requireNonNullElse(e.getCount(), 1)));
  }

  private static String when(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return e.getEventTime().getTime();
    }
    return Objects.toString(e.getMetadata().getCreationTimestamp(), "");
  }
}
