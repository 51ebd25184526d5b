package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * OpenAPI v3 documents, one per group version, shaped like kube-apiserver's as far as kubectl looks
 * at them:
 *
 * <ul>
 *   <li>{@code kubectl create/apply/replace} read, per kind, the PATCH operation's {@code
 *       x-kubernetes-group-version-kind} and its {@code fieldValidation} parameter, to learn that
 *       the server validates fields itself (otherwise kubectl wants {@code /openapi/v2} protobuf to
 *       validate client-side). The PATCH operations declare no request body, so kubectl computes
 *       apply patches of custom resources as JSON merge patches and those of built-in kinds from
 *       its compiled-in types, as before.
 *   <li>{@code kubectl explain} finds the kind's schema among {@code components.schemas} by its
 *       {@code x-kubernetes-group-version-kind} and walks its {@code properties}. Custom kinds
 *       carry their CRD's {@code openAPIV3Schema} (metadata as a reference to a minimal
 *       ObjectMeta); built-in kinds a minimal schema (apiVersion, kind, metadata, any other field).
 * </ul>
 */
final class OpenApi {

  static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  private static final String REF_PREFIX = "#/components/schemas/";

  private final ObjectMapper mapper;

  /** Documents of the last registry seen, by "api/v1" / "apis/group/version". */
  private volatile Object cachedFor;

  /** Guards the cache fields, which change together. */
  private final Object cacheLock = new Object();

  private volatile Map<String, ObjectNode> cached = Map.of();

  private volatile Map<String, String> hashes = Map.of();

