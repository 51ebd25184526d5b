package aim.orchestrator.dev.kube;

import aim.orchestrator.crd.CrdSchema;
import aim.orchestrator.crd.FieldError;
import aim.orchestrator.dev.kube.DevStore.StoredObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev API's request handling: answers what kubectl and a real API server need (version,
 * discovery, OpenAPI v3 with the CRD schemas, server-side tables, pruning, defaulting, schema and
 * CEL validation of custom resources, all patch types but server-side apply, dry runs, field
 * selectors, namespace lifecycle, deletion with finalizers and propagation policies, token and
 * access reviews, kube-apiserver-shaped errors) and delegates storage, watches,
 * resourceVersion/generation bookkeeping and status subresource semantics to fabric8's CRUD
 * dispatcher ({@link DevStore}). Every write is computed here (the patched or replaced object, with
 * status taken from where the subresource rules say) and checked before the store keeps it as a
 * plain create or replace, so an invalid object is never stored. Writes are serialized; what
 * happens after a delete (garbage collection, namespace termination) runs on {@link
 * DeletionController}'s thread, which writes back through {@link #writer()}.
 */
final class DevApiDispatcher extends Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(DevApiDispatcher.class);

  static final String CRD_GROUP = "apiextensions.k8s.io";
  static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  /**
   * The Kubernetes version the dev API claims; kubectl's version dispatcher picks its 1.31 binary
   * from it.
   */
  static final String VERSION_JSON =
      """
      {"major":"1","minor":"31","gitVersion":"v1.31.0","gitCommit":"aim-dev-api",\
      "gitTreeState":"clean","buildDate":"2025-01-01T00:00:00Z","goVersion":"go1.22.0",\
      "compiler":"gc","platform":"linux/amd64"}\
      """;

  /** kube-apiserver's check of custom resource names (a DNS-1123 subdomain). */
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final DevStore crud;
  private final ObjectMapper mapper;
  private final KubeStatus status;
  private final Discovery discovery;
  private final OpenApi openApi;
  private final Tables tables;
  private final Auth auth;
  private final Rbac rbac;
  private final boolean requireNamespaces;

  /**
   * Serializes read-modify-write sequences against the CRUD store (requests arrive on several
   * threads).
   */
  private final Object writeLock = new Object();

  private volatile CrdRegistry registry;
  private volatile String serverAddress = "127.0.0.1";

  /**
   * @param crud the object store
   * @param auth dev tokens
   * @param requireNamespaces whether creating in a namespace that does not exist fails (404, as on
   *     a real cluster) rather than creating the namespace first
   */
  DevApiDispatcher(DevStore crud, ObjectMapper mapper, Auth auth, boolean requireNamespaces) {
    this.crud = crud;
    this.mapper = mapper;
    this.status = new KubeStatus(mapper);
    this.discovery = new Discovery(mapper);
    this.openApi = new OpenApi(mapper);
    this.tables = new Tables(mapper);
    this.auth = auth;
    this.rbac = new Rbac(this::listItems);
    this.requireNamespaces = requireNamespaces;
  }

  void serverAddress(String hostPort) {
    this.serverAddress = hostPort;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      Optional<Auth.User> requester = auth.requester(request.getHeader("Authorization"));
      MockResponse response =
          requester.isEmpty() ? auth.unauthorized() : route(request, requester.get());
      if (response.getWebSocketListener() == null
          && response.header("Content-Type") == null
          && response.getBody() != null
          && response.getBody().size() > 0) {
        response.setHeader("Content-Type", KubeStatus.JSON);
      }
      log.debug("[dev-api] {} {} -> {}", request.getMethod(), request.getPath(), response.code());
      return response;
    } catch (RuntimeException e) {
      log.warn("[dev-api] {} {} failed", request.getMethod(), request.getPath(), e);
      return status.failure(
          500,
          "InternalError",
          "[dev-api] internal error: " + e.getMessage(),
          null,
          null,
          null,
          null);
    }
  }

  @Override
  public void shutdown() {
    crud.shutdown();
    crud.releaseResources();
  }

  /**
   * For an HTTP (chunked, non-websocket) watch: turns the store's watch events into what this
   * client asked for, or null to drop one. The store replays every matching object as ADDED when a
   * watch opens; a client watching from a resourceVersion has already listed those, so replays not
   * newer than it are dropped (kubectl get -w would print them twice). Clients asking for tables
   * (kubectl get -w) get each object as a one-row Table.
   */
  UnaryOperator<String> httpWatchEvents(RecordedRequest request) {
    Optional<ApiPath> api = ApiPath.parse(request.getPath());
    long since =
        api.map(a -> a.query().getOrDefault("resourceVersion", ""))
            .filter(rv -> rv.matches("\\d{1,18}"))
            .map(Long::parseLong)
            .orElse(0L);
    FieldSelector selector =
        api.map(a -> a.query().get("fieldSelector"))
            .map(FieldSelector::parse)
            .orElse(FieldSelector.EVERYTHING);
    LabelSelector labels =
        api.map(a -> a.query().get("labelSelector"))
            .map(LabelSelector::parse)
            .orElse(LabelSelector.EVERYTHING);
    Optional<ApiPath> eventsApi = api.filter(Events::isEvents);
    Optional<JsonNode> tableColumns =
        api.filter(a -> Tables.wantsTable(request.getHeader("Accept")))
            .flatMap(
                a ->
                    registry()
                        .find(a.group(), a.resource())
                        .flatMap(crd -> crd.version(a.version()))
                        .map(CrdRegistry.Version::printerColumns)
                        .or(() -> Tables.builtinColumns(a.group(), a.resource())));
    return text -> {
      JsonNode event;
      try {
        event = mapper.readTree(text);
      } catch (IOException e) {
        return text;
      }
      JsonNode object = event.path("object");
      if (eventsApi.isPresent() && object.isObject() && event.isObject()) {
        object = Events.as(eventsApi.get(), object);
        ((ObjectNode) event).set("object", object);
      }
      if (object.isObject() && !(selector.matches(object) && labels.matches(object))) {
        return null; // the store's filters are a subset of these (names, namespaces, equality)
      }
      String rv = object.path("metadata").path("resourceVersion").asText("");
      if (since > 0
          && "ADDED".equals(event.path("type").asText())
          && rv.matches("\\d{1,18}")
          && Long.parseLong(rv) <= since) {
        return null;
      }
      if (tableColumns.isPresent() && object.isObject() && event.isObject()) {
        ((ObjectNode) event).set("object", tables.table(object, tableColumns.get(), Instant.now()));
      }
      return asciiJson(event);
    };
  }

  /**
   * A watch event with every non-ASCII character escaped ({@code \\u2014}). Sent raw, a multi-byte UTF-8
   * character at an unlucky offset of a large event made fabric8 watches fail to parse it (a NUL inside a string,
   * see DevKubernetesApiUnicodeWatchTest) and stop; escaped JSON means the same and has no such characters.
   */
  private String asciiJson(JsonNode event) {
    try {
      return mapper.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(event);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private MockResponse route(RecordedRequest request, Auth.User requester) {
    String path = request.getPath();
    int q = path.indexOf('?');
    String bare = q < 0 ? path : path.substring(0, q);
    if (bare.length() > 1 && bare.endsWith("/")) {
      bare = bare.substring(0, bare.length() - 1);
    }
    HttpMethod method = request.method();
    if (method == HttpMethod.GET) {
      Optional<MockResponse> fixed = fixedAnswer(bare, request.getHeader("Accept"));
      if (fixed.isPresent()) {
        return fixed.get();
      }
    }
    Optional<ApiPath> parsed = ApiPath.parse(path);
    if (parsed.isEmpty() || parsed.get().resource() == null) {
      return crud.dispatch(request);
    }
    ApiPath api = parsed.get();
    if (Auth.isReview(api)) {
      return method == HttpMethod.POST
          ? auth.review(api, readQuietly(request.getBody()), requester, rbac)
          : status.failure(
              405,
              "MethodNotAllowed",
              "the server does not allow this method on the requested resource",
              null,
              null,
              null,
              null);
    }
    MockResponse response =
        switch (method) {
          case POST, PUT, PATCH -> write(request, api);
          case GET -> read(request, api);
          case DELETE -> delete(request, api);
          default -> enrich(crud.dispatch(request), api, request);
        };
    if (api.group().equals(CRD_GROUP) && method != HttpMethod.GET) {
      registry = null; // a CRD changed: discovery and validation must see it from now on
    }
    return response;
  }

  // ---------------------------------------------------------------- version, discovery, openapi

  private Optional<MockResponse> fixedAnswer(String bare, String accept) {
    if (bare.equals("/version")) {
      return Optional.of(
          new MockResponse()
              .setResponseCode(200)
              .setHeader("Content-Type", KubeStatus.JSON)
              .setBody(VERSION_JSON));
    }
    if (bare.equals("/openapi/v3")) {
      CrdRegistry crds = registry();
      return Optional.of(status.json(200, openApi.root(allTypes(), schemasOf(crds), crds)));
    }
    if (bare.startsWith("/openapi/v3/")) {
      CrdRegistry crds = registry();
      return Optional.of(
          openApi
              .groupVersion(
                  allTypes(), schemasOf(crds), crds, bare.substring("/openapi/v3/".length()))
              .map(doc -> status.json(200, doc))
              .orElseGet(
                  () -> status.notFound("the server could not find the requested resource")));
    }
    if (bare.startsWith("/openapi/")) {
      // no OpenAPI v2 (kubectl only wants it when v3 is missing, and would need protobuf)
      return Optional.of(status.notFound("[dev-api] the dev API publishes no OpenAPI v2 document"));
    }
    boolean aggregated = Discovery.wantsAggregated(accept);
    if (bare.equals("/api")) {
      return Optional.of(
          aggregated
              ? aggregatedAnswer(discovery.aggregated(registry(), true))
              : status.json(200, discovery.apiVersions(serverAddress)));
    }
    if (bare.equals("/apis")) {
      return Optional.of(
          aggregated
              ? aggregatedAnswer(discovery.aggregated(registry(), false))
              : status.json(200, discovery.apiGroupList(registry())));
    }
    String[] segments = bare.substring(1).split("/");
    if (segments[0].equals("api") && segments.length == 2) {
      return Optional.of(
          discovery
              .apiResourceList(registry(), "", segments[1])
              .map(list -> status.json(200, list))
              .orElseGet(
                  () -> status.notFound("the server could not find the requested resource")));
    }
    if (segments[0].equals("apis") && segments.length == 2) {
      return Optional.of(
          discovery
              .apiGroup(registry(), segments[1])
              .map(group -> status.json(200, group))
              .orElseGet(
                  () -> status.notFound("the server could not find the requested resource")));
    }
    if (segments[0].equals("apis") && segments.length == 3) {
      return Optional.of(
          discovery
              .apiResourceList(registry(), segments[1], segments[2])
              .map(list -> status.json(200, list))
              .orElseGet(
                  () -> status.notFound("the server could not find the requested resource")));
    }
    return Optional.empty();
  }

  /** A custom type's CRD schema, for the OpenAPI documents. */
  private static java.util.function.Function<ResourceType, Optional<JsonNode>> schemasOf(
      CrdRegistry crds) {
    return t ->
        crds.find(t.group(), t.plural())
            .flatMap(crd -> crd.version(t.version()))
            .map(CrdRegistry.Version::schema)
            .filter(JsonNode::isObject);
  }

  private List<ResourceType> allTypes() {
    List<ResourceType> types = new ArrayList<>(BuiltinResources.ALL);
    types.addAll(registry().resourceTypes());
    return types;
  }

  /**
   * {@code pods/log}: the simulator keeps each container's log in the Pod annotation
   * {@code sim.dev.aim/log.<container>} (there is no kubelet); {@code container} picks one (default: the only or
   * the first container), {@code tailLines} keeps the last lines.
   */
  private MockResponse podLog(ApiPath api) {
    ObjectNode pod = fetch(api.objectPath());
    if (pod == null) {
      return notFound(api);
    }
    String container = api.query().get("container");
    if (container == null || container.isEmpty()) {
      JsonNode containers = pod.path("spec").path("containers");
      container = containers.size() > 0 ? containers.get(0).path("name").asText() : "";
    }
    String log = pod.path("metadata").path("annotations").path(POD_LOG_ANNOTATION_PREFIX + container).asText("");
    String tail = api.query().get("tailLines");
    if (tail != null && !tail.isEmpty()) {
      try {
        int n = Integer.parseInt(tail);
        String[] lines = log.split("\n", -1);
        int end = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        int start = Math.max(0, end - n);
        log = String.join("\n", java.util.Arrays.copyOfRange(lines, start, end)) + (end > start ? "\n" : "");
      } catch (NumberFormatException e) {
        return status.badRequest("tailLines must be a number");
      }
    }
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody(log);
  }

  /** Where the dev/test simulator puts a container's log; the contract between dev.sim and this API. */
  static final String POD_LOG_ANNOTATION_PREFIX = "sim.dev.aim/log.";

  private MockResponse aggregatedAnswer(ObjectNode body) {
    return status.json(200, body).setHeader("Content-Type", Discovery.AGGREGATED_V2);
  }

  /** The CRDs currently stored, re-read after any CRD write. */
  CrdRegistry registry() {
    CrdRegistry current = registry;
    if (current == null) {
      MockResponse list = crud.handleGet(CRD_PATH);
      current = new CrdRegistry(read(list.getBody()), mapper);
      registry = current;
    }
    return current;
  }

  /** Store callback: a CRD change makes discovery, validation and OpenAPI re-read the CRDs. */
  void onStoreChange(StoredObject before, StoredObject after) {
    StoredObject any = after != null ? after : before;
    if (any != null && any.group().equals(CRD_GROUP)) {
      registry = null;
    }
  }

  // ---------------------------------------------------------------- reads

  private MockResponse read(RecordedRequest request, ApiPath api) {
    if ("pods".equals(api.resource()) && "log".equals(api.subresource()) && api.name() != null) {
      return podLog(api);
    }
    String watch = api.query().getOrDefault("watch", "");
    boolean watching = watch.equals("true") || watch.equals("1");
    FieldSelector selector;
    LabelSelector labels;
    try {
      selector = FieldSelector.parse(api.query().get("fieldSelector"));
      labels = LabelSelector.parse(api.query().get("labelSelector"));
    } catch (IllegalArgumentException e) {
      return status.badRequest(e.getMessage());
    }
    RecordedRequest forwarded = request;
    if (api.name() == null) {
      // the store understands name and namespace fields and equality label selectors only: a
      // list is filtered here as a whole; a watch keeps what the store understands (so that an
      // object leaving the selection is seen as deleted) and the rest is filtered from its events
      String path = request.getPath();
      if (!selector.isEmpty()) {
        path = replaceQueryParam(path, "fieldSelector", watching ? selector.storeSupported() : "");
      }
      if (!labels.isEmpty() && (!watching || !storeUnderstands(api.query().get("labelSelector")))) {
        path = replaceQueryParam(path, "labelSelector", "");
      }
      forwarded = withPath(request, path);
    }
    MockResponse response = enrich(crud.dispatch(forwarded), api, request);
    if (response.code() == 404
        && api.name() != null
        && Events.isEvents(api)
        && !api.group().isEmpty()) {
      // an Event written through core/v1, asked for through events.k8s.io/v1
      ObjectNode core = fetch("/api/v1/namespaces/" + api.namespace() + "/events/" + api.name());
      if (core != null) {
        response = status.json(200, core);
      }
    }
    if (watching || response.code() != 200 || api.subresource() != null) {
      return response;
    }
    JsonNode body = null;
    if (api.name() == null) {
      body = read(response.getBody());
      if (Events.isEvents(api) && !api.group().isEmpty()) {
        addCoreEvents(api, body);
      }
      shapeList(api, body, selector, labels);
      response = status.json(200, body);
    } else if (Events.isEvents(api)) {
      body = Events.as(api, read(response.getBody()));
      response = status.json(200, body);
    }
    if (!Tables.wantsTable(request.getHeader("Accept"))) {
      return response;
    }
    Optional<JsonNode> columns =
        registry()
            .find(api.group(), api.resource())
            .flatMap(crd -> crd.version(api.version()))
            .map(CrdRegistry.Version::printerColumns)
            .or(() -> Tables.builtinColumns(api.group(), api.resource()));
    if (columns.isEmpty()) {
      return response; // other built-in kinds: kubectl prints NAME/AGE from the plain list itself
    }
    return status.json(
        200,
        tables.table(body != null ? body : read(response.getBody()), columns.get(), Instant.now()));
  }

  /**
   * The store's events.k8s.io collection holds only the Events written through that API (its
   * core/v1 collection holds both): adds those written through core/v1.
   */
  private void addCoreEvents(ApiPath api, JsonNode list) {
    if (!list.path("items").isArray()) {
      return;
    }
    String path =
        "/api/v1" + (api.namespace() == null ? "" : "/namespaces/" + api.namespace()) + "/events";
    String labels = api.query().get("labelSelector");
    if (labels != null && !labels.isEmpty()) {
      path += "?labelSelector=" + encode(labels);
    }
    for (JsonNode event : listItems(path)) {
      if (event.path("apiVersion").asText("").equals("v1")) {
        ((ArrayNode) list.get("items")).add(event);
      }
    }
  }

  /**
   * Makes the store's list answer look like kube-apiserver's: kind {@code <Kind>List} and the
   * request's apiVersion (the store says "List", which typed clients such as kubectl describe's
   * Event lister cannot decode), Events in the requested API's shape, field selectors applied.
   */
  private void shapeList(ApiPath api, JsonNode list, FieldSelector selector, LabelSelector labels) {
    if (!list.isObject() || !list.path("items").isArray()) {
      return;
    }
    ObjectNode node = (ObjectNode) list;
    kindOf(api)
        .ifPresent(
            kind -> {
              node.put("kind", kind + "List");
              node.put(
                  "apiVersion",
                  api.group().isEmpty() ? api.version() : api.group() + "/" + api.version());
            });
    boolean events = Events.isEvents(api);
    ArrayNode kept = mapper.createArrayNode();
    for (JsonNode item : list.path("items")) {
      JsonNode shaped = events ? Events.as(api, item) : item;
      if (selector.matches(shaped) && labels.matches(shaped)) {
        kept.add(shaped);
      }
    }
    node.set("items", kept);
  }

  /** Whether fabric8's CRUD store evaluates this label selector itself (no set-based terms). */
  private static boolean storeUnderstands(String labelSelector) {
    return !labelSelector.contains("(");
  }

  /** The kind served at a path, from the built-in table and the CRDs. */
  private Optional<String> kindOf(ApiPath api) {
    for (ResourceType t : allTypes()) {
      if (t.group().equals(api.group())
          && t.version().equals(api.version())
          && t.plural().equals(api.resource())) {
        return Optional.of(t.kind());
      }
    }
    return Optional.empty();
  }

  /** The items of a stored list (the store's own answer, no dev-API filtering). */
  private List<JsonNode> listItems(String collectionPath) {
    MockResponse response = crud.handleGet(collectionPath);
    List<JsonNode> out = new ArrayList<>();
    if (response.code() == 200) {
      read(response.getBody()).path("items").forEach(out::add);
    }
    return out;
  }

  /**
   * Reshapes the CRUD mock's error answers into kube-apiserver's: an empty 404 gets a NotFound
   * Status, a 409 (reported by the mock with reason "Invalid", which kubectl prints as a validation
   * error) becomes AlreadyExists on create and Conflict on update, so clients print and classify
   * them as against a real cluster.
   */
  private MockResponse enrich(MockResponse response, ApiPath api, RecordedRequest request) {
    boolean emptyBody = response.getBody() == null || response.getBody().size() == 0;
    if (response.code() == 404 && emptyBody && api.name() != null) {
      return notFound(api);
    }
    if (response.code() == 409) {
      String name = api.name();
      if (name == null) {
        name = nameOf(request.getBody() == null ? null : readQuietly(request.getBody()));
      }
      if (request.method() == HttpMethod.POST) {
        return status.failure(
            409,
            "AlreadyExists",
            api.qualifiedResource() + " \"" + name + "\" already exists",
            api.group(),
            api.resource(),
            name,
            null);
      }
      return conflict(api, name);
    }
    return response;
  }

  private MockResponse notFound(ApiPath api) {
    return status.failure(
        404,
        "NotFound",
        api.qualifiedResource() + " \"" + api.name() + "\" not found",
        api.group(),
        api.resource(),
        api.name(),
        null);
  }

  private MockResponse conflict(ApiPath api, String name) {
    return status.failure(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + api.qualifiedResource()
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version"
            + " and try again",
        api.group(),
        api.resource(),
        name,
        null);
  }

  // ---------------------------------------------------------------- deletes

  private MockResponse delete(RecordedRequest request, ApiPath api) {
    // kubectl sends DeleteOptions (dryRun, propagationPolicy, preconditions) in the body, other
    // clients in the query
    JsonNode options =
        request.getBody() == null || request.getBody().size() == 0
            ? null
            : readQuietly(request.getBody());
    if (options == null) {
      options = mapper.createObjectNode();
    }
    boolean dryRun =
        api.query().containsKey("dryRun")
            || (options.path("dryRun").isArray() && !options.path("dryRun").isEmpty());
    if (api.name() == null) {
      return deleteCollection(request, api, dryRun);
    }
    String policy = api.query().getOrDefault("propagationPolicy", "");
    if (options.hasNonNull("propagationPolicy")) {
      policy = options.path("propagationPolicy").asText();
    } else if (options.path("orphanDependents").asBoolean(false)
        || "true".equals(api.query().get("orphanDependents"))) {
      policy = "Orphan";
    }
    synchronized (writeLock) {
      return deleteOne(api, policy, options.path("preconditions"), dryRun);
    }
  }

  /**
   * deletecollection: the objects the list with the same selectors answers, each deleted like a
   * single delete (background; finalizers honoured). The store's own collection delete would ignore
   * set-based label selectors and delete everything.
   */
  private MockResponse deleteCollection(RecordedRequest request, ApiPath api, boolean dryRun) {
    RecordedRequest list =
        new RecordedRequest(
            request.getHttpVersion(),
            HttpMethod.GET,
            replaceQueryParam(request.getPath(), "watch", ""),
            Headers.builder().add("Accept", KubeStatus.JSON).build(),
            new Buffer(new byte[0]));
    MockResponse listed = read(list, api);
    if (listed.code() != 200 || dryRun) {
      return listed;
    }
    JsonNode body = read(listed.getBody());
    synchronized (writeLock) {
      for (JsonNode item : body.path("items")) {
        JsonNode meta = item.path("metadata");
        String ns = meta.path("namespace").asText("");
        ApiPath one =
            new ApiPath(
                api.group(),
                api.version(),
                ns.isEmpty() ? null : ns,
                api.resource(),
                meta.path("name").asText(),
                null,
                java.util.Map.of());
        deleteOne(one, "Background", mapper.createObjectNode(), false);
      }
    }
    return listed;
  }

  /**
   * Deletes one object as kube-apiserver does: with finalizers (its own, or the garbage collector's
   * {@code foregroundDeletion}/{@code orphan} for those propagation policies) it only gets a
   * deletionTimestamp and stays until they are removed; without, it goes at once (and the garbage
   * collector then deletes its dependents). A namespace starts terminating instead.
   */
  private MockResponse deleteOne(
      ApiPath api, String policy, JsonNode preconditions, boolean dryRun) {
    ObjectNode existing = fetch(api.objectPath());
    if (existing == null) {
      return notFound(api);
    }
    JsonNode metadata = existing.path("metadata");
    String preUid = preconditions.path("uid").asText("");
    if (!preUid.isEmpty() && !preUid.equals(metadata.path("uid").asText())) {
      return status.failure(
          409,
          "Conflict",
          "Precondition failed: UID in precondition: "
              + preUid
              + ", UID in object meta: "
              + metadata.path("uid").asText(),
          api.group(),
          api.resource(),
          api.name(),
          null);
    }
    String preVersion = preconditions.path("resourceVersion").asText("");
    if (!preVersion.isEmpty() && !preVersion.equals(metadata.path("resourceVersion").asText())) {
      return status.failure(
          409,
          "Conflict",
          "Precondition failed: ResourceVersion in precondition: "
              + preVersion
              + ", ResourceVersion in object meta: "
              + metadata.path("resourceVersion").asText(),
          api.group(),
          api.resource(),
          api.name(),
          null);
    }
    if (dryRun) {
      return status.json(200, existing); // kube-apiserver's dryRun=All: checked, not deleted
    }
    if (api.group().isEmpty() && "namespaces".equals(api.resource())) {
      return terminateNamespace(api, existing);
    }
    String gcFinalizer =
        switch (policy) {
          case "Foreground" -> DeletionController.FOREGROUND;
          case "Orphan" -> DeletionController.ORPHAN;
          default -> null;
        };
    List<String> finalizers = strings(metadata.path("finalizers"));
    if (gcFinalizer == null && finalizers.isEmpty()) {
      crud.rawWrite(api.objectPath(), null);
      log.debug("[dev-api] deleted {}", api.objectPath());
      return status.json(200, existing);
    }
    ObjectNode updated = existing.deepCopy();
    ObjectNode meta = (ObjectNode) updated.get("metadata");
    boolean changed = false;
    if (!meta.hasNonNull("deletionTimestamp")) {
      markDeleted(meta);
      changed = true;
    }
    if (gcFinalizer != null && !finalizers.contains(gcFinalizer)) {
      Set<String> next = new LinkedHashSet<>(finalizers);
      // switching policy replaces the other garbage-collector finalizer, as kube-apiserver does
      next.remove(
          gcFinalizer.equals(DeletionController.FOREGROUND)
              ? DeletionController.ORPHAN
              : DeletionController.FOREGROUND);
      next.add(gcFinalizer);
      ArrayNode array = meta.putArray("finalizers");
      next.forEach(array::add);
      changed = true;
    }
    if (changed) {
      crud.rawWrite(api.objectPath(), updated);
      log.debug(
          "[dev-api] {} is being deleted, finalizers {}",
          api.objectPath(),
          meta.path("finalizers"));
    }
    return status.json(200, updated);
  }

  /** Sets deletionTimestamp (and bumps generation, as kube-apiserver does for graceful deletes). */
  private static void markDeleted(ObjectNode meta) {
    meta.put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("deletionGracePeriodSeconds", 0);
    if (meta.has("generation")) {
      meta.put("generation", meta.path("generation").asLong() + 1);
    }
  }

  /**
   * DELETE of a namespace: it turns Terminating (deletionTimestamp, {@code status.phase}) and stays
   * while the namespace controller empties it; the "kubernetes" finalizer in {@code
   * spec.finalizers} holds it (stored raw: the store would drop an object with a deletionTimestamp
   * and no metadata finalizers).
   */
  private MockResponse terminateNamespace(ApiPath api, ObjectNode existing) {
    if (existing.path("metadata").hasNonNull("deletionTimestamp")) {
      return status.json(200, existing);
    }
    ObjectNode updated = existing.deepCopy();
    markDeleted((ObjectNode) updated.get("metadata"));
    ObjectNode spec = updated.get("spec") instanceof ObjectNode s ? s : updated.putObject("spec");
    if (!strings(spec.path("finalizers")).contains(DeletionController.NAMESPACE_FINALIZER)) {
      spec.withArray("finalizers").add(DeletionController.NAMESPACE_FINALIZER);
    }
    ObjectNode nsStatus =
        updated.get("status") instanceof ObjectNode s ? s : updated.putObject("status");
    nsStatus.put("phase", "Terminating");
    crud.rawWrite(api.objectPath(), updated);
    log.info("[dev-api] namespace {} is terminating", api.name());
    return status.json(200, updated);
  }

  // ---------------------------------------------------------------- writes

  private MockResponse write(RecordedRequest request, ApiPath api) {
    Patches.Type patchType =
        request.method() == HttpMethod.PATCH
            ? Patches.Type.of(request.getHeader("Content-Type"))
            : null;
    if (patchType == Patches.Type.APPLY || patchType == Patches.Type.UNSUPPORTED) {
      return status.failure(
          415,
          "UnsupportedMediaType",
          "[dev-api] the dev API does not support PATCH with content type "
              + request.getHeader("Content-Type")
              + " (server-side apply is not available here); use a JSON"
              + " merge patch, a JSON patch or a strategic merge patch",
          null,
          null,
          null,
          null);
    }
    synchronized (writeLock) {
      Optional<CrdRegistry.Crd> crd =
          api.group().equals(CRD_GROUP)
              ? Optional.empty()
              : registry().find(api.group(), api.resource());
      if (crd.isEmpty()) {
        return writeBuiltin(request, api, patchType);
      }
      Optional<CrdRegistry.Version> version =
          crd.get().version(api.version()).filter(CrdRegistry.Version::served);
      if (version.isEmpty()
          || (api.subresource() != null && !api.isStatus())
          || (api.isStatus() && !version.get().statusSubresource())) {
        return status.notFound("the server could not find the requested resource");
      }
      return writeCustom(request, api, crd.get(), version.get(), patchType);
    }
  }

  /**
   * Built-in kinds (and CRDs themselves): the resulting object is computed here, checked for
   * namespace lifecycle and metadata rules, and stored with a PUT or POST.
   */
  private MockResponse writeBuiltin(RecordedRequest request, ApiPath api, Patches.Type patchType) {
    JsonNode input;
    try {
      input = mapper.readTree(request.getBody().getBytes());
    } catch (IOException e) {
      return status.badRequest("[dev-api] the request body is not JSON: " + e.getMessage());
    }
    if (input == null) {
      return status.badRequest("[dev-api] the request has no body");
    }
    HttpMethod method = request.method();
    ObjectNode existing = null;
    if (method != HttpMethod.POST) {
      existing = fetch(api.objectPath());
      if (existing == null) {
        return notFound(api);
      }
    }
    JsonNode result = input;
    if (method == HttpMethod.PATCH) {
      try {
        result = Patches.apply(patchType, existing, input, false);
      } catch (RuntimeException e) {
        return status.failure(
            422,
            "Invalid",
            "the patch cannot be applied: " + e.getMessage(),
            null,
            null,
            null,
            null);
      }
    }
    if (result == null || !result.isObject()) {
      return status.badRequest("[dev-api] the request does not produce an object");
    }
    ObjectNode object = (ObjectNode) result;
    boolean namespaces = api.group().isEmpty() && "namespaces".equals(api.resource());
    if (namespaces && "finalize".equals(api.subresource())) {
      return finalizeNamespace(api, existing, object);
    }
    if (method == HttpMethod.POST) {
      Optional<MockResponse> refused = admitCreate(api, object);
      if (refused.isPresent()) {
        return refused.get();
      }
      if (namespaces && api.name() == null) {
        namespaceDefaults(object);
      }
    } else {
      Optional<MockResponse> refused = checkMetadataUpdate(api, existing, object);
      if (refused.isPresent()) {
        return refused.get();
      }
      if (namespaces && api.subresource() == null) {
        // phase and finalizers change through /status and /finalize only
        setOrRemove(object, "status", existing.get("status"));
        ObjectNode spec = object.get("spec") instanceof ObjectNode s ? s : object.putObject("spec");
        setOrRemove(spec, "finalizers", existing.path("spec").get("finalizers"));
      }
    }
    if (api.group().equals(CRD_GROUP)) {
      List<FieldError> causes = CrdSchema.ruleSyntaxErrors(object);
      if (!causes.isEmpty()) {
        return invalid("CustomResourceDefinition", CRD_GROUP, nameOf(object), causes);
      }
    }
    if (existing != null
        && namespaces
        && existing.path("metadata").hasNonNull("deletionTimestamp")
        && strings(object.path("metadata").path("finalizers")).isEmpty()) {
      return storeTerminatingNamespace(request, api, existing, object);
    }
    HttpMethod forwardMethod = method == HttpMethod.PATCH ? HttpMethod.PUT : method;
    return enrich(store(request, api, forwardMethod, object), api, request);
  }

  /**
   * A write to a terminating namespace, stored raw: through the store's update rules it would be
   * deleted at once (it has a deletionTimestamp and no metadata finalizers).
   */
  private MockResponse storeTerminatingNamespace(
      RecordedRequest request, ApiPath api, ObjectNode existing, ObjectNode object) {
    String rv = object.path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty() && !rv.equals(existing.path("metadata").path("resourceVersion").asText())) {
      return conflict(api, api.name());
    }
    ObjectNode merged = existing.deepCopy();
    if (api.isStatus()) {
      setOrRemove(merged, "status", object.get("status"));
    } else {
      merged.set("metadata", object.get("metadata"));
      setOrRemove(merged, "spec", object.get("spec"));
    }
    for (String server : List.of("uid", "creationTimestamp", "name")) {
      ((ObjectNode) merged.get("metadata")).set(server, existing.path("metadata").get(server));
    }
    if (api.query().containsKey("dryRun")) {
      return status.json(200, merged);
    }
    crud.rawWrite(api.objectPath(), merged);
    return status.json(200, merged);
  }

  /** PUT .../namespaces/x/finalize: only spec.finalizers changes. */
  private MockResponse finalizeNamespace(ApiPath api, ObjectNode existing, ObjectNode object) {
    if (existing == null) {
      return notFound(api);
    }
    ObjectNode updated = existing.deepCopy();
    ObjectNode spec = updated.get("spec") instanceof ObjectNode s ? s : updated.putObject("spec");
    setOrRemove(spec, "finalizers", object.path("spec").get("finalizers"));
    String objectPath = "/api/v1/namespaces/" + api.name();
    if (updated.path("metadata").hasNonNull("deletionTimestamp")
        && strings(spec.path("finalizers")).isEmpty()
        && strings(updated.path("metadata").path("finalizers")).isEmpty()
        && namespaceIsEmpty(api.name())) {
      crud.rawWrite(objectPath, null);
    } else {
      crud.rawWrite(objectPath, updated);
    }
    return status.json(200, updated);
  }

  private static void namespaceDefaults(ObjectNode namespace) {
    ObjectNode metadata =
        namespace.get("metadata") instanceof ObjectNode m ? m : namespace.putObject("metadata");
    String name = metadata.path("name").asText("");
    if (!name.isEmpty()) {
      ObjectNode labels =
          metadata.get("labels") instanceof ObjectNode l ? l : metadata.putObject("labels");
      labels.put("kubernetes.io/metadata.name", name);
    }
    ObjectNode spec =
        namespace.get("spec") instanceof ObjectNode s ? s : namespace.putObject("spec");
    if (!spec.has("finalizers")) {
      spec.putArray("finalizers").add(DeletionController.NAMESPACE_FINALIZER);
    }
    namespace.putObject("status").put("phase", "Active");
  }

  /**
   * kube-apiserver's NamespaceLifecycle admission for creates: the namespace must exist (or, with
   * {@code requireNamespaces} off, is created now) and must not be terminating (Events excepted, so
   * that what happens during termination can still be recorded).
   */
  private Optional<MockResponse> admitCreate(ApiPath api, ObjectNode object) {
    String namespace = api.namespace();
    if (namespace == null) {
      return Optional.empty();
    }
    ObjectNode ns = fetch("/api/v1/namespaces/" + namespace);
    if (ns == null) {
      if (!requireNamespaces) {
        ObjectNode created = mapper.createObjectNode();
        created.put("apiVersion", "v1");
        created.put("kind", "Namespace");
        created.putObject("metadata").put("name", namespace);
        MockResponse answer = post("/api/v1/namespaces", created);
        log.info(
            "[dev-api] created namespace {} implicitly (requireNamespaces is off): HTTP {}",
            namespace,
            answer.code());
        return Optional.empty();
      }
      return Optional.of(
          status.failure(
              404,
              "NotFound",
              "namespaces \"" + namespace + "\" not found",
              "",
              "namespaces",
              namespace,
              null));
    }
    if (ns.path("metadata").hasNonNull("deletionTimestamp") && !Events.isEvents(api)) {
      String name = nameOf(object);
      return Optional.of(
          status.failure(
              403,
              "Forbidden",
              api.qualifiedResource()
                  + " \""
                  + name
                  + "\" is forbidden: unable to create new content in namespace "
                  + namespace
                  + " because it is being terminated",
              api.group(),
              api.resource(),
              name,
              List.of(
                  new FieldError(
                      "NamespaceTerminating",
                      "metadata.namespace",
                      "namespace " + namespace + " is being terminated"))));
    }
    return Optional.empty();
  }

  /**
   * Metadata rules of an update: deletionTimestamp and deletionGracePeriodSeconds are the server's
   * (kept as stored), and an object being deleted accepts no new finalizer.
   */
  private Optional<MockResponse> checkMetadataUpdate(
      ApiPath api, ObjectNode existing, ObjectNode object) {
    ObjectNode meta =
        object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    JsonNode stored = existing.path("metadata");
    for (String field : List.of("deletionTimestamp", "deletionGracePeriodSeconds")) {
      setOrRemove(meta, field, stored.get(field));
    }
    if (stored.hasNonNull("deletionTimestamp")) {
      List<String> before = strings(stored.path("finalizers"));
      List<String> added = new ArrayList<>();
      for (String f : strings(meta.path("finalizers"))) {
        if (!before.contains(f)) {
          added.add(f);
        }
      }
      if (!added.isEmpty()) {
        String kind = existing.path("kind").asText(api.resource());
        return Optional.of(
            invalid(
                kind,
                api.group(),
                api.name(),
                List.of(
                    new FieldError(
                        "FieldValueForbidden",
                        "metadata.finalizers",
                        "Forbidden: no new finalizers can be added if the object is being"
                            + " deleted, found new finalizers []string{\""
                            + String.join("\", \"", added)
                            + "\"}"))));
      }
    }
    return Optional.empty();
  }

  /**
   * Stores a computed object through the CRUD mock, or with {@code dryRun} only answers it, as
   * kube-apiserver does after validation.
   */
  private MockResponse store(
      RecordedRequest request, ApiPath api, HttpMethod method, ObjectNode object) {
    if (api.query().containsKey("dryRun")) {
      return status.json(method == HttpMethod.POST ? 201 : 200, object);
    }
    MockResponse response = crud.dispatch(forward(request, method, object));
    if (response.code() < 300 && (response.getBody() == null || response.getBody().size() == 0)) {
      // the update removed the last finalizer of an object being deleted: the store dropped it
      // and answers nothing, kube-apiserver answers the object's last state
      return status.json(200, object);
    }
    return response;
  }

  private MockResponse writeCustom(
      RecordedRequest request,
      ApiPath api,
      CrdRegistry.Crd crd,
      CrdRegistry.Version version,
      Patches.Type patchType) {
    HttpMethod method = request.method();
    JsonNode input;
    try {
      input = mapper.readTree(request.getBody().getBytes());
    } catch (IOException e) {
      return status.badRequest("[dev-api] the request body is not JSON: " + e.getMessage());
    }
    if (input == null || (patchType != Patches.Type.JSON_PATCH && !input.isObject())) {
      return status.badRequest("[dev-api] the request body must be a JSON object");
    }
    ObjectNode existing = null;
    if (method != HttpMethod.POST) {
      existing = fetch(api.objectPath());
      if (existing == null) {
        return notFound(api);
      }
    }
    ObjectNode result;
    if (method == HttpMethod.POST) {
      result = (ObjectNode) input;
      Optional<MockResponse> mismatch = checkTypeMeta(result, crd, api);
      if (mismatch.isPresent()) {
        return mismatch.get();
      }
      if (crd.namespaced()) {
        Optional<MockResponse> refused = admitCreate(api, result);
        if (refused.isPresent()) {
          return refused.get();
        }
      }
      if (version.statusSubresource()) {
        result.remove("status"); // the status subresource owns status: a create cannot set it
      }
    } else {
      JsonNode proposed;
      if (method == HttpMethod.PUT) {
        proposed = input;
        if (!input.path("metadata").hasNonNull("resourceVersion")) {
          return invalid(
              crd,
              nameOf(existing),
              List.of(
                  new FieldError(
                      "FieldValueInvalid",
                      "metadata.resourceVersion",
                      "Invalid value: 0x0: must be specified for an update")));
        }
      } else {
        try {
          proposed = Patches.apply(patchType, existing, input, true);
        } catch (RuntimeException e) {
          return status.failure(
              422,
              "Invalid",
              "the patch cannot be applied: " + e.getMessage(),
              null,
              null,
              null,
              null);
        }
        if (!proposed.isObject()) {
          return status.badRequest("[dev-api] the patch does not produce an object");
        }
      }
      if (api.isStatus()) {
        // only status changes through /status; the rest stays as stored
        result = existing.deepCopy();
        setOrRemove(result, "status", proposed.get("status"));
        JsonNode rv = proposed.path("metadata").get("resourceVersion");
        if (rv != null) {
          ((ObjectNode) result.get("metadata")).set("resourceVersion", rv);
        }
      } else {
        result = (ObjectNode) proposed;
        if (version.statusSubresource()) {
          setOrRemove(result, "status", existing.get("status"));
        }
        Optional<MockResponse> refused = checkMetadataUpdate(api, existing, result);
        if (refused.isPresent()) {
          return refused.get();
        }
      }
    }

    Optional<CrdSchema> schema = registry().schema(crd, version);
    List<String> unknown = schema.map(s -> s.prune(result)).orElse(List.of());
    String fieldValidation = api.query().getOrDefault("fieldValidation", "Warn");
    if (!unknown.isEmpty() && fieldValidation.equalsIgnoreCase("Strict")) {
      List<String> quoted = unknown.stream().map(f -> "unknown field \"" + f + "\"").toList();
      log.info("[dev-api] rejected {} {}: {}", method, request.getPath(), quoted);
      return status.badRequest(
          crd.kind()
              + " in version \""
              + version.name()
              + "\" cannot be handled as a "
              + crd.kind()
              + ": strict decoding error: "
              + String.join(", ", quoted));
    }
    schema.ifPresent(s -> s.applyDefaults(result));
    List<FieldError> causes = new ArrayList<>();
    if (method == HttpMethod.POST) {
      causes.addAll(nameCauses(result));
    }
    schema.ifPresent(s -> causes.addAll(s.validate(result, mapper)));
    if (causes.isEmpty() && schema.isPresent() && schema.get().hasRules()) {
      // CEL runs on well-typed objects only, so a type error is not reported twice
      causes.addAll(schema.get().validateRules(result, existing));
    }
    if (!causes.isEmpty()) {
      MockResponse answer = invalid(crd, nameOf(result), causes);
      log.info("[dev-api] rejected {} {}: {}", method, request.getPath(), causeSummary(causes));
      return answer;
    }
    HttpMethod forwardMethod = method == HttpMethod.PATCH ? HttpMethod.PUT : method;
    MockResponse response = enrich(store(request, api, forwardMethod, result), api, request);
    if (!fieldValidation.equalsIgnoreCase("Ignore")) {
      for (String field : unknown) {
        response.addHeader("Warning", "299 - \"unknown field \\\"" + field + "\\\"\"");
      }
    }
    return response;
  }

  private Optional<MockResponse> checkTypeMeta(
      ObjectNode object, CrdRegistry.Crd crd, ApiPath api) {
    String expected = crd.group() + "/" + api.version();
    String apiVersion = object.path("apiVersion").asText("");
    String kind = object.path("kind").asText("");
    if (!apiVersion.isEmpty() && !apiVersion.equals(expected)) {
      return Optional.of(
          status.badRequest(
              "the API version in the data ("
                  + apiVersion
                  + ") does not match the expected API version ("
                  + expected
                  + ")"));
    }
    if (!kind.isEmpty() && !kind.equals(crd.kind())) {
      return Optional.of(
          status.badRequest(
              "the kind in the data ("
                  + kind
                  + ") does not match the expected kind ("
                  + crd.kind()
                  + ")"));
    }
    String namespace = object.path("metadata").path("namespace").asText("");
    if (api.namespace() != null && !namespace.isEmpty() && !namespace.equals(api.namespace())) {
      return Optional.of(
          status.badRequest(
              "the namespace of the provided object does not match the namespace sent on the"
                  + " request"));
    }
    return Optional.empty();
  }

  private static List<FieldError> nameCauses(ObjectNode object) {
    JsonNode metadata = object.path("metadata");
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      return metadata.path("generateName").asText("").isEmpty()
          ? List.of(
              new FieldError(
                  "FieldValueRequired",
                  "metadata.name",
                  "Required value: name or generateName is required"))
          : List.of();
    }
    if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
      return List.of(
          new FieldError(
              "FieldValueInvalid",
              "metadata.name",
              "Invalid value: \""
                  + name
                  + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
                  + " characters, '-' or '.', and must start and end with an alphanumeric character"
                  + " (e.g. 'example.com', regex used for validation is"
                  + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
    }
    return List.of();
  }

  /** A 422 Invalid Status shaped like kube-apiserver's. */
  private MockResponse invalid(CrdRegistry.Crd crd, String name, List<FieldError> causes) {
    return invalid(crd.kind(), crd.group(), name, causes);
  }

  private MockResponse invalid(String kind, String group, String name, List<FieldError> causes) {
    String summary = causeSummary(causes);
    String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
    return status.failure(
        422,
        "Invalid",
        qualified + " \"" + name + "\" is invalid: " + summary,
        group,
        kind,
        name,
        causes);
  }

  private static String causeSummary(List<FieldError> causes) {
    List<String> parts =
        causes.stream()
            .map(c -> c.field() == null ? c.message() : c.field() + ": " + c.message())
            .toList();
    return parts.size() == 1 ? parts.get(0) : "[" + String.join(", ", parts) + "]";
  }

  private static String nameOf(JsonNode object) {
    return object == null ? "" : object.path("metadata").path("name").asText("");
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private JsonNode readQuietly(Buffer body) {
    try {
      return body == null || body.size() == 0 ? null : mapper.readTree(body.getBytes());
    } catch (IOException e) {
      return null;
    }
  }

  private static void setOrRemove(ObjectNode target, String field, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      target.remove(field);
    } else {
      target.set(field, value.deepCopy());
    }
  }

  private ObjectNode fetch(String objectPath) {
    MockResponse response = crud.handleGet(objectPath);
    if (response.code() != 200 || response.getBody() == null) {
      return null;
    }
    JsonNode node = read(response.getBody());
    return node.isObject() ? (ObjectNode) node : null;
  }

  private JsonNode read(Buffer body) {
    try {
      return body == null ? mapper.createObjectNode() : mapper.readTree(body.getBytes());
    } catch (IOException e) {
      throw new IllegalStateException("[dev-api] the CRUD store returned invalid JSON", e);
    }
  }

  private boolean namespaceIsEmpty(String namespace) {
    for (StoredObject o : crud.all()) {
      if (namespace.equals(o.namespace())) {
        return false;
      }
    }
    return true;
  }

  /**
   * The request the CRUD mock stores: same path (without query) and headers, the computed object as
   * body.
   */
  private RecordedRequest forward(RecordedRequest original, HttpMethod method, ObjectNode body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Headers headers =
        original
            .getHeaders()
            .newBuilder()
            .set("Content-Type", KubeStatus.JSON)
            .set("Content-Length", Integer.toString(bytes.length))
            .build();
    String path = original.getPath();
    int q = path.indexOf('?');
    return new RecordedRequest(
        original.getHttpVersion(),
        method,
        q < 0 ? path : path.substring(0, q),
        headers,
        new Buffer(bytes));
  }

  private static RecordedRequest withPath(RecordedRequest request, String path) {
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        path,
        request.getHeaders(),
        new Buffer(request.getBody() == null ? new byte[0] : request.getBody().getBytes()));
  }

  /** The path with one query parameter replaced ({@code value} empty: removed). */
  static String replaceQueryParam(String path, String key, String value) {
    int q = path.indexOf('?');
    if (q < 0) {
      return value.isEmpty() ? path : path + "?" + key + "=" + encode(value);
    }
    List<String> kept = new ArrayList<>();
    for (String pair : path.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      if (!k.equals(key) && !pair.isEmpty()) {
        kept.add(pair);
      }
    }
    if (!value.isEmpty()) {
      kept.add(key + "=" + encode(value));
    }
    return path.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A write through this dispatcher from inside the process (CRD installation at start-up). */
  MockResponse post(String path, ObjectNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    Headers headers = Headers.builder().add("Content-Type", KubeStatus.JSON).build();
    return dispatch(
        new RecordedRequest("HTTP/1.1", HttpMethod.POST, path, headers, new Buffer(bytes)));
  }

  // ---------------------------------------------------------------- the deletion controller's
  // writes

  /** The writes of {@link DeletionController}: under the write lock, on fresh state. */
  DeletionController.Writer writer() {
    return new DeletionController.Writer() {
      @Override
      public void delete(StoredObject object, String propagationPolicy) {
        synchronized (writeLock) {
          if (current(object) != null) {
            ApiPath api = ApiPath.parse(object.path()).orElseThrow();
            MockResponse answer =
                deleteOne(api, propagationPolicy, mapper.createObjectNode(), false);
            if (answer.code() >= 300) {
              throw new IllegalStateException("HTTP " + answer.code());
            }
          }
        }
      }

      @Override
      public void removeFinalizer(StoredObject object, String finalizer) {
        synchronized (writeLock) {
          ObjectNode current = current(object);
          if (current == null) {
            return;
          }
          List<String> finalizers = strings(current.path("metadata").path("finalizers"));
          if (!finalizers.remove(finalizer)) {
            return;
          }
          if (finalizer.equals(DeletionController.FOREGROUND)
              && hasBlockingDependent(object.uid())) {
            return; // one appeared since the sweep's snapshot
          }
          ObjectNode meta = (ObjectNode) current.get("metadata");
          if (finalizers.isEmpty()) {
            meta.remove("finalizers");
          } else {
            ArrayNode array = meta.putArray("finalizers");
            finalizers.forEach(array::add);
          }
          boolean gone = finalizers.isEmpty() && meta.hasNonNull("deletionTimestamp");
          crud.rawWrite(object.path(), gone ? null : current);
        }
      }

      @Override
      public void removeOwnerReferences(StoredObject object, Set<String> ownerUids) {
        synchronized (writeLock) {
          ObjectNode current = current(object);
          if (current == null) {
            return;
          }
          ArrayNode kept = mapper.createArrayNode();
          current
              .path("metadata")
              .path("ownerReferences")
              .forEach(
                  ref -> {
                    if (!ownerUids.contains(ref.path("uid").asText(""))) {
                      kept.add(ref);
                    }
                  });
          ObjectNode meta = (ObjectNode) current.get("metadata");
          if (kept.size() == meta.path("ownerReferences").size()) {
            return;
          }
          if (kept.isEmpty()) {
            meta.remove("ownerReferences");
          } else {
            meta.set("ownerReferences", kept);
          }
          crud.rawWrite(object.path(), current);
        }
      }

      @Override
      public void collect(StoredObject dependent) {
        synchronized (writeLock) {
          ObjectNode current = current(dependent);
          if (current == null) {
            return;
          }
          Set<String> missing = new LinkedHashSet<>();
          int refs = 0;
          for (JsonNode ref : current.path("metadata").path("ownerReferences")) {
            refs++;
            String uid = ref.path("uid").asText("");
            if (crud.byUid(uid).isEmpty()) {
              missing.add(uid);
            }
          }
          if (missing.isEmpty()) {
            return;
          }
          if (missing.size() < refs) {
            removeOwnerReferences(dependent, missing);
          } else if (!current.path("metadata").hasNonNull("deletionTimestamp")) {
            log.info(
                "[dev-api] gc: deleting {} {}/{}: its owner is gone",
                dependent.kind(),
                dependent.namespace(),
                dependent.name());
            delete(dependent, "Background");
          }
        }
      }

      @Override
      public void finishNamespace(StoredObject namespace) {
        synchronized (writeLock) {
          ObjectNode current = current(namespace);
          if (current == null
              || !current.path("metadata").hasNonNull("deletionTimestamp")
              || !namespaceIsEmpty(namespace.name())) {
            return;
          }
          ObjectNode spec =
              current.get("spec") instanceof ObjectNode s ? s : current.putObject("spec");
          List<String> finalizers = strings(spec.path("finalizers"));
          finalizers.remove(DeletionController.NAMESPACE_FINALIZER);
          ArrayNode array = spec.putArray("finalizers");
          finalizers.forEach(array::add);
          boolean gone =
              finalizers.isEmpty()
                  && strings(current.path("metadata").path("finalizers")).isEmpty();
          crud.rawWrite(namespace.path(), gone ? null : current);
          if (gone) {
            log.info("[dev-api] namespace {} is gone", namespace.name());
          }
        }
      }

      private boolean hasBlockingDependent(String ownerUid) {
        for (StoredObject o : crud.all()) {
          for (JsonNode ref : o.ownerReferences()) {
            if (ref.path("uid").asText("").equals(ownerUid)
                && ref.path("blockOwnerDeletion").asBoolean(false)) {
              return true;
            }
          }
        }
        return false;
      }

      /** The object as stored now, or null when it is gone or was replaced (another UID). */
      private ObjectNode current(StoredObject object) {
        ObjectNode current = fetch(object.path());
        if (current == null
            || !current.path("metadata").path("uid").asText("").equals(object.uid())) {
          return null;
        }
        return current;
      }
    };
  }
}
