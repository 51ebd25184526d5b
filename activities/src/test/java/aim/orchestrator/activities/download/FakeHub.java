package aim.orchestrator.activities.download;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Hugging Face Hub on the JDK's HTTP server, speaking the part of the protocol {@code
 * huggingface_hub} uses: model info ({@code /api/models/{repo}[/revision/{rev}]}, {@code
 * ?blobs=true} adds sizes, blob ids and LFS digests), the paginated tree API ({@code Link:
 * rel="next"}), {@code HEAD}/{@code GET /{repo}/resolve/{rev}/{path}} answering 302 with {@code
 * X-Repo-Commit}, {@code X-Linked-Etag}, {@code X-Linked-Size} and an absolute {@code Location} on
 * a "CDN" host ({@code localhost}, while the endpoint is {@code 127.0.0.1}, so the origins differ),
 * blobs honouring {@code Range} with 206, {@code X-Error-Code} errors, gated repositories, renamed
 * repositories (a relative 307) and fault modes per file.
 */
final class FakeHub implements AutoCloseable {
  /** One request as the hub saw it. */
  record Request(String method, String path, String query, String range, String authorization) {
    /** The start of a {@code Range: bytes=N-} header, or -1. */
    long rangeStart() {
      if (range == null) {
        return -1;
      }
      Matcher m = RANGE.matcher(range);
      return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
  }

  /** A file in a repository. */
  static final class HubFile {
    final String path;
    final byte[] content;
    final boolean lfs;
    final String sha256;
    final String gitSha1;
    String advertisedSha256;

    HubFile(String path, byte[] content, boolean lfs) {
      this.path = path;
      this.content = content;
      this.lfs = lfs;
      this.sha256 = hex("SHA-256", new byte[0], content);
      this.gitSha1 =
          hex(
              "SHA-1",
              ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII),
              content);
      this.advertisedSha256 = sha256;
    }

    String blobId() {
      return lfs ? sha256 : gitSha1;
    }
  }

  /** A repository. */
  final class Repo {
    final String id;
    final String commit;
    final Map<String, HubFile> files = new LinkedHashMap<>();
    volatile String gatedToken;

    Repo(String id) {
      this.id = id;
      this.commit = HexFormat.of().formatHex(randomBytes(20, id.hashCode()));
    }

    Repo file(String path, byte[] content) {
      return add(new HubFile(path, content, false));
    }

    Repo lfsFile(String path, byte[] content) {
      return add(new HubFile(path, content, true));
    }

    /** An LFS file whose listing advertises a digest its content does not have. */
    Repo lfsFileWithWrongSha(String path, byte[] content) {
      HubFile f = new HubFile(path, content, true);
      f.advertisedSha256 = "0".repeat(64);
      return add(f);
    }

    Repo gated(String token) {
      this.gatedToken = token;
      return this;
    }

    private Repo add(HubFile f) {
      files.put(f.path, f);
      blobs.put(f.blobId(), f);
      return this;
    }
  }

  private enum FaultKind {
    DROP_ONCE,
    FAIL_503,
    STALL,
    IGNORE_RANGE
  }

  private record Fault(FaultKind kind, long afterBytes, AtomicInteger remaining) {}

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(daemon());
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Map<String, String> renamed = new ConcurrentHashMap<>();
  private final Map<String, HubFile> blobs = new ConcurrentHashMap<>();
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile int treePageSize = 1000;

  FakeHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The endpoint, as {@code HF_ENDPOINT} takes it. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  Repo repo(String id) {
    return repos.computeIfAbsent(id, Repo::new);
  }

  void rename(String oldId, String newId) {
    renamed.put(oldId, newId);
  }

  void treePageSize(int size) {
    this.treePageSize = size;
  }

  void dropConnectionOnce(String repo, String path, long afterBytes) {
    fault(repo, path, new Fault(FaultKind.DROP_ONCE, afterBytes, new AtomicInteger(1)));
  }

  void fail503(String repo, String path, int times) {
    fault(repo, path, new Fault(FaultKind.FAIL_503, 0, new AtomicInteger(times)));
  }

  void stall(String repo, String path, long afterBytes) {
    fault(repo, path, new Fault(FaultKind.STALL, afterBytes, new AtomicInteger(Integer.MAX_VALUE)));
  }

  void ignoreRange(String repo, String path) {
    fault(repo, path, new Fault(FaultKind.IGNORE_RANGE, 0, new AtomicInteger(Integer.MAX_VALUE)));
  }