  OpenApi(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * The v3 root: {@code paths} maps "apis/group/version" to the document's URL (with a content
   * hash).
   *
   * @param types every served resource type
   * @param schemas a custom type's CRD schema, empty for built-in types
   * @param cacheKey changes whenever the types or schemas change (the CRD registry)
   */
  ObjectNode root(
      List<ResourceType> types,
      Function<ResourceType, Optional<JsonNode>> schemas,
      Object cacheKey) {
    ObjectNode root = mapper.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    documents(types, schemas, cacheKey);
    hashes.forEach(
        (key, hash) ->
            paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash));
    return root;
  }

  /**
   * The document for {@code key} ("api/v1" or "apis/group/version"), or empty for an unknown group
   * version.
   */
  Optional<ObjectNode> groupVersion(
      List<ResourceType> types,
      Function<ResourceType, Optional<JsonNode>> schemas,
      Object cacheKey,
      String key) {
    return Optional.ofNullable(documents(types, schemas, cacheKey).get(key));
  }

  private Map<String, ObjectNode> documents(
      List<ResourceType> types, Function<ResourceType, Optional<JsonNode>> schemas, Object key) {
    synchronized (cacheLock) {
      return documentsLocked(types, schemas, key);
    }
  }

  private Map<String, ObjectNode> documentsLocked(
      List<ResourceType> types, Function<ResourceType, Optional<JsonNode>> schemas, Object key) {
    if (cachedFor != key) {
      Map<String, List<ResourceType>> byGv = new LinkedHashMap<>();
      for (ResourceType t : types) {
        String gv =
            t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
        byGv.computeIfAbsent(gv, k -> new ArrayList<>()).add(t);
      }
      Map<String, ObjectNode> docs = new LinkedHashMap<>();
      Map<String, String> digests = new LinkedHashMap<>();
      byGv.forEach(
          (gv, list) -> {
            ObjectNode doc = document(list, schemas);
            docs.put(gv, doc);
            digests.put(gv, hash(doc.toString()));
          });
      cached = docs;
      hashes = digests;
      cachedFor = key;
    }
    return cached;
  }

  private ObjectNode document(
      List<ResourceType> types, Function<ResourceType, Optional<JsonNode>> schemas) {
    ObjectNode doc = mapper.createObjectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "AIM dev Kubernetes API (dev/test only)");
    info.put("version", "v1.31.0");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode components = doc.putObject("components").putObject("schemas");
    components.set(OBJECT_META, objectMeta());
    for (ResourceType t : types) {
      String schemaName = schemaName(t);
      ObjectNode schema =
          schemas
              .apply(t)
              .filter(JsonNode::isObject)
              .map(s -> customSchema((ObjectNode) s, t))
              .orElseGet(() -> builtinSchema(t));
      schema.putArray("x-kubernetes-group-version-kind").add(gvk(t));
      components.set(schemaName, schema);

      String prefix =
          t.group().isEmpty() ? "/api/" + t.version() : "/apis/" + t.group() + "/" + t.version();
      String path =
          prefix + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
      ObjectNode item = paths.putObject(path);
      ObjectNode get = item.putObject("get");
      get.set("x-kubernetes-group-version-kind", gvk(t));
      get.putObject("responses")
          .putObject("200")
          .put("description", "OK")
          .putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put("$ref", REF_PREFIX + schemaName);
      ObjectNode patch = item.putObject("patch");
      patch.set("x-kubernetes-group-version-kind", gvk(t));
      ObjectNode param = patch.putArray("parameters").addObject();
      param.put("name", "fieldValidation");
      param.put("in", "query");
      param.putObject("schema").put("type", "string");
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    return doc;
  }

  private ObjectNode gvk(ResourceType t) {
    ObjectNode gvk = mapper.createObjectNode();
    gvk.put("group", t.group());
    gvk.put("kind", t.kind());
    gvk.put("version", t.version());
    return gvk;
  }

  /**
   * kube-apiserver's naming: reversed group, version, kind ("com.amd.eai.aim.v1alpha1.AIMService").
   */
  static String schemaName(ResourceType t) {
    if (BuiltinResources.ALL.contains(t)) {
      String group = t.group().isEmpty() ? "core" : t.group().split("\\.")[0];
      return "io.k8s.api." + group + "." + t.version() + "." + t.kind();
    }
    List<String> parts = new ArrayList<>(List.of(t.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + t.version() + "." + t.kind();
  }

  private ObjectNode customSchema(ObjectNode crdSchema, ResourceType t) {
    ObjectNode schema = crdSchema.deepCopy();
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    if (!schema.has("description")) {
      schema.put("description", t.kind() + " (" + t.group() + "/" + t.version() + ")");
    }
    ObjectNode props =
        schema.get("properties") instanceof ObjectNode p ? p : schema.putObject("properties");
    typeMeta(props);
    return schema;
  }

  private ObjectNode builtinSchema(ResourceType t) {
    ObjectNode schema = mapper.createObjectNode();
    schema.put(
        "description",
        t.kind()
            + ": a built-in kind; the dev API publishes only a minimal schema for it (no field"
            + " documentation).");
    schema.put("type", "object");
    typeMeta(schema.putObject("properties"));
    schema.put("x-kubernetes-preserve-unknown-fields", true);
    return schema;
  }

  private void typeMeta(ObjectNode props) {
    ObjectNode apiVersion = mapper.createObjectNode();
    apiVersion.put("type", "string");
    apiVersion.put(
        "description",
        "The versioned schema of this representation of an object (group/version); the server"
            + " converts what it recognizes.");
    props.set("apiVersion", apiVersion);
    ObjectNode kind = mapper.createObjectNode();
    kind.put("type", "string");
    kind.put("description", "The REST resource this object represents, in CamelCase.");
    props.set("kind", kind);
    ObjectNode metadata = mapper.createObjectNode();
    metadata.put("description", "Standard object metadata.");
    metadata.putArray("allOf").addObject().put("$ref", REF_PREFIX + OBJECT_META);
    props.set("metadata", metadata);
  }

  private ObjectNode objectMeta() {
    ObjectNode meta = mapper.createObjectNode();
    meta.put(
        "description",
        "Metadata that all persisted resources must have (minimal schema of the dev API).");
    meta.put("type", "object");
    ObjectNode p = meta.putObject("properties");
    field(p, "name", "string", "Unique name within a namespace; cannot be updated.");
    field(p, "generateName", "string", "Prefix of a name the server generates when name is empty.");
    field(
        p, "namespace", "string", "The namespace the object lives in; empty for cluster objects.");
    field(p, "uid", "string", "Unique identifier of this object in time and space (server-set).");
    field(
        p, "resourceVersion", "string", "Opaque version for optimistic concurrency (server-set).");
    field(p, "generation", "integer", "Sequence number of the desired state (server-set).");
    field(p, "creationTimestamp", "string", "When the object was created (server-set, RFC 3339).");
    field(p, "deletionTimestamp", "string", "When a graceful deletion was requested (server-set).");
    ObjectNode labels = field(p, "labels", "object", "Key/value pairs for selecting objects.");
    labels.putObject("additionalProperties").put("type", "string");
    ObjectNode annotations = field(p, "annotations", "object", "Unstructured key/value metadata.");
    annotations.putObject("additionalProperties").put("type", "string");
    ObjectNode finalizers =
        field(p, "finalizers", "array", "Keys that must be empty before the object is deleted.");
    finalizers.putObject("items").put("type", "string");
    ObjectNode owners =
        field(p, "ownerReferences", "array", "Objects this one depends on (garbage collection).");
    ObjectNode owner = owners.putObject("items");
    owner.put("type", "object");
    ObjectNode op = owner.putObject("properties");
    field(op, "apiVersion", "string", "API version of the owner.");
    field(op, "kind", "string", "Kind of the owner.");
    field(op, "name", "string", "Name of the owner.");
    field(op, "uid", "string", "UID of the owner.");
    field(op, "controller", "boolean", "Whether the owner is the managing controller.");
    field(op, "blockOwnerDeletion", "boolean", "Whether a foreground deletion of the owner waits.");
    return meta;
  }

  private ObjectNode field(ObjectNode properties, String name, String type, String description) {
    ObjectNode f = properties.putObject(name);
    f.put("type", type);
    f.put("description", description);
    return f;
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
