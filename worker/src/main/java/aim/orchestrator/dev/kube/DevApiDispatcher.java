package aim.orchestrator.dev.kube;

import aim.orchestrator.dev.kube.KubeStatus.Cause;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev API's request handling: answers what kubectl and a real API server need (version,
 * discovery, a minimal OpenAPI v3, server-side tables, pruning, defaulting and schema validation of
 * custom resources, all patch types but server-side apply, dry runs, kube-apiserver-shaped errors)
 * and delegates storage, watches, resourceVersion/generation bookkeeping and status subresource
 * semantics to fabric8's {@link KubernetesCrudDispatcher}. Writes to custom resources are computed
 * here (the patched or replaced object, with status taken from where the subresource rules say) and
 * validated before the CRUD mock stores them as a plain create or replace, so an invalid object is
 * never stored.
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

  private final KubernetesCrudDispatcher crud;
  private final ObjectMapper mapper;
  private final KubeStatus status;
  private final Discovery discovery;
  private final OpenApi openApi;
  private final Tables tables;

  /**
   * Serializes read-modify-write sequences against the CRUD store (requests arrive on several
   * threads).
   */
  private final Object writeLock = new Object();

  private volatile CrdRegistry registry;
  private volatile String serverAddress = "127.0.0.1";

  DevApiDispatcher(KubernetesCrudDispatcher crud, ObjectMapper mapper) {
    this.crud = crud;
    this.mapper = mapper;
    this.status = new KubeStatus(mapper);
    this.discovery = new Discovery(mapper);
    this.openApi = new OpenApi(mapper);
    this.tables = new Tables(mapper);
  }

  void serverAddress(String hostPort) {
    this.serverAddress = hostPort;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      MockResponse response = route(request);
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
    Optional<CrdRegistry.Version> tableVersion =
        api.filter(a -> Tables.wantsTable(request.getHeader("Accept")))
            .flatMap(
                a ->
                    registry()
                        .find(a.group(), a.resource())
                        .flatMap(crd -> crd.version(a.version())));
    return text -> {
      JsonNode event;
      try {
        event = mapper.readTree(text);
      } catch (IOException e) {
        return text;
      }
      JsonNode object = event.path("object");
      String rv = object.path("metadata").path("resourceVersion").asText("");
      if (since > 0
          && "ADDED".equals(event.path("type").asText())
          && rv.matches("\\d{1,18}")
          && Long.parseLong(rv) <= since) {
        return null;
      }
      if (tableVersion.isPresent() && object.isObject() && event.isObject()) {
        ((ObjectNode) event)
            .set(
                "object", tables.table(object, tableVersion.get().printerColumns(), Instant.now()));
      }
      return event.toString();
    };
  }

  private MockResponse route(RecordedRequest request) {
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
      return Optional.of(status.json(200, openApi.root(allTypes())));
    }
    if (bare.startsWith("/openapi/v3/")) {
      return Optional.of(
          openApi
              .groupVersion(allTypes(), bare.substring("/openapi/v3/".length()))
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

  private List<ResourceType> allTypes() {
    List<ResourceType> types = new ArrayList<>(BuiltinResources.ALL);
    types.addAll(registry().resourceTypes());
    return types;
  }

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

  // ---------------------------------------------------------------- reads and deletes

  private MockResponse read(RecordedRequest request, ApiPath api) {
    MockResponse response = enrich(crud.dispatch(request), api, request);
    String watch = api.query().getOrDefault("watch", "");
    if (response.code() != 200
        || api.subresource() != null
        || watch.equals("true")
        || watch.equals("1")
        || !Tables.wantsTable(request.getHeader("Accept"))) {
      return response;
    }
    Optional<CrdRegistry.Version> version =
        registry().find(api.group(), api.resource()).flatMap(crd -> crd.version(api.version()));
    if (version.isEmpty()) {
      return response; // built-in kinds: kubectl prints NAME/AGE from the plain list itself
    }
    return status.json(
        200, tables.table(read(response.getBody()), version.get().printerColumns(), Instant.now()));
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
      return status.failure(
          404,
          "NotFound",
          api.qualifiedResource() + " \"" + api.name() + "\" not found",
          api.group(),
          api.resource(),
          api.name(),
          null);
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
    return response;
  }

  private MockResponse delete(RecordedRequest request, ApiPath api) {
    // kubectl sends a delete's dryRun in the DeleteOptions body, other clients in the query
    JsonNode options =
        request.getBody() == null || request.getBody().size() == 0
            ? null
            : readQuietly(request.getBody());
    boolean dryRun =
        api.query().containsKey("dryRun")
            || (options != null
                && options.path("dryRun").isArray()
                && !options.path("dryRun").isEmpty());
    if (dryRun && api.name() != null) {
      ObjectNode existing = fetch(api.objectPath());
      return existing == null
          ? enrich(new MockResponse().setResponseCode(404), api, request)
          : status.json(200, existing); // kube-apiserver's dryRun=All: checked, not deleted
    }
    return enrich(crud.dispatch(request), api, request);
  }

  // ---------------------------------------------------------------- writes

  private MockResponse write(RecordedRequest request, ApiPath api) {
    Optional<CrdRegistry.Crd> crd =
        api.group().equals(CRD_GROUP)
            ? Optional.empty()
            : registry().find(api.group(), api.resource());
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
    if (crd.isEmpty()) {
      boolean dryRun = api.query().containsKey("dryRun");
      if (patchType == Patches.Type.STRATEGIC || dryRun) {
        synchronized (writeLock) {
          return writeComputed(request, api, patchType);
        }
      }
      return enrich(crud.dispatch(withoutQuery(request)), api, request);
    }
    Optional<CrdRegistry.Version> version =
        crd.get().version(api.version()).filter(CrdRegistry.Version::served);
    if (version.isEmpty()
        || (api.subresource() != null && !api.isStatus())
        || (api.isStatus() && !version.get().statusSubresource())) {
      return status.notFound("the server could not find the requested resource");
    }
    synchronized (writeLock) {
      return writeCustom(request, api, crd.get(), version.get(), patchType);
    }
  }

  /**
   * Built-in kinds, when the CRUD mock cannot do the write itself (a strategic merge patch, a dry
   * run): compute the resulting object here and store it (or not) with a PUT or POST.
   */
  private MockResponse writeComputed(RecordedRequest request, ApiPath api, Patches.Type patchType) {
    JsonNode input;
    try {
      input = mapper.readTree(request.getBody().getBytes());
    } catch (IOException e) {
      return status.badRequest("[dev-api] the request body is not JSON: " + e.getMessage());
    }
    JsonNode result = input;
    if (request.method() == HttpMethod.PATCH) {
      ObjectNode existing = fetch(api.objectPath());
      if (existing == null) {
        return enrich(crud.dispatch(withoutQuery(request)), api, request);
      }
      result = Patches.apply(patchType, existing, input, false);
    }
    if (result == null || !result.isObject()) {
      return status.badRequest("[dev-api] the request does not produce an object");
    }
    HttpMethod method = request.method() == HttpMethod.PATCH ? HttpMethod.PUT : request.method();
    return enrich(store(request, api, method, (ObjectNode) result), api, request);
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
    return crud.dispatch(forward(request, method, object));
  }

  /**
   * The CRUD mock recognizes a status write only when the path ends in {@code /status}, so the
   * query of a write (fieldManager, fieldValidation, ... which it ignores anyway) must not reach
   * it.
   */
  private static RecordedRequest withoutQuery(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    return q < 0
        ? request
        : new RecordedRequest(
            request.getHttpVersion(),
            request.method(),
            path.substring(0, q),
            request.getHeaders(),
            new Buffer(request.getBody().getBytes()));
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
        return status.failure(
            404,
            "NotFound",
            api.qualifiedResource() + " \"" + api.name() + "\" not found",
            api.group(),
            api.resource(),
            api.name(),
            null);
      }
    }
    ObjectNode result;
    if (method == HttpMethod.POST) {
      result = (ObjectNode) input;
      Optional<MockResponse> mismatch = checkTypeMeta(result, crd, api);
      if (mismatch.isPresent()) {
        return mismatch.get();
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
                  new Cause(
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
    List<Cause> causes = new ArrayList<>();
    if (method == HttpMethod.POST) {
      causes.addAll(nameCauses(result));
    }
    schema.ifPresent(s -> causes.addAll(s.validate(result, mapper)));
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

  private static List<Cause> nameCauses(ObjectNode object) {
    JsonNode metadata = object.path("metadata");
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      return metadata.path("generateName").asText("").isEmpty()
          ? List.of(
              new Cause(
                  "FieldValueRequired",
                  "metadata.name",
                  "Required value: name or generateName is required"))
          : List.of();
    }
    if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
      return List.of(
          new Cause(
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
  private MockResponse invalid(CrdRegistry.Crd crd, String name, List<Cause> causes) {
    String summary = causeSummary(causes);
    return status.failure(
        422,
        "Invalid",
        crd.kind() + "." + crd.group() + " \"" + name + "\" is invalid: " + summary,
        crd.group(),
        crd.kind(),
        name,
        causes);
  }

  private static String causeSummary(List<Cause> causes) {
    List<String> parts =
        causes.stream()
            .map(c -> c.field() == null ? c.message() : c.field() + ": " + c.message())
            .toList();
    return parts.size() == 1 ? parts.get(0) : "[" + String.join(", ", parts) + "]";
  }

  private static String nameOf(JsonNode object) {
    return object == null ? "" : object.path("metadata").path("name").asText("");
  }

  private JsonNode readQuietly(Buffer body) {
    try {
      return mapper.readTree(body.getBytes());
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

  /** A write through this dispatcher from inside the process (CRD installation at start-up). */
  MockResponse post(String path, ObjectNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    Headers headers = Headers.builder().add("Content-Type", KubeStatus.JSON).build();
    return dispatch(
        new RecordedRequest("HTTP/1.1", HttpMethod.POST, path, headers, new Buffer(bytes)));
  }
}