  private void fault(String repo, String path, Fault fault) {
    faults.put(repo(repo).files.get(path).blobId(), fault);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Blob (CDN) GETs for one file. */
  List<Request> blobGets(String repo, String path) {
    String blob = "/blobs/" + repo(repo).files.get(path).blobId();
    return requests.stream()
        .filter(r -> r.method().equals("GET") && r.path().equals(blob))
        .toList();
  }

  /** Requests that transfer file content: resolve and blob requests. */
  List<Request> contentRequests() {
    return requests.stream()
        .filter(r -> r.path().contains("/resolve/") || r.path().startsWith("/blobs/"))
        .toList();
  }

  void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    String rawPath = uri.getRawPath();
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            rawPath,
            uri.getRawQuery(),
            exchange.getRequestHeaders().getFirst("Range"),
            exchange.getRequestHeaders().getFirst("Authorization")));
    try {
      if (rawPath.startsWith("/blobs/")) {
        blob(exchange, rawPath.substring("/blobs/".length()));
      } else if (rawPath.startsWith("/api/models/")) {
        api(exchange, segments(rawPath.substring("/api/models/".length())));
      } else {
        resolve(exchange, segments(rawPath.substring(1)));
      }
    } catch (IOException e) {
      // The client went away (or a fault closed the connection on purpose).
    } finally {
      exchange.close();
    }
  }

  private void api(HttpExchange exchange, List<String> seg) throws IOException {
    if (seg.size() < 2) {
      error(exchange, 404, "RepoNotFound", "Repository not found");
      return;
    }
    String id = seg.get(0) + "/" + seg.get(1);
    if (redirectIfRenamed(exchange, id)) {
      return;
    }
    Repo repo = repos.get(id);
    if (repo == null) {
      repoNotFound(exchange);
      return;
    }
    boolean tree = seg.size() >= 4 && seg.get(2).equals("tree");
    String revision = seg.size() >= 4 ? seg.get(3) : "main";
    if (!revision.equals("main") && !revision.equals(repo.commit)) {
      error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
      return;
    }
    String query =
        exchange.getRequestURI().getRawQuery() == null
            ? ""
            : exchange.getRequestURI().getRawQuery();
    if (tree) {
      tree(exchange, repo, revision, query);
      return;
    }
    boolean blobsRequested = query.contains("blobs=true");
    ObjectNode info = JSON.createObjectNode().put("id", repo.id).put("sha", repo.commit);
    ArrayNode siblings = info.putArray("siblings");
    for (HubFile f : repo.files.values()) {
      ObjectNode s = siblings.addObject().put("rfilename", f.path);
      if (blobsRequested) {
        s.put("size", f.content.length).put("blobId", f.gitSha1);
        if (f.lfs) {
          s.putObject("lfs")
              .put("sha256", f.advertisedSha256)
              .put("size", f.content.length)
              .put("pointerSize", 134);
        }
      }
    }
    json(exchange, info.toString(), null);
  }

  private void tree(HttpExchange exchange, Repo repo, String revision, String query)
      throws IOException {
    int cursor = 0;
    Matcher m = Pattern.compile("cursor=(\\d+)").matcher(query);
    if (m.find()) {
      cursor = Integer.parseInt(m.group(1));
    }
    List<ObjectNode> entries = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    for (HubFile f : repo.files.values()) {
      int slash = f.path.lastIndexOf('/');
      if (slash > 0 && !dirs.contains(f.path.substring(0, slash))) {
        dirs.add(f.path.substring(0, slash));
        entries.add(
            JSON.createObjectNode()
                .put("type", "directory")
                .put("oid", "d".repeat(40))
                .put("size", 0)
                .put("path", f.path.substring(0, slash)));
      }
      ObjectNode e =
          JSON.createObjectNode()
              .put("type", "file")
              .put("oid", f.gitSha1)
              .put("size", f.content.length)
              .put("path", f.path);
      if (f.lfs) {
        e.putObject("lfs")
            .put("oid", f.advertisedSha256)
            .put("size", f.content.length)
            .put("pointerSize", 134);
      }
      entries.add(e);
    }
    int end = Math.min(entries.size(), cursor + treePageSize);
    ArrayNode page = JSON.createArrayNode();
    entries.subList(cursor, end).forEach(page::add);
    String link = null;
    if (end < entries.size()) {
      link =
          "<"
              + endpoint()
              + "/api/models/"
              + repo.id
              + "/tree/"
              + revision
              + "?recursive=true&expand=false&cursor="
              + end
              + ">; rel=\"next\"";
    }
    json(exchange, page.toString(), link);
  }

  private void resolve(HttpExchange exchange, List<String> seg) throws IOException {
    if (seg.size() < 5 || !seg.get(2).equals("resolve")) {
      error(exchange, 404, null, "Not found");
      return;
    }
    String id = seg.get(0) + "/" + seg.get(1);
    if (redirectIfRenamed(exchange, id)) {
      return;
    }
    Repo repo = repos.get(id);
    if (repo == null) {
      repoNotFound(exchange);
      return;
    }
    String expected = repo.gatedToken == null ? null : "Bearer " + repo.gatedToken;
    if (expected != null
        && !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      error(
          exchange,
          401,
          "GatedRepo",
          "Access to model "
              + id
              + " is restricted. You must have access to it and be authenticated.");
      return;
    }
    String revision = seg.get(3);
    if (!revision.equals("main") && !revision.equals(repo.commit)) {
      error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
      return;
    }
    String path = String.join("/", seg.subList(4, seg.size()));
    HubFile f = repo.files.get(path);
    if (f == null) {
      error(exchange, 404, "EntryNotFound", path + " does not exist on " + revision);
      return;
    }
    var h = exchange.getResponseHeaders();
    h.add("X-Repo-Commit", repo.commit);
    if (f.lfs) {
      h.add("X-Linked-Etag", "\"" + f.sha256 + "\"");
      h.add("X-Linked-Size", Long.toString(f.content.length));
    }
    h.add("ETag", "\"" + f.gitSha1 + "\"");
    // The CDN host differs from the endpoint's, as on the real Hub; the query mimics a presigned
    // URL.
    h.add(
        "Location",
        "http://localhost:"
            + server.getAddress().getPort()
            + "/blobs/"
            + f.blobId()
            + "?X-Amz-Signature=presigned-signature-value&Expires=9999999999");
    exchange.sendResponseHeaders(302, -1);
  }

  private void blob(HttpExchange exchange, String id) throws IOException {
    HubFile f = blobs.get(id);
    if (f == null) {
      error(exchange, 404, null, "No such blob");
      return;
    }
    byte[] content = f.content;
    Fault fault = exchange.getRequestMethod().equals("GET") ? faults.get(id) : null;
    if (fault != null
        && fault.kind() == FaultKind.FAIL_503
        && fault.remaining().getAndDecrement() > 0) {
      exchange.getResponseHeaders().add("Retry-After", "0");
      exchange.sendResponseHeaders(503, -1);
      return;
    }
    long start = 0;
    long end = content.length - 1;
    int status = 200;
    String range = exchange.getRequestHeaders().getFirst("Range");
    boolean ignoreRange = fault != null && fault.kind() == FaultKind.IGNORE_RANGE;
    if (range != null && !ignoreRange) {
      Matcher m = RANGE.matcher(range);
      if (!m.matches()) {
        exchange.sendResponseHeaders(416, -1);
        return;
      }
      start = Long.parseLong(m.group(1));
      if (!m.group(2).isEmpty()) {
        end = Math.min(end, Long.parseLong(m.group(2)));
      }
      if (start >= content.length) {
        exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
        exchange.sendResponseHeaders(416, -1);
        return;
      }
      status = 206;
      exchange
          .getResponseHeaders()
          .add("Content-Range", "bytes " + start + "-" + end + "/" + content.length);
    }
    exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
    exchange.getResponseHeaders().add("ETag", "\"" + id + "\"");
    long length = end - start + 1;
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().add("Content-Length", Long.toString(length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    OutputStream body = exchange.getResponseBody();
    if (fault != null
        && fault.kind() == FaultKind.DROP_ONCE
        && fault.remaining().getAndDecrement() > 0) {
      body.write(content, (int) start, (int) Math.min(length, fault.afterBytes()));
      body.flush();
      // Closing a fixed-length body early makes the server drop the connection mid-file.
      throw new IOException("dropping the connection on purpose");
    }
    if (fault != null && fault.kind() == FaultKind.STALL) {
      body.write(content, (int) start, (int) Math.min(length, fault.afterBytes()));
      body.flush();
      try {
        released.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("stalled until the hub closed");
    }
    body.write(content, (int) start, (int) length);
  }

  private boolean redirectIfRenamed(HttpExchange exchange, String id) throws IOException {
    String target = renamed.get(id);
    if (target == null) {
      return false;
    }
    URI uri = exchange.getRequestURI();
    String location =
        uri.getRawPath().replaceFirst("/" + Pattern.quote(id) + "/", "/" + target + "/");
    if (uri.getRawQuery() != null) {
      location += "?" + uri.getRawQuery();
    }
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(307, -1);
    return true;
  }

  /**
   * The Hub answers anonymous requests for unknown (or private) repositories with 401, others with
   * 404.
   */
  private void repoNotFound(HttpExchange exchange) throws IOException {
    boolean authenticated = exchange.getRequestHeaders().getFirst("Authorization") != null;
    error(exchange, authenticated ? 404 : 401, "RepoNotFound", "Repository not found");
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    if (code != null) {
      exchange.getResponseHeaders().add("X-Error-Code", code);
    }
    exchange.getResponseHeaders().add("X-Error-Message", message);
    byte[] body =
        JSON.createObjectNode().put("error", message).toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static void json(HttpExchange exchange, String body, String link) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (link != null) {
      exchange.getResponseHeaders().add("Link", link);
    }
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static List<String> segments(String rawPath) {
    return Arrays.stream(rawPath.split("/"))
        .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
        .toList();
  }

  /** Deterministic pseudo-random content. */
  static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String hex(String algorithm, byte[] prefix, byte[] content) {
    try {
      MessageDigest d = MessageDigest.getInstance(algorithm);
      d.update(prefix);
      d.update(content);
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ThreadFactory daemon() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "fake-hub-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
