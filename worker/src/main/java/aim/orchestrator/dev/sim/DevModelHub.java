package aim.orchestrator.dev.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dev/test-only model hub on 127.0.0.1 that speaks the Hugging Face download API, so download Jobs in the dev mode
 * run the project's real downloader without internet access. It holds the repositories it was told about: synthetic
 * ones ({@link #add}: a {@code config.json}, a tokenizer, a few hundred KiB of "weights"; the dev mode adds every
 * model of the simulated images) and folders of real files ({@link #addFolder}). Any other repository is answered
 * as the Hub answers a repository that does not exist (401, {@code X-Error-Code: RepoNotFound}), so a download
 * of it fails with {@code SourceNotFound}. Nothing here is a real model unless you put one in a folder.
 */
public final class DevModelHub implements AutoCloseable {
  private static final SimLog LOG = new SimLog(DevModelHub.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INFO =
      Pattern.compile("^/api/models/([^/]+/[^/]+?)(?:/revision/[^/?]+)?$");
  private static final Pattern RESOLVE = Pattern.compile("^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$");
  private static final int WEIGHT_BYTES = 384 * 1024;

  private final HttpServer server;
  private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
  private final java.util.List<java.nio.file.Path> folders = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** {@code <org>/<name>}, each part a Hub-style name: no empty, {@code .} or {@code ..} part, nothing hidden. */
  private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
  private volatile long bytesPerSecond;

  private DevModelHub(HttpServer server) {
    this.server = server;
  }

  /** Starts the hub on 127.0.0.1:{@code port} (0 = a free port). */
  public static DevModelHub start(int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.setExecutor(Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "dev-model-hub");
        t.setDaemon(true);
        return t;
      }));
      DevModelHub hub = new DevModelHub(server);
      server.createContext("/", hub::handle);
      server.start();
      LOG.info("model hub on {} (synthetic files for any repository; no real model weights)", hub.url());
      return hub;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Serves file content at most this fast (0 = as fast as it goes), so that a download takes long enough to watch
   * its progress in {@code kubectl get aimartifact}.
   */
  public void throttle(long bytesPerSecond) {
    this.bytesPerSecond = Math.max(0, bytesPerSecond);
  }

  /** Adds a repository of synthetic files (the same on every call); returns them, path → content. */
  public Map<String, byte[]> add(String repo) {
    if (!REPO_ID.matcher(repo).matches()) {
      throw new IllegalArgumentException("a repository id is <org>/<name>, not " + repo);
    }
    return repos.computeIfAbsent(repo, DevModelHub::synthesize);
  }

  /**
   * Serves the folders under {@code root} as repositories: {@code root/<org>/<name>/...} is the repository
   * {@code <org>/<name>} with those files (read when asked for, so files added later are served too).
   */
  public void addFolder(java.nio.file.Path root) {
    folders.add(root);
  }

  /** The files of a repository, path → content; empty when the hub does not hold it. */
  public Map<String, byte[]> files(String repo) {
    Map<String, byte[]> synthetic = repos.get(repo);
    if (synthetic != null) {
      return synthetic;
    }
    for (java.nio.file.Path root : folders) {
      java.nio.file.Path dir = root.resolve(repo).normalize();
      if (REPO_ID.matcher(repo).matches()
          && root.equals(dir.getParent().getParent())
          && java.nio.file.Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return readFolder(dir);
      }
    }
    return Map.of();
  }

  /** Whether the hub holds {@code repo}. */
  public boolean holds(String repo) {
    return !files(repo).isEmpty();
  }

  private static Map<String, byte[]> readFolder(java.nio.file.Path dir) {
    Map<String, byte[]> files = new java.util.TreeMap<>();
    try (var walk = java.nio.file.Files.walk(dir)) {
      // Regular files only, links not followed: nothing outside the repository's folder is served.
      for (java.nio.file.Path file :
          walk.filter(f -> java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
        files.put(dir.relativize(file).toString().replace('\\', '/'), java.nio.file.Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static Map<String, byte[]> synthesize(String repo) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "config.json",
        ("{\"_name_or_path\": \"" + repo + "\", \"model_type\": \"aim-dev-simulated\", \"note\": \"synthetic file from the"
                + " AIM dev model hub\"}\n")
            .getBytes(StandardCharsets.UTF_8));
    files.put("generation_config.json", "{\"max_new_tokens\": 64}\n".getBytes(StandardCharsets.UTF_8));
    files.put("tokenizer.json", "{\"version\": \"1.0\", \"model\": {\"type\": \"simulated\"}}\n".getBytes(StandardCharsets.UTF_8));
    byte[] weights = new byte[WEIGHT_BYTES];
    new Random(repo.hashCode()).nextBytes(weights);
    files.put("model.safetensors", weights);
    return files;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Matcher info = INFO.matcher(path);
      if (info.matches()) {
        modelInfo(exchange, info.group(1));
        return;
      }
      Matcher resolve = RESOLVE.matcher(path);
      if (resolve.matches()) {
        Map<String, byte[]> files = files(resolve.group(1));
        if (files.isEmpty()) {
          repositoryNotFound(exchange);
          return;
        }
        byte[] content = files.get(resolve.group(3));
        if (content == null) {
          exchange.getResponseHeaders().add("X-Error-Code", "EntryNotFound");
          send(exchange, 404, "Entry not found".getBytes(StandardCharsets.UTF_8));
          return;
        }
        file(exchange, resolve.group(1), content);
        return;
      }
      send(exchange, 404, "not found".getBytes(StandardCharsets.UTF_8));
    }
  }

  private void modelInfo(HttpExchange exchange, String repo) throws IOException {
    Map<String, byte[]> files = files(repo);
    if (files.isEmpty()) {
      repositoryNotFound(exchange);
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("id", repo);
    body.put("sha", commit(repo));
    ArrayNode siblings = body.putArray("siblings");
    for (var e : files.entrySet()) {
      ObjectNode s = siblings.addObject();
      s.put("rfilename", e.getKey());
      s.put("size", e.getValue().length);
      s.putObject("lfs").put("sha256", sha256(e.getValue())).put("size", e.getValue().length).put("pointerSize", 134);
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    send(exchange, 200, JSON.writeValueAsBytes(body));
  }

  private void file(HttpExchange exchange, String repo, byte[] content) throws IOException {
    var h = exchange.getResponseHeaders();
    h.add("X-Repo-Commit", commit(repo));
    h.add("ETag", "\"" + sha256(content) + "\"");
    h.add("Accept-Ranges", "bytes");
    String range = exchange.getRequestHeaders().getFirst("Range");
    int start = 0;
    if (range != null && range.startsWith("bytes=")) {
      String from = range.substring(6, range.indexOf('-'));
      start = from.isEmpty() ? 0 : Integer.parseInt(from);
    }
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    if (start > 0 && start < content.length) {
      h.add("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
      byte[] rest = java.util.Arrays.copyOfRange(content, start, content.length);
      sendThrottled(exchange, 206, head ? null : rest);
      return;
    }
    sendThrottled(exchange, 200, head ? null : content);
  }

  private void sendThrottled(HttpExchange exchange, int code, byte[] body) throws IOException {
    long rate = bytesPerSecond;
    if (body == null || rate <= 0) {
      send(exchange, code, body);
      return;
    }
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    int chunk = (int) Math.max(1024, rate / 10);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int off = 0; off < body.length; off += chunk) {
        out.write(body, off, Math.min(chunk, body.length - off));
        out.flush();
        try {
          Thread.sleep(Math.max(1, chunk * 1000L / rate));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }

  /** What the Hub answers an anonymous caller for a repository that does not exist (or is private). */
  private static void repositoryNotFound(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("X-Error-Code", "RepoNotFound");
    exchange.getResponseHeaders().add("X-Error-Message", "Repository not found");
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    send(exchange, 401, "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(code, -1);
      return;
    }
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String commit(String repo) {
    return hex("SHA-1", repo.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] content) {
    return hex("SHA-256", content);
  }

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
