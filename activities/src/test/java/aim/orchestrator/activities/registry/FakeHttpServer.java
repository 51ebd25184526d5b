package aim.orchestrator.activities.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP server on loopback for APIs the tests fake (Docker Hub and GitHub listings, a token-auth front for
 * the registry). Handlers are set per path prefix; every request is recorded.
 */
public final class FakeHttpServer implements AutoCloseable {
  /** A recorded request. */
  public record Request(String method, URI uri, String authorization) {}

  /** Handles one exchange. */
  @FunctionalInterface
  public interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  public final List<Request> requests = new CopyOnWriteArrayList<>();

  public FakeHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.start();
  }

  public FakeHttpServer on(String pathPrefix, Handler handler) {
    server.createContext(
        pathPrefix,
        exchange -> {
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI(),
                  exchange.getRequestHeaders().getFirst("Authorization")));
          try {
            handler.handle(exchange);
          } finally {
            exchange.close();
          }
        });
    return this;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  public static void json(HttpExchange exchange, String body) throws IOException {
    respond(exchange, 200, "application/json", body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
