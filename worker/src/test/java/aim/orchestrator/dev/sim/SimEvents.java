package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Objects;

/** Test helper: the core/v1 Events about one object, as {@code kubectl describe} shows them. */
final class SimEvents {

  private SimEvents() {}

  /** The Events whose involved object is {@code object} (matched by uid). */
  static List<Event> about(KubernetesClient client, HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    String uid = object.getMetadata().getUid();
    // Filtered here: the CRUD mock does not implement field selectors on involvedObject.
    return client
        .v1()
        .events()
        .inNamespace(namespace == null ? "default" : namespace)
        .list()
        .getItems()
        .stream()
        .filter(e -> e.getInvolvedObject() != null)
        .filter(e -> Objects.equals(e.getInvolvedObject().getUid(), uid))
        .toList();
  }

  /** The reasons of the Events about {@code object}. */
  static List<String> reasons(KubernetesClient client, HasMetadata object) {
    return about(client, object).stream().map(Event::getReason).toList();
  }

  /** Whether an Event with {@code reason} and a message containing {@code text} exists. */
  static boolean has(KubernetesClient client, HasMetadata object, String reason, String text) {
    return about(client, object).stream()
        .anyMatch(e -> reason.equals(e.getReason()) && e.getMessage().contains(text));
  }
}
