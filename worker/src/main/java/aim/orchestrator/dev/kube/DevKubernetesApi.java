package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The dev-mode Kubernetes API server (dev and tests only, never production): fabric8's CRUD mock
 * ({@code KubernetesCrudDispatcher}) as the in-memory store, served on plain HTTP at {@code
 * 127.0.0.1} and extended so that kubectl works against it (version, aggregated and legacy
 * discovery, OpenAPI v3 with the CRD schemas for {@code explain}, server-side printing, HTTP
 * streaming watches, field selectors, Events for {@code describe}) and so that it behaves like a
 * real API server where the orchestrator depends on it:
 *
 * <ul>
 *   <li>custom resources are pruned, defaulted and validated against their CRD schema, including
 *       its CEL {@code x-kubernetes-validations} with transition rules (HTTP 422 {@code Status} on
 *       invalid objects);
 *   <li>finalizers and deletionTimestamp, propagation policies and garbage collection of owner
 *       references (background, foreground, orphan), on a dev-api thread;
 *   <li>namespaces: creating in a missing namespace fails (unless {@link
 *       Options#requireNamespaces()} is off), deleting one terminates it and deletes everything in
 *       it first;
 *   <li>a dev token ({@link #devToken()}) and more users ({@link #addUser}), TokenReview and
 *       SubjectAccessReview (RBAC over the stored Roles and bindings). Requests with an unknown
 *       bearer token get 401; requests without one act as the dev user (kubectl sends no token
 *       over plain HTTP); requests themselves are not authorized against RBAC.
 * </ul>
 *
 * <p>Objects live in memory only; no controller runs except the garbage collector and the namespace
 * controller (see the cluster simulator for the rest).
 *
 * <p>On start it installs the AIM CRDs found on the classpath under {@code crds/*.yml} (the
 * aim-workflows jar packages them there) and the dev CRDs under {@code dev/crds/*.yaml} (KServe
 * InferenceService, Gateway API HTTPRoute and Gateway, KEDA ScaledObject — schemaless stand-ins for
 * the real ones).
 *
 * <pre>{@code
 * try (DevKubernetesApi api = DevKubernetesApi.start(0);
 *     KubernetesClient client = api.newClient()) {
 *   api.writeKubeconfig(Path.of("target/dev-kubeconfig"));
 *   // then: kubectl --kubeconfig target/dev-kubeconfig get aimservices -A
 * }
 * }</pre>
 */
public final class DevKubernetesApi implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DevKubernetesApi.class);

  /** Cluster, context and user name in written kubeconfigs. */
  private static final String CONTEXT = "aim-dev";

  private static final String HOST = "127.0.0.1";
  private static final List<String> SYSTEM_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");
  private static final List<String> CRD_LOCATIONS =
      List.of(
          "classpath*:crds/*.yml",
          "classpath*:crds/*.yaml",
          "classpath*:dev/crds/*.yaml",
          "classpath*:dev/crds/*.yml");

  /**
   * Start options.
   *
   * @param requireNamespaces true (the default, as on a real cluster): creating an object in a
   *     namespace that does not exist fails with 404; false: the namespace is created first
   */
  public record Options(boolean requireNamespaces) {

    /** The defaults: namespaces are required. */
    public static Options defaults() {
      return new Options(true);
    }

    /** These options with {@code requireNamespaces} set. */
    public Options withRequireNamespaces(boolean require) {
      return new Options(require);
    }
  }

  private final DevHttpServer server;
  private final DevApiDispatcher dispatcher;
  private final DeletionController deletions;
  private final Auth auth;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DevKubernetesApi(
      DevHttpServer server, DevApiDispatcher dispatcher, DeletionController deletions, Auth auth) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.deletions = deletions;
    this.auth = auth;
  }

  /**
   * Starts on {@code 127.0.0.1:port} (0 = a random free port), plain HTTP, CRUD mode; installs the
   * AIM CRDs found on the classpath under {@code crds/*.yml} and the dev CRDs under {@code
   * dev/crds/*.yaml}. Returns once the server answers {@code GET /version}.
   *
   * @throws IllegalStateException if the server cannot start or does not answer
   */
  public static DevKubernetesApi start(int port) {
    return start(port, Options.defaults());
  }

  /**
   * Starts like {@link #start(int)}, with options.
   *
   * @throws IllegalStateException if the server cannot start or does not answer
   */
  public static DevKubernetesApi start(int port, Options options) {
    ObjectMapper mapper = new ObjectMapper();
    // fabric8's CRUD mock is the store: objects, resourceVersions, generations, watches
    DevStore store = new DevStore();
    Auth auth = new Auth(mapper);
    DevApiDispatcher dispatcher =
        new DevApiDispatcher(store, mapper, auth, options.requireNamespaces());
    DeletionController deletions = new DeletionController(store);
    deletions.writer(dispatcher.writer());
    store.listener(
        (before, after) -> {
          dispatcher.onStoreChange(before, after);
          deletions.onChange(before, after);
        });
    DevHttpServer server;
    try {
      server = DevHttpServer.start(HOST, port, dispatcher);
    } catch (RuntimeException e) {
      deletions.close();
      throw e;
    }
    DevKubernetesApi api = new DevKubernetesApi(server, dispatcher, deletions, auth);
    try {
      dispatcher.serverAddress(HOST + ":" + server.port());
      int installed = api.installCrds();
      api.createSystemNamespaces(mapper);
      api.awaitAnswer();
      log.info(
          "[dev-api] dev/test Kubernetes API (in-memory, not a real cluster) listening on {} with"
              + " {} CRDs",
          api.url(),
          installed);
      return api;
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /** The base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://" + HOST + ":" + port();
  }

  /**
   * The dev token, generated at start: user {@code dev-admin} in the groups {@code system:masters}
   * and {@code system:authenticated}. The clients and kubeconfigs this class makes use it.
   */
  public String devToken() {
    return auth.devToken();
  }

  /**
   * Registers another user, known to TokenReview and SubjectAccessReview and accepted as a bearer
   * token ({@code system:authenticated} is added to the groups).
   */
  public void addUser(String token, String username, String... groups) {
    if (token == null || token.isBlank() || username == null || username.isBlank()) {
      throw new IllegalArgumentException("[dev-api] a user needs a token and a name");
    }
    auth.addUser(token, username, List.of(groups));
  }

  /** A new fabric8 client for this server (namespace "default"); the caller closes it. */
  public KubernetesClient newClient() {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withNamespace("default")
            .withOauthToken(devToken())
            .withHttp2Disable(true)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Writes a kubeconfig for this server (cluster, context and user "aim-dev", the dev token,
   * namespace "default") that kubectl and fabric8's {@code Config.fromKubeconfig} accept; creates
   * parent directories.
   *
   * @return {@code file}
   */
  public Path writeKubeconfig(Path file) {
    Map<String, Object> cluster = Map.of("name", CONTEXT, "cluster", Map.of("server", url()));
    Map<String, Object> context =
        Map.of(
            "name",
            CONTEXT,
            "context",
            Map.of("cluster", CONTEXT, "user", CONTEXT, "namespace", "default"));
    Map<String, Object> user = Map.of("name", CONTEXT, "user", Map.of("token", devToken()));
    Map<String, Object> kubeconfig = new LinkedHashMap<>();
    kubeconfig.put("apiVersion", "v1");
    kubeconfig.put("kind", "Config");
    kubeconfig.put("clusters", List.of(cluster));
    kubeconfig.put("contexts", List.of(context));
    kubeconfig.put("users", List.of(user));
    kubeconfig.put("current-context", CONTEXT);
    kubeconfig.put("preferences", Map.of());
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      String header =
          "# [dev-api] kubeconfig for the dev/test Kubernetes API at "
              + url()
              + " (not a real cluster)\n";
      Files.writeString(
          file, header + new YAMLMapper().writeValueAsString(kubeconfig), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("[dev-api] cannot write kubeconfig " + file, e);
    }
    log.info("[dev-api] wrote kubeconfig {} for {}", file, url());
    return file;
  }

  /**
   * Stops the server; stored objects are lost. Idempotent. Close it: the JDK HTTP server's listener
   * thread is not a daemon and keeps the JVM alive.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      int port = server.port();
      deletions.close();
      try {
        server.close();
      } catch (RuntimeException e) {
        log.warn("[dev-api] error while stopping the dev Kubernetes API", e);
      }
      log.info("[dev-api] dev/test Kubernetes API on port {} stopped", port);
    }
  }

  // ---------------------------------------------------------------- start-up

  private int installCrds() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    Map<String, ObjectNode> crds = new LinkedHashMap<>();
    for (String location : CRD_LOCATIONS) {
      Resource[] resources;
      try {
        resources = resolver.getResources(location);
      } catch (IOException e) {
        throw new UncheckedIOException("[dev-api] cannot list " + location, e);
      }
      for (Resource resource : resources) {
        for (JsonNode doc : readYaml(yaml, resource)) {
          if (doc.isObject() && "CustomResourceDefinition".equals(doc.path("kind").asText())) {
            // the same CRD may sit in several classpath entries; the first one wins
            crds.putIfAbsent(doc.path("metadata").path("name").asText(), (ObjectNode) doc);
          }
        }
      }
    }
    for (ObjectNode crd : crds.values()) {
      MockResponse response = dispatcher.post(DevApiDispatcher.CRD_PATH, crd);
      if (response.code() >= 300) {
        throw new IllegalStateException(
            "[dev-api] installing CRD "
                + crd.path("metadata").path("name").asText()
                + " failed with HTTP "
                + response.code());
      }
      log.debug("[dev-api] installed CRD {}", crd.path("metadata").path("name").asText());
    }
    return crds.size();
  }

  /**
   * The namespaces every cluster has, so "default" exists for kubectl and {@code kubectl get ns}
   * looks familiar.
   */
  private void createSystemNamespaces(ObjectMapper mapper) {
    for (String name : SYSTEM_NAMESPACES) {
      ObjectNode namespace = mapper.createObjectNode();
      namespace.put("apiVersion", "v1");
      namespace.put("kind", "Namespace");
      namespace
          .putObject("metadata")
          .put("name", name)
          .putObject("labels")
          .put("kubernetes.io/metadata.name", name);
      namespace.putObject("spec").putArray("finalizers").add("kubernetes");
      namespace.putObject("status").put("phase", "Active");
      MockResponse response = dispatcher.post("/api/v1/namespaces", namespace);
      if (response.code() >= 300) {
        throw new IllegalStateException(
            "[dev-api] creating namespace " + name + " failed with HTTP " + response.code());
      }
    }
  }

  private static List<JsonNode> readYaml(ObjectMapper yaml, Resource resource) {
    List<JsonNode> docs = new ArrayList<>();
    try (InputStream in = resource.getInputStream();
        var parser = yaml.getFactory().createParser(in)) {
      var it = yaml.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("[dev-api] cannot read CRD file " + resource, e);
    }
    return docs;
  }

  private void awaitAnswer() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + "/version"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "[dev-api] GET /version answered HTTP " + response.statusCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "[dev-api] the dev Kubernetes API does not answer on " + url(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "[dev-api] interrupted while waiting for the dev Kubernetes API", e);
    }
  }
}
