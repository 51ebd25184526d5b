package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Skeleton of one simulated controller: an informer over all namespaces feeds a delayed,
 * de-duplicated work queue, and a single thread reconciles one object at a time.
 *
 * <p>Like a real controller it is level-triggered: an event only says "look at this object", and
 * {@link #reconcile} re-reads the object and decides from its current state. Events for objects
 * that already look done are dropped by {@link #needsWork}, which is what stops the controller from
 * reacting to its own status writes.
 *
 * @param <T> the watched kind
 */
abstract class SimulatedController<T extends HasMetadata> implements AutoCloseable {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(250);

  protected final KubernetesClient client;
  protected final SimLog log;
  private final String name;
  private final Duration reactionDelay;
  private final ScheduledExecutorService queue;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, String>> followers = new CopyOnWriteArrayList<>();
  private SharedIndexInformer<T> informer;
  private volatile boolean closed;

  SimulatedController(String name, KubernetesClient client, Duration reactionDelay) {
    this.name = name;
    this.client = client;
    this.reactionDelay = reactionDelay;
    this.log = new SimLog(getClass());
    // One thread per controller: reconciles of the same object never overlap, and a slow kind
    // does not hold up the others.
    this.queue =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dev-simulator-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Builds the (not yet started) informer for the watched kind, over all namespaces; {@code null}
   * for a controller that only works on what others {@link #enqueue} (see {@link #addFollower}).
   */
  protected abstract SharedIndexInformer<T> newInformer();

  /** Whether the object, as seen in an event, still needs the simulated controller's attention. */
  protected abstract boolean needsWork(T obj);

  /** Brings the named object to its target state; must be idempotent. */
  protected abstract void reconcile(String namespace, String name) throws Exception;

  String name() {
    return name;
  }

  /**
   * Also reports every add, update and delete this controller's informer sees to {@code follower}
   * (namespace, name), before the controller's own filtering. Lets a controller react to a kind
   * without opening a second watch on it: every watch costs the API server, and the fabric8 mock
   * can stall when many watches close at once. Call before {@link #start}.
   */
  void addFollower(BiConsumer<String, String> follower) {
    followers.add(follower);
  }

  /** Starts the informer; the returned stage completes once the initial list has been seen. */
  CompletionStage<Void> start() {
    informer = newInformer();
    if (informer == null) {
      return CompletableFuture.completedFuture(null);
    }
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            tellFollowers(obj);
            offer(obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            tellFollowers(newObj);
            offer(newObj);
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            tellFollowers(obj);
            // Nothing to undo: objects the simulator created are left to their owners (and to
            // whoever cleans up, as the mock server has no garbage collector).
          }
        });
    return informer.start();
  }

  private void tellFollowers(T obj) {
    for (BiConsumer<String, String> follower : followers) {
      try {
        follower.accept(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
      } catch (RuntimeException e) {
        log.warn("{}: a follower failed on {}: {}", name, SimSupport.keyOf(obj), e.toString());
      }
    }
  }

  private void offer(T obj) {
    try {
      if (needsWork(obj)) {
        enqueue(obj.getMetadata().getNamespace(), obj.getMetadata().getName(), reactionDelay);
      }
    } catch (RuntimeException e) {
      log.warn("{}: could not inspect {}: {}", name, SimSupport.keyOf(obj), e.toString());
    }
  }

  /**
   * Schedules a reconcile of the object after {@code delay}; a reconcile already waiting for the
   * same object absorbs the request, so a burst of events costs one reconcile.
   */
  void enqueue(String namespace, String objectName, Duration delay) {
    String key = namespace + "/" + objectName;
    if (closed || !pending.add(key)) {
      return;
    }
    try {
      queue.schedule(
          () -> run(namespace, objectName, key), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pending.remove(key);
    }
  }

  private void run(String namespace, String objectName, String key) {
    // Removed before the work so that an event arriving during the reconcile schedules another.
    pending.remove(key);
    if (closed) {
      return;
    }
    try {
      reconcile(namespace, objectName);
      failures.remove(key);
    } catch (Exception e) {
      if (closed) {
        return;
      }
      int n = failures.merge(key, 1, Integer::sum);
      Duration backoff = MIN_BACKOFF.multipliedBy(1L << Math.min(n - 1, 10));
      if (backoff.compareTo(MAX_BACKOFF) > 0) {
        backoff = MAX_BACKOFF;
      }
      log.warn(
          "{}: reconciling {} failed (attempt {}), retrying in {} ms: {}",
          name,
          key,
          n,
          backoff.toMillis(),
          e.toString());
      enqueue(namespace, objectName, backoff);
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    if (informer != null) {
      informer.stop();
    }
    queue.shutdownNow();
  }
}
