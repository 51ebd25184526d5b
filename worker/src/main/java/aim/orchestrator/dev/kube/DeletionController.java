package aim.orchestrator.dev.kube;

import aim.orchestrator.dev.kube.DevStore.StoredObject;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What kube-controller-manager does after a delete, for the dev API: the garbage collector
 * (dependents of a deleted owner go away — background: after the owner; foreground: before it,
 * through the {@code foregroundDeletion} finalizer; orphan: dependents lose their owner reference,
 * through the {@code orphan} finalizer) and the namespace controller (a terminating namespace's
 * objects are deleted, their finalizers are waited for, then the namespace goes away).
 *
 * <p>Runs on one daemon thread ("dev-api-gc"). Every store change that may matter schedules one
 * sweep over a snapshot of the store; changes during a sweep schedule the next one, so the work
 * converges without polling. The writes themselves go back through the dispatcher ({@link Writer}),
 * so finalizers and propagation policies of dependents are honoured like for any delete.
 */
final class DeletionController implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeletionController.class);

  static final String FOREGROUND = "foregroundDeletion";
  static final String ORPHAN = "orphan";
  static final String NAMESPACE_FINALIZER = "kubernetes";

  /** A sweep that could not finish its work retries after this long. */
  private static final long RETRY_MILLIS = 500;

  /** The writes the controller makes; each re-reads the object and checks its UID first. */
  interface Writer {
    /** Deletes the object with a propagation policy ("Background" or "Foreground"). */
    void delete(StoredObject object, String propagationPolicy);

    void removeFinalizer(StoredObject object, String finalizer);

    void removeOwnerReferences(StoredObject object, Set<String> ownerUids);

    /**
     * Deletes the object (background) if none of its owners exists any more, or removes the
     * references to the owners that do not.
     */
    void collect(StoredObject dependent);

    /**
     * Removes the "kubernetes" finalizer from a terminating namespace (and so the namespace, when
     * no other finalizer holds it) once nothing is left in it.
     */
    void finishNamespace(StoredObject namespace);
  }

  private final DevStore store;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Names of namespaces being terminated, kept in step by {@link #onChange}. */
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();

  /** Set when a write of the current sweep failed, so that the sweep is retried. */
  private boolean failed;

  private volatile Writer writer;

  DeletionController(DevStore store) {
    this.store = store;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dev-api-gc");
              t.setDaemon(true);
              return t;
            });
  }

  void writer(Writer writer) {
    this.writer = writer;
  }

  /** The store's change callback (called under the store's lock: only decides whether to sweep). */
  void onChange(StoredObject before, StoredObject after) {
    if (after != null && after.isNamespace()) {
      if (after.deleting()) {
        terminating.add(after.name());
      } else {
        terminating.remove(after.name());
      }
    } else if (after == null && before != null && before.isNamespace()) {
      terminating.remove(before.name());
    }
    if (after == null
        || after.deleting()
        || (after.namespace() != null && terminating.contains(after.namespace()))
        || hasMissingOwner(after)) {
      schedule(0);
    }
  }

  private boolean hasMissingOwner(StoredObject object) {
    for (JsonNode ref : object.ownerReferences()) {
      if (store.byUid(ref.path("uid").asText("")).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private void schedule(long delayMillis) {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.schedule((Runnable) this::sweep, delayMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        scheduled.set(false); // shutting down
      }
    }
  }

  private void sweep() {
    scheduled.set(false);
    Writer w = writer;
    if (w == null) {
      return;
    }
    failed = false;
    try {
      sweep(new Guarded(w));
    } catch (RuntimeException e) {
      log.warn("[dev-api] garbage collection sweep failed; retrying", e);
      failed = true;
    }
    if (failed) {
      schedule(RETRY_MILLIS);
    }
  }

  private void sweep(Writer w) {
    List<StoredObject> all = store.all();
    Map<String, StoredObject> byUid = new HashMap<>();
    Map<String, List<StoredObject>> dependents = new HashMap<>();
    for (StoredObject o : all) {
      byUid.put(o.uid(), o);
    }
    for (StoredObject o : all) {
      for (JsonNode ref : o.ownerReferences()) {
        dependents.computeIfAbsent(ref.path("uid").asText(""), k -> new ArrayList<>()).add(o);
      }
    }
    for (StoredObject owner : all) {
      if (owner.deleting()) {
        List<StoredObject> deps = dependents.getOrDefault(owner.uid(), List.of());
        List<String> finalizers = owner.finalizers();
        if (finalizers.contains(ORPHAN)) {
          orphan(w, owner, deps);
        } else if (finalizers.contains(FOREGROUND)) {
          foreground(w, owner, deps);
        }
      }
    }
    for (StoredObject dependent : all) {
      collectIfOwnersAreGone(w, dependent, byUid);
    }
    for (StoredObject namespace : all) {
      if (namespace.isNamespace() && namespace.deleting()) {
        terminate(w, namespace, all);
      }
    }
  }

  private static void orphan(Writer w, StoredObject owner, List<StoredObject> deps) {
    for (StoredObject d : deps) {
      log.info(
          "[dev-api] gc: orphaning {} {}/{} (owner {} {} deleted with propagationPolicy=Orphan)",
          d.kind(),
          d.namespace(),
          d.name(),
          owner.kind(),
          owner.name());
      w.removeOwnerReferences(d, Set.of(owner.uid()));
    }
    w.removeFinalizer(owner, ORPHAN);
  }

  /**
   * Foreground deletion: every dependent is deleted (those that block the owner with foreground
   * propagation in turn); the owner's finalizer goes once no dependent with {@code
   * blockOwnerDeletion} is left at all (one still waiting for its own finalizers blocks, too).
   */
  private static void foreground(Writer w, StoredObject owner, List<StoredObject> deps) {
    boolean blocked = false;
    for (StoredObject d : deps) {
      boolean blocks = blocksOwner(d, owner.uid());
      blocked |= blocks;
      if (!d.deleting()) {
        log.info(
            "[dev-api] gc: deleting {} {}/{} before its owner {} {} (foreground)",
            d.kind(),
            d.namespace(),
            d.name(),
            owner.kind(),
            owner.name());
        w.delete(d, blocks ? "Foreground" : "Background");
      }
    }
    if (!blocked) {
      w.removeFinalizer(owner, FOREGROUND);
    }
  }

  private static boolean blocksOwner(StoredObject dependent, String ownerUid) {
    for (JsonNode ref : dependent.ownerReferences()) {
      if (ref.path("uid").asText("").equals(ownerUid)
          && ref.path("blockOwnerDeletion").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Background collection: a dependent whose owners are all gone is deleted; one that still has an
   * owner only loses the references to the missing ones, as kube-controller-manager's GC does. The
   * snapshot only nominates candidates: the writer decides on the store as it is under its lock.
   */
  private static void collectIfOwnersAreGone(
      Writer w, StoredObject dependent, Map<String, StoredObject> byUid) {
    for (JsonNode ref : dependent.ownerReferences()) {
      if (!byUid.containsKey(ref.path("uid").asText(""))) {
        w.collect(dependent);
        return;
      }
    }
  }

  private static void terminate(Writer w, StoredObject namespace, List<StoredObject> all) {
    boolean empty = true;
    for (StoredObject o : all) {
      if (namespace.name().equals(o.namespace())) {
        empty = false;
        if (!o.deleting()) {
          w.delete(o, "Background");
        }
      }
    }
    if (empty) {
      w.finishNamespace(namespace);
    }
  }

  /**
   * Runs each write on its own, so one failing object (a conflict, a validation error) neither
   * stops the sweep nor is forgotten: the sweep is retried.
   */
  private final class Guarded implements Writer {
    private final Writer delegate;

    Guarded(Writer delegate) {
      this.delegate = delegate;
    }

    private void run(String what, StoredObject object, Runnable write) {
      try {
        write.run();
      } catch (RuntimeException e) {
        log.warn(
            "[dev-api] gc: {} of {} {}/{} failed; will retry: {}",
            what,
            object.kind(),
            object.namespace(),
            object.name(),
            e.toString());
        failed = true;
      }
    }

    @Override
    public void delete(StoredObject object, String propagationPolicy) {
      run("delete", object, () -> delegate.delete(object, propagationPolicy));
    }

    @Override
    public void removeFinalizer(StoredObject object, String finalizer) {
      run("finalizer removal", object, () -> delegate.removeFinalizer(object, finalizer));
    }

    @Override
    public void removeOwnerReferences(StoredObject object, Set<String> ownerUids) {
      run(
          "owner reference removal",
          object,
          () -> delegate.removeOwnerReferences(object, ownerUids));
    }

    @Override
    public void collect(StoredObject dependent) {
      run("garbage collection", dependent, () -> delegate.collect(dependent));
    }

    @Override
    public void finishNamespace(StoredObject namespace) {
      run("namespace finalization", namespace, () -> delegate.finishNamespace(namespace));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
