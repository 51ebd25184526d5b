package aim.orchestrator.dev.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dev/test-only container registry on 127.0.0.1 that speaks the read side of the registry HTTP API v2 for the
 * simulated AIM images: {@code /v2/}, manifests (an OCI image manifest whose config carries the image's labels and
 * which has no layers), config blobs, tag lists and {@code _catalog}. The worker reads image metadata from it
 * through its ordinary registry client, with {@code docker.io} (and any other registry the images name) mirrored to
 * this address — so the dev mode exercises the production code path. Nothing here can run a container.
 */
public final class DevRegistry implements AutoCloseable {
  private static final SimLog LOG = new SimLog(DevRegistry.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
  private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([^/]+)$");
  private static final Pattern BLOB = Pattern.compile("^/v2/(.+)/blobs/(sha256:[0-9a-f]{64})$");
  private static final Pattern TAGS = Pattern.compile("^/v2/(.+)/tags/list$");

  private final HttpServer server;
  /** repository → tag → manifest bytes. */
  private final Map<String, Map<String, byte[]>> manifests = new ConcurrentHashMap<>();
  /** digest → blob bytes (manifests too, so they can be fetched by digest). */
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

  private DevRegistry(HttpServer server) {
    this.server = server;
  }

  /** Starts the registry on 127.0.0.1:{@code port} (0 = a free port). */
  public static DevRegistry start(int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.setExecutor(Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "dev-registry");
        t.setDaemon(true);
        return t;
      }));
      DevRegistry registry = new DevRegistry(server);
      server.createContext("/", registry::handle);
      server.start();
      LOG.info("container registry on {} (simulated AIM images: labels only, no layers)", registry.url());
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@code 127.0.0.1:<port>}, as an image reference's registry part. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Publishes an image: {@code repository} is the path without registry (for Docker Hub images without an
   * organisation, {@code library/<name>}), {@code tag} its tag, {@code labels} the config labels.
   *
   * @return the manifest digest
   */
  public String publish(String repository, String tag, Map<String, String> labels) {
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    ObjectNode inner = config.putObject("config");
    ObjectNode labelNode = inner.putObject("Labels");
    new TreeMap<>(labels).forEach(labelNode::put);
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids");
    byte[] configBytes = bytes(config);
    String configDigest = digest(configBytes);
    blobs.put(configDigest, configBytes);

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_TYPE);
    ObjectNode cfg = manifest.putObject("config");
    cfg.put("mediaType", CONFIG_TYPE);
    cfg.put("digest", configDigest);
    cfg.put("size", configBytes.length);
    manifest.putArray("layers");
    byte[] manifestBytes = bytes(manifest);
    String manifestDigest = digest(manifestBytes);
    blobs.put(manifestDigest, manifestBytes);
    manifests.computeIfAbsent(repository, r -> new ConcurrentHashMap<>()).put(tag, manifestBytes);
    return manifestDigest;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      if (!head && !"GET".equals(exchange.getRequestMethod())) {
        error(exchange, 405, "UNSUPPORTED", "the dev registry is read-only");
        return;
      }
      exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
      if (path.equals("/v2/") || path.equals("/v2")) {
        send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), head);
        return;
      }
      if (path.equals("/v2/_catalog")) {
        ObjectNode body = JSON.createObjectNode();
        var list = body.putArray("repositories");
        new TreeSet<>(manifests.keySet()).forEach(list::add);
        send(exchange, 200, "application/json", bytes(body), head);
        return;
      }
      Matcher m = TAGS.matcher(path);
      if (m.matches()) {
        Map<String, byte[]> tags = manifests.get(m.group(1));
        if (tags == null) {
          error(exchange, 404, "NAME_UNKNOWN", "repository name not known to registry");
          return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("name", m.group(1));
        var list = body.putArray("tags");
        new TreeSet<>(tags.keySet()).forEach(list::add);
        send(exchange, 200, "application/json", bytes(body), head);
        return;
      }
      m = MANIFEST.matcher(path);
      if (m.matches()) {
        Map<String, byte[]> tags = manifests.get(m.group(1));
        String reference = m.group(2);
        byte[] manifest = tags == null ? null : reference.startsWith("sha256:") ? blobs.get(reference) : tags.get(reference);
        if (manifest == null) {
          error(exchange, 404, "MANIFEST_UNKNOWN", "manifest unknown: " + m.group(1) + ":" + reference);
          return;
        }
        exchange.getResponseHeaders().set("Docker-Content-Digest", digest(manifest));
        send(exchange, 200, MANIFEST_TYPE, manifest, head);
        return;
      }
      m = BLOB.matcher(path);
      if (m.matches()) {
        byte[] blob = manifests.containsKey(m.group(1)) ? blobs.get(m.group(2)) : null;
        if (blob == null) {
          error(exchange, 404, "BLOB_UNKNOWN", "blob unknown to registry");
          return;
        }
        exchange.getResponseHeaders().set("Docker-Content-Digest", m.group(2));
        send(exchange, 200, "application/octet-stream", blob, head);
        return;
      }
      error(exchange, 404, "NAME_UNKNOWN", "not found: " + path);
    }
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body, boolean head) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    if (head) {
      exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void error(HttpExchange exchange, int code, String errorCode, String message) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode e = body.putArray("errors").addObject();
    e.put("code", errorCode);
    e.put("message", message);
    send(exchange, code, "application/json", bytes(body), "HEAD".equals(exchange.getRequestMethod()));
  }

  /** Every published repository and its tags (for logs and docs). */
  public List<String> images() {
    List<String> out = new ArrayList<>();
    new TreeMap<>(manifests).forEach((repo, tags) -> new TreeSet<>(tags.keySet()).forEach(t -> out.add(repo + ":" + t)));
    return out;
  }

  private static byte[] bytes(Object node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String digest(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
