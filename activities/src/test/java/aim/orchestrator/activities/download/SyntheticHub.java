package aim.orchestrator.activities.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face-compatible endpoint for benchmarks: one repository with one file of any size whose bytes are
 * computed from their offset (nothing is held in memory), served with {@code Range} support and at most {@code
 * bytesPerSecond} per connection — as a CDN limits each connection. Counts the content bytes it sends.
 */
final class SyntheticHub implements AutoCloseable {
  static final String REPO = "bench/synthetic";
  static final String FILE = "model.safetensors";
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
  private static final int CHUNK = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "synthetic-hub");
    t.setDaemon(true);
    return t;
  });
  private final long size;
  private final long bytesPerSecond;
  private final AtomicLong sent = new AtomicLong();

  SyntheticHub(long size, long bytesPerSecond) throws IOException {
    this.size = size;
    this.bytesPerSecond = bytesPerSecond;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Content bytes sent so far. */
  long sent() {
    return sent.get();
  }

  /** The byte at {@code offset} of the file. */
  static byte at(long offset) {
    long x = offset * 0x9E3779B97F4A7C15L;
    return (byte) (x >>> 56);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/api/models/")) {
        byte[] body =
            ("{\"id\":\"" + REPO + "\",\"sha\":\"" + "a".repeat(40) + "\",\"siblings\":[{\"rfilename\":\"" + FILE
                    + "\",\"size\":" + size + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      if (!path.endsWith("/" + FILE)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      long first = 0;
      long last = size - 1;
      String range = exchange.getRequestHeaders().getFirst("Range");
      Matcher m = range == null ? null : RANGE.matcher(range);
      if (m != null && m.matches()) {
        first = Long.parseLong(m.group(1));
        if (!m.group(2).isEmpty()) {
          last = Math.min(last, Long.parseLong(m.group(2)));
        }
        exchange.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + size);
        exchange.sendResponseHeaders(206, last - first + 1);
      } else {
        exchange.sendResponseHeaders(200, size);
      }
      stream(exchange.getResponseBody(), first, last);
    }
  }

  private void stream(OutputStream out, long first, long last) throws IOException {
    byte[] chunk = new byte[CHUNK];
    long started = System.nanoTime();
    long written = 0;
    for (long pos = first; pos <= last; ) {
      int n = (int) Math.min(CHUNK, last - pos + 1);
      for (int i = 0; i < n; i++) {
        chunk[i] = at(pos + i);
      }
      out.write(chunk, 0, n);
      pos += n;
      written += n;
      sent.addAndGet(n);
      // Per-connection bandwidth: never ahead of bytesPerSecond.
      long due = written * 1_000_000_000L / bytesPerSecond;
      long ahead = due - (System.nanoTime() - started);
      if (ahead > 0) {
        try {
          Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
