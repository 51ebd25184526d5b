package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev API's object store: fabric8's CRUD dispatcher (storage, resourceVersions, generations,
 * watches) plus what the dev API needs from it and the CRUD dispatcher does not offer: an index of
 * every stored object by UID (for owner references, namespace contents and RBAC), a callback on
 * every stored change (the garbage collector and the namespace controller run on it), and raw
 * writes that bypass the CRUD handlers' rules (a terminating namespace has a deletionTimestamp and
 * no metadata finalizers, which the CRUD handlers would take for "delete now").
 */
final class DevStore extends KubernetesCrudDispatcher {

  private static final Logger log = LoggerFactory.getLogger(DevStore.class);

  /**
   * One stored object and where it lives.
   *
   * @param group API group from the path it was written through ("" for core)
   * @param version API version from that path
   * @param plural resource name from that path
   * @param namespace metadata.namespace, or null for cluster-scoped objects
   * @param name metadata.name
   * @param uid metadata.uid
   * @param object the stored JSON (do not modify)
   */
  record StoredObject(
      String group,
      String version,
      String plural,
      String namespace,
      String name,
      String uid,
      ObjectNode object) {

    /** The object's REST path, as the CRUD store addresses it. */
    String path() {
      StringBuilder b =
          new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
      if (namespace != null) {
        b.append("/namespaces/").append(namespace);
      }
      return b.append('/').append(plural).append('/').append(name).toString();
    }

    String kind() {
      return object.path("kind").asText("");
    }

    boolean deleting() {
      return object.path("metadata").hasNonNull("deletionTimestamp");
    }

    List<String> finalizers() {
      List<String> out = new ArrayList<>();
      object.path("metadata").path("finalizers").forEach(f -> out.add(f.asText()));
      return out;
    }

    JsonNode ownerReferences() {
      return object.path("metadata").path("ownerReferences");
    }

    boolean isNamespace() {
      return group.isEmpty() && plural.equals("namespaces");
    }
  }

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, StoredObject> byUid = new ConcurrentHashMap<>();
  private volatile BiConsumer<StoredObject, StoredObject> listener = (before, after) -> {};

  /** The CRUD dispatcher's write lock, captured through its {@link #locked(Lock)} hook. */
  private volatile Lock crudWriteLock;

  DevStore() {
    // a write through the CRUD handlers, so that the hook below sees (and remembers) the write lock
    handleDelete("/api/v1/namespaces/dev-api-init/configmaps/none");
    if (crudWriteLock == null) {
      throw new IllegalStateException(
          "[dev-api] the CRUD store did not expose its write lock; raw writes are impossible");
    }
  }

  @Override
  protected void locked(Lock lock) {
    if (crudWriteLock == null && lock instanceof ReentrantReadWriteLock.WriteLock) {
      crudWriteLock = lock;
    }
  }

  /**
   * Called with {@code (before, after)} after every change of a stored object (either may be null
   * on create or delete), while the store is locked: it must only hand the work on.
   */
  void listener(BiConsumer<StoredObject, StoredObject> listener) {
    this.listener = listener;
  }

  /**
   * Every change of the map goes through here (creates, updates, deletes of the CRUD handlers and
   * the raw writes below), always under the CRUD write lock.
   */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    String previous = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (previous != null && previous.equals(newState)) {
      return;
    }
    Optional<ApiPath> api = ApiPath.parse(path);
    StoredObject before = previous == null ? null : parse(api, previous);
    StoredObject after = newState == null ? null : parse(api, newState);
    if (before != null && (after == null || !after.uid().equals(before.uid()))) {
      byUid.remove(before.uid());
    }
    if (after != null) {
      byUid.put(after.uid(), after);
    }
    try {
      listener.accept(before, after);
    } catch (RuntimeException e) {
      log.warn("[dev-api] a store listener failed", e);
    }
  }

  private StoredObject parse(Optional<ApiPath> api, String json) {
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (IOException e) {
      return null;
    }
    if (!node.isObject() || api.isEmpty() || api.get().resource() == null) {
      return null;
    }
    JsonNode metadata = node.path("metadata");
    String uid = metadata.path("uid").asText("");
    if (uid.isEmpty()) {
      return null;
    }
    String namespace = metadata.path("namespace").asText("");
    return new StoredObject(
        api.get().group(),
        api.get().version(),
        api.get().resource(),
        namespace.isEmpty() ? null : namespace,
        metadata.path("name").asText(""),
        uid,
        (ObjectNode) node);
  }

  /** A snapshot of every stored object. */
  List<StoredObject> all() {
    return List.copyOf(byUid.values());
  }

  /** The stored object with this UID, if any. */
  Optional<StoredObject> byUid(String uid) {
    return Optional.ofNullable(byUid.get(uid));
  }

  /**
   * Replaces the object stored at {@code objectPath} with {@code newState} (a new resourceVersion
   * is set), or removes it when {@code newState} is null, without the CRUD handlers' rules; watches
   * see MODIFIED or DELETED as usual.
   *
   * @return false when nothing is stored there
   */
  boolean rawWrite(String objectPath, ObjectNode newState) {
    Lock lock = crudWriteLock;
    lock.lock();
    try {
      AttributeSet key = getKey(objectPath);
      Map.Entry<AttributeSet, String> entry = findResource(key);
      if (entry == null) {
        return false;
      }
      String json = null;
      if (newState != null) {
        ((ObjectNode) newState.path("metadata"))
            .put("resourceVersion", Long.toString(requestResourceVersion()));
        json = newState.toString();
      }
      processEvent(objectPath, key, entry.getKey(), null, json);
      return true;
    } finally {
      lock.unlock();
    }
  }
}
