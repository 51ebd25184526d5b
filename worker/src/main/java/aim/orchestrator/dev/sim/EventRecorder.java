package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Objects;

/**
 * Writes core/v1 Events the way Kubernetes' own components do, so that anything reading Events
 * (kubectl describe, the AIM engine's pending-Pod diagnosis, tests) sees what a real cluster shows.
 *
 * <p>Repeats are folded as client-go's event correlator folds them: an Event with the same source
 * component, involved object, field path, type, reason and message gets its {@code count} bumped
 * and {@code lastTimestamp} moved instead of a new object. The Event's name is derived from those
 * fields ({@code <object>.<16 hex>}, the shape of a real Event name), so the folding also holds
 * across simulator restarts against the same API server.
 *
 * <p>Recording is best effort, as in Kubernetes: a failure is logged and never fails the caller.
 */
final class EventRecorder {

  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  static final String SCHEDULER = "default-scheduler";
  static final String KUBELET = "kubelet";
  static final String JOB_CONTROLLER = "job-controller";
  static final String PV_CONTROLLER = "persistentvolume-controller";

  private static final SimLog LOG = new SimLog(EventRecorder.class);
  private static final int MAX_ATTEMPTS = 5;
  // Object names may be up to 253 characters; the Event name adds 17.
  private static final int MAX_OBJECT_NAME_IN_EVENT_NAME = 253 - 17;

  private final KubernetesClient client;

  EventRecorder(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Records a {@code Normal} Event from {@code component} about {@code object}. */
  void normal(HasMetadata object, String component, String reason, String message) {
    record(object, null, component, null, NORMAL, reason, message);
  }

  /** Records a {@code Warning} Event from {@code component} about {@code object}. */
  void warning(HasMetadata object, String component, String reason, String message) {
    record(object, null, component, null, WARNING, reason, message);
  }

  /**
   * Records an Event, or bumps the count of the identical one recorded before.
   *
   * @param object the involved object; it must have a name (and a uid once stored)
   * @param fieldPath e.g. {@code spec.containers{main}} for container Events, else {@code null}
   * @param component the reporting component, e.g. {@link #KUBELET}
   * @param host the node the component runs on (kubelet Events), else {@code null}
   * @param type {@link #NORMAL} or {@link #WARNING}
   * @param reason short CamelCase reason
   * @param message human-readable message
   */
  void record(
      HasMetadata object,
      String fieldPath,
      String component,
      String host,
      String type,
      String reason,
      String message) {
    try {
      upsert(object, fieldPath, component, host, type, reason, message);
    } catch (RuntimeException e) {
      LOG.warn(
          "could not record Event {} on {} {}: {}",
          reason,
          object.getKind(),
          object.getMetadata().getName(),
          e.toString());
    }
  }

  private void upsert(
      HasMetadata object,
      String fieldPath,
      String component,
      String host,
      String type,
      String reason,
      String message) {
    String objectNamespace = object.getMetadata().getNamespace();
    // Events about cluster-scoped objects (Nodes, PersistentVolumes) live in "default".
    String namespace = objectNamespace == null ? "default" : objectNamespace;
    String uid = Objects.toString(object.getMetadata().getUid(), "");
    String name =
        eventName(
            object.getMetadata().getName(),
            String.join(
                "\n", uid, fieldPath == null ? "" : fieldPath, component, type, reason, message));
    var events = client.v1().events().inNamespace(namespace);
    // Most Events are new: try to create first and only read on a clash.
    Event existing = null;
    for (int attempt = 1; ; attempt++) {
      String now = SimSupport.now();
      try {
        if (existing == null) {
          events
              .resource(
                  newEvent(
                      object, namespace, name, fieldPath, component, host, type, reason, message,
                      now))
              .create();
        } else {
          existing.setCount(Objects.requireNonNullElse(existing.getCount(), 1) + 1);
          existing.setLastTimestamp(now);
          events.resource(existing).update();
        }
        return;
      } catch (KubernetesClientException e) {
        // 409: the Event exists (fold into it) or another thread bumped it first (re-read).
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        existing = events.withName(name).get();
      }
    }
  }

  private static Event newEvent(
      HasMetadata object,
      String namespace,
      String name,
      String fieldPath,
      String component,
      String host,
      String type,
      String reason,
      String message,
      String now) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels(SimSupport.SIMULATED_LABEL, "true")
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion())
                .withFieldPath(fieldPath)
                .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withNewSource()
        .withComponent(component)
        .withHost(host)
        .endSource()
        .withReportingComponent(component)
        .withReportingInstance(host == null ? component : host)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
  }

  private static String eventName(String objectName, String identity) {
    String prefix =
        objectName.length() > MAX_OBJECT_NAME_IN_EVENT_NAME
            ? objectName.substring(0, MAX_OBJECT_NAME_IN_EVENT_NAME)
            : objectName;
    return prefix + "." + SimSupport.shortHash(identity, 16);
  }

  // --- The Events a scheduler and kubelet write over a Pod's life -------------------------

  /** The scheduler's {@code Scheduled} Event for a Pod bound to {@code spec.nodeName}. */
  void podScheduled(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node == null) {
      return;
    }
    normal(
        pod,
        SCHEDULER,
        "Scheduled",
        "Successfully assigned "
            + pod.getMetadata().getNamespace()
            + "/"
            + pod.getMetadata().getName()
            + " to "
            + node);
  }

  /** The scheduler's {@code FailedScheduling} Event. */
  void podUnschedulable(Pod pod, String message) {
    warning(pod, SCHEDULER, "FailedScheduling", message);
  }

  /**
   * What a kubelet reports while starting every container of a scheduled Pod: {@code Pulling},
   * {@code Pulled}, {@code Created}, {@code Started}.
   */
  void podContainersStarted(Pod pod) {
    for (Container c : containersOf(pod)) {
      String image = c.getImage();
      kubelet(pod, c, NORMAL, "Pulling", "Pulling image \"" + image + "\"");
      kubelet(
          pod,
          c,
          NORMAL,
          "Pulled",
          "Successfully pulled image \"" + image + "\" in 0s (0s including waiting)");
      kubelet(pod, c, NORMAL, "Created", "Created container: " + c.getName());
      kubelet(pod, c, NORMAL, "Started", "Started container " + c.getName());
    }
  }

  /** A kubelet Event about container {@code container} of {@code pod}. */
  void kubelet(Pod pod, Container container, String type, String reason, String message) {
    record(
        pod,
        "spec.containers{" + container.getName() + "}",
        KUBELET,
        pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
        type,
        reason,
        message);
  }

  static List<Container> containersOf(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getContainers() == null
        ? List.of()
        : pod.getSpec().getContainers();
  }
}
