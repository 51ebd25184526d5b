package aim.orchestrator.dev.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dev/test-only data plane of the simulated Gateway: an HTTP server on 127.0.0.1 that routes each
 * request by the accepted HTTPRoutes to a stub OpenAI-compatible server of the InferenceService
 * behind the route's backend Service. No model runs anywhere; every response carries the header
 * {@value #SIMULATED_HEADER}{@code : true}.
 *
 * <p>Per request it reads the HTTPRoutes the simulator accepted ({@code Accepted=True} from {@value
 * HttpRouteController#CONTROLLER_NAME}), picks the rule and rewrites the path (see {@link
 * GatewayRouting}), resolves the backendRef to a Service and the Service to its InferenceService
 * (label {@code serving.kserve.io/inferenceservice}, else the name without {@code -predictor}), and
 * lets {@link OpenAiStub} answer. No matching route ⇒ 404; a missing backend, or an
 * InferenceService that is not Ready ⇒ 503; all with an OpenAI-style JSON error.
 *
 * <pre>{@code
 * try (DevGateway gateway = DevGateway.start(client, 0)) {
 *   // POST http://127.0.0.1:<gateway.port()>/ml-team/qwen3-chat/v1/chat/completions
 * }
 * }</pre>
 */
public final class DevGateway implements AutoCloseable {

  /** Response header marking every answer of the dev gateway as simulated. */
  public static final String SIMULATED_HEADER = "X-AIM-Dev-Simulated";

  private static final SimLog LOG = new SimLog(DevGateway.class);
  private static final String PREDICTOR_SUFFIX = "-predictor";
  private static final int THREADS = 4;

  private final KubernetesClient client;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DevGateway(KubernetesClient client, HttpServer server, ExecutorService executor) {
    this.client = client;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code 127.0.0.1:port}.
   *
   * @param client the client of the (mock) API server holding the routes and services
   * @param port the port, 0 for a random free one
   * @return the running gateway; close it to stop serving
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static DevGateway start(KubernetesClient client, int port) {
    Objects.requireNonNull(client, "client");
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("dev gateway cannot listen on 127.0.0.1:" + port, e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "dev-gateway-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    DevGateway gateway = new DevGateway(client, server, executor);
    server.createContext("/", gateway::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info(
        "dev gateway listening on {}: routes by the accepted HTTPRoutes to stub model servers"
            + " (no model runs)",
        gateway.url());
    return gateway;
  }

  /** The port the gateway listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Stops serving; requests in flight get a moment to finish. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    LOG.info("dev gateway on port {} stopped", port());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      OpenAiStub.Response response;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        response = answer(exchange, body);
      } catch (RuntimeException e) {
        LOG.warn(
            "dev gateway: {} {} failed: {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI(),
            e.toString());
        response = OpenAiStub.error(500, "internal_error", "dev gateway error: " + e);
      }
      exchange.getResponseHeaders().set(SIMULATED_HEADER, "true");
      if (response.contentType() != null) {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
      }
      boolean empty = response.body().length == 0;
      exchange.sendResponseHeaders(response.status(), empty ? -1 : response.body().length);
      if (!empty) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    }
  }

  private OpenAiStub.Response answer(HttpExchange exchange, byte[] body) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    List<HTTPRoute> routes =
        client.resources(HTTPRoute.class).inAnyNamespace().list().getItems().stream()
            .filter(r -> !SimSupport.isDeleting(r) && HttpRouteController.acceptedByUs(r))
            .toList();
    Optional<GatewayRouting.Target> target = GatewayRouting.route(routes, path);
    if (target.isEmpty()) {
      LOG.debug("dev gateway: {} {} -> 404 (no route)", method, path);
      return OpenAiStub.error(404, "not_found", "No HTTPRoute matches path " + path);
    }
    HTTPRoute route = target.get().route();
    String routeKey = SimSupport.keyOf(route);
    HTTPBackendRef backend = target.get().backend();
    if (backend == null) {
      return OpenAiStub.error(
          503, "service_unavailable", "HTTPRoute " + routeKey + " has no backend");
    }
    String namespace = target.get().backendNamespace();
    Service service = client.services().inNamespace(namespace).withName(backend.getName()).get();
    if (service == null) {
      return OpenAiStub.error(
          503,
          "service_unavailable",
          "Backend Service "
              + namespace
              + "/"
              + backend.getName()
              + " of HTTPRoute "
              + routeKey
              + " does not exist");
    }
    String isvcName = isvcNameOf(service);
    GenericKubernetesResource isvc =
        client
            .genericKubernetesResources(InferenceServiceController.CONTEXT)
            .inNamespace(namespace)
            .withName(isvcName)
            .get();
    if (isvc == null || !isReady(isvc)) {
      LOG.debug("dev gateway: {} {} -> 503 ({}/{} not Ready)", method, path, namespace, isvcName);
      return OpenAiStub.error(
          503,
          "service_unavailable",
          "InferenceService "
              + namespace
              + "/"
              + isvcName
              + (isvc == null ? " does not exist" : " is not Ready"));
    }
    OpenAiStub.Response response = OpenAiStub.handle(isvc, method, target.get().path(), body);
    LOG.debug(
        "dev gateway: {} {} -> {}/{} {} -> {}",
        method,
        path,
        namespace,
        isvcName,
        target.get().path(),
        response.status());
    return response;
  }

  private static String isvcNameOf(Service service) {
    String name = service.getMetadata().getName();
    if (service.getMetadata().getLabels() != null) {
      String label = service.getMetadata().getLabels().get(InferenceServiceController.ISVC_LABEL);
      if (label != null) {
        return label;
      }
    }
    return name.endsWith(PREDICTOR_SUFFIX)
        ? name.substring(0, name.length() - PREDICTOR_SUFFIX.length())
        : name;
  }

  private static boolean isReady(GenericKubernetesResource isvc) {
    return SimJson.asMaps(isvc.get("status", "conditions")).stream()
        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
  }
}
