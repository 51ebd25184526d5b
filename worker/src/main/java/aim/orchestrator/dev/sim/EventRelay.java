package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Wakes other simulated controllers up when objects of one kind change: any add, update or delete
 * runs {@code onChange(namespace, name)} on the relay's own thread (after the reaction delay,
 * de-duplicated like any reconcile).
 *
 * <p>Real controllers watch the kinds their objects depend on (KServe's Pods wait for their claims,
 * a Gateway API implementation re-checks routes when a Gateway or Service changes); a relay is that
 * secondary watch. The callback usually finds the dependent objects and {@link
 * SimulatedController#enqueue enqueues} them on their controller; it only gets namespace and name,
 * which is all that is left of a deleted object.
 *
 * <p>A relay either watches the kind itself or, when another simulated controller watches it
 * already, follows that controller ({@link #following}) so that no second watch is opened.
 *
 * @param <T> the watched kind
 */
final class EventRelay<T extends HasMetadata> extends SimulatedController<T> {

  private final Function<KubernetesClient, SharedIndexInformer<T>> informerFactory;
  private final BiConsumer<String, String> onChange;

  /**
   * A relay with its own watch.
   *
   * @param name shown in logs, e.g. {@code "service->routes"}
   * @param informerFactory builds the (not yet started) informer over all namespaces
   * @param onChange what to do for a changed object; may throw to be retried with backoff
   */
  EventRelay(
      String name,
      KubernetesClient client,
      Duration reactionDelay,
      Function<KubernetesClient, SharedIndexInformer<T>> informerFactory,
      BiConsumer<String, String> onChange) {
    super(name, client, reactionDelay);
    this.informerFactory = informerFactory;
    this.onChange = onChange;
    if (informerFactory != null) {
      // Its own watch's events, deletions included (a deleted object matters too).
      addFollower((namespace, object) -> enqueue(namespace, object, reactionDelay));
    }
  }

  /**
   * A relay fed by the events of {@code source}'s watch.
   *
   * @param name shown in logs, e.g. {@code "pvc->kserve"}
   * @param onChange what to do for a changed object; may throw to be retried with backoff
   */
  static <T extends HasMetadata> EventRelay<T> following(
      SimulatedController<T> source,
      String name,
      KubernetesClient client,
      Duration reactionDelay,
      BiConsumer<String, String> onChange) {
    EventRelay<T> relay = new EventRelay<>(name, client, reactionDelay, null, onChange);
    source.addFollower((namespace, object) -> relay.enqueue(namespace, object, reactionDelay));
    return relay;
  }

  @Override
  protected SharedIndexInformer<T> newInformer() {
    return informerFactory == null ? null : informerFactory.apply(client);
  }

  @Override
  protected boolean needsWork(T obj) {
    // Everything arrives through the follower, which also sees deletions.
    return false;
  }

  @Override
  protected void reconcile(String namespace, String name) {
    onChange.accept(namespace, name);
  }
}
