package aim.orchestrator.dev.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev API's HTTP layer (the JDK's built-in server): hands every request to {@link
 * DevApiDispatcher}, and so to fabric8's CRUD dispatcher, as fabric8's MockWebServer does, and adds
 * what MockWebServer cannot do: Kubernetes HTTP streaming watches. MockWebServer sends every
 * response in one piece and serves watches over websockets only, so kubectl's watches ({@code get
 * -w}, {@code wait}, {@code rollout status}, client-go informers) failed with "the server rejected
 * our request". Here a watch feeds the CRUD store's own watch listener into a chunked response, one
 * JSON event per line, until {@code timeoutSeconds} or the client leaves. Websocket upgrades are
 * declined with 200, on which fabric8 clients fall back to the same HTTP watch. Unlike
 * MockWebServer it keeps no journal of past requests (a heap leak in a long dev session).
 */
final class DevHttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DevHttpServer.class);
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private final HttpServer server;
  private final ExecutorService executor;
  private final DevApiDispatcher dispatcher;

  /** Open watch streams, closed on shutdown so their threads end. */
  private final Set<ChunkedWatch> watches = ConcurrentHashMap.newKeySet();

  private DevHttpServer(HttpServer server, ExecutorService executor, DevApiDispatcher dispatcher) {
    this.server = server;
    this.executor = executor;
    this.dispatcher = dispatcher;
  }

  /** Binds {@code host:port} (0 = a free port) and starts serving. */
  static DevHttpServer start(String host, int port, DevApiDispatcher dispatcher) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("[dev-api] cannot listen on " + host + ":" + port, e);
    }
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "dev-api-http-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    // a watch holds its thread for its whole life, so the pool must grow with the number of watches
    ExecutorService executor = Executors.newCachedThreadPool(factory);
    DevHttpServer devServer = new DevHttpServer(server, executor, dispatcher);
    server.setExecutor(executor);
    server.createContext("/", devServer::handle);
    server.start();
    return devServer;
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    watches.forEach(w -> w.close(1001, "server shutting down"));
    server.stop(0);
    executor.shutdownNow();
    dispatcher.shutdown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!METHODS.contains(exchange.getRequestMethod().toUpperCase(Locale.ROOT))) {
        respond(exchange, new MockResponse().setResponseCode(405));
        return;
      }
      RecordedRequest recorded = record(exchange);
      boolean watch = isWatch(exchange);
      if (watch && "websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Upgrade"))) {
        // fabric8 clients try a websocket watch first and fall back to an HTTP watch on a 200 or
        // 503
        respond(exchange, new MockResponse().setResponseCode(200));
        return;
      }
      MockResponse response = dispatcher.dispatch(recorded);
      if (response.getWebSocketListener() == null) {
        respond(exchange, response);
      } else if (watch) {
        stream(exchange, recorded, response);
      } else {
        respond(exchange, new MockResponse().setResponseCode(400));
      }
    } catch (IOException e) {
      log.debug(
          "[dev-api] {} {} ended with {}",
          exchange.getRequestMethod(),
          exchange.getRequestURI(),
          e.toString()); // mostly clients that went away mid-answer
    } catch (RuntimeException e) {
      log.warn("[dev-api] {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
    }
  }

  private static RecordedRequest record(HttpExchange exchange) throws IOException {
    Headers.Builder headers = Headers.builder();
    for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
      for (String value : h.getValue()) {
        headers.add(h.getKey(), value);
      }
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String query = exchange.getRequestURI().getRawQuery();
    String uri = exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
    return new RecordedRequest(
        exchange.getProtocol(),
        HttpMethod.valueOf(exchange.getRequestMethod().toUpperCase(Locale.ROOT)),
        uri,
        headers.build(),
        new Buffer(body));
  }

  private static boolean isWatch(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (!"GET".equalsIgnoreCase(exchange.getRequestMethod()) || query == null) {
      return false;
    }
    for (String pair : query.split("&")) {
      if (pair.equalsIgnoreCase("watch=true") || pair.equals("watch=1")) {
        return true;
      }
    }
    return false;
  }

  private static void respond(HttpExchange exchange, MockResponse response) throws IOException {
    response
        .getHeaders()
        .toMultimap()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Content-Length")) {
                exchange.getResponseHeaders().put(name, values);
              }
            });
    byte[] body = response.getBody() == null ? new byte[0] : response.getBody().getBytes();
    int code = response.code() == 0 ? 200 : response.code();
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * Streams a watch: the store's watch listener "sends on a websocket" into a queue that this
   * thread writes out as chunks, so a slow client never blocks the store (which notifies watchers
   * while holding its lock). The thread stays here until the watch ends (timeout, client gone,
   * shutdown): the exchange closes when it returns.
   */
  private void stream(HttpExchange exchange, RecordedRequest recorded, MockResponse watchResponse)
      throws IOException {
    WebSocketListener listener = watchResponse.getWebSocketListener();
    UnaryOperator<String> events = dispatcher.httpWatchEvents(recorded);
    exchange.getResponseHeaders().set("Content-Type", KubeStatus.JSON);
    exchange.getResponseHeaders().set("Cache-Control", "no-cache, private");
    // chunked; client-go waits for these headers before it reads any event
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    out.flush();
    ChunkedWatch sink = new ChunkedWatch(recorded);
    watches.add(sink);
    long timeout = timeoutSeconds(recorded);
    long deadline =
        timeout > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout) : Long.MAX_VALUE;
    try {
      listener.onOpen(sink, watchResponse);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break; // kube-apiserver ends watches after timeoutSeconds, too
        }
        String text =
            sink.queue.poll(Math.min(left, TimeUnit.DAYS.toNanos(1)), TimeUnit.NANOSECONDS);
        if (text == ChunkedWatch.END) {
          break;
        }
        if (text != null) {
          String event = events.apply(text);
          if (event != null) {
            out.write((event + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush(); // an IOException here is how a client that went away shows up
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sink.close(1000, "watch ended");
      watches.remove(sink);
      listener.onClosed(sink, 1000, "watch ended"); // unregisters it from the store
      out.close();
    }
  }

  private static long timeoutSeconds(RecordedRequest request) {
    return ApiPath.parse(request.getPath())
        .map(p -> p.query().getOrDefault("timeoutSeconds", ""))
        .filter(t -> t.matches("\\d{1,9}"))
        .map(Long::parseLong)
        .orElse(0L);
  }

  /**
   * The crud store's view of an HTTP watch: what it sends "on the websocket" is queued for the
   * stream.
   */
  private static final class ChunkedWatch implements WebSocket {
    /**
     * Marks the end of the stream in the queue; compared by identity, so no event can be taken for
     * it.
     */
    static final String END = new String("end of watch");

    /**
     * Events a client may fall behind by before its watch is closed (it then re-lists, as after a
     * real one).
     */
    private static final int MAX_BACKLOG = 10_000;

    private final RecordedRequest request;
    private final AtomicBoolean open = new AtomicBoolean(true);
    final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    ChunkedWatch(RecordedRequest request) {
      this.request = request;
    }

    @Override
    public RecordedRequest request() {
      return request;
    }

    @Override
    public boolean send(String text) {
      if (!open.get()) {
        return false;
      }
      if (queue.size() >= MAX_BACKLOG) {
        log.info(
            "[dev-api] closing a watch whose client fell {} events behind: {}",
            MAX_BACKLOG,
            request.getPath());
        close(1008, "client too slow");
        return false;
      }
      queue.add(text);
      return true;
    }

    @Override
    public boolean send(byte[] bytes) {
      return send(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public boolean close(int code, String reason) {
      if (open.compareAndSet(true, false)) {
        queue.add(END);
        return true;
      }
      return false;
    }
  }
}
