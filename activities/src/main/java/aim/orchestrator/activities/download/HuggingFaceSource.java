package aim.orchestrator.activities.download;

import aim.orchestrator.activities.download.DownloadException.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face model repository over the Hub's HTTP API, as {@code huggingface_hub} speaks it:
 * the file list from {@code GET /api/models/{repo}/revision/{rev}?blobs=true} (or the paginated
 * tree API), each file from {@code /{repo}/resolve/{revision}/{path}} following redirects to the
 * CDN, {@code Authorization: Bearer} when a token is set, errors mapped from the status and {@code
 * X-Error-Code}.
 *
 * <p>The token is sent only to the endpoint's own origin (never to the CDN an absolute redirect
 * points at) and appears in no message, log line or {@link #toString()}. Downloads are pinned to
 * the commit the listing reports, so a branch moving mid-download cannot mix two revisions.
 */
public final class HuggingFaceSource implements DownloadSource {
  /** The public Hub. */
  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

  private static final Logger log = LoggerFactory.getLogger(HuggingFaceSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 10;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  /** How the file list is read. */
  public enum Listing {
    /**
     * {@code /api/models/{repo}/revision/{rev}?blobs=true}, falling back to the tree API if sizes
     * are missing.
     */
    MODEL_INFO,
    /**
     * {@code /api/models/{repo}/tree/{rev}?recursive=true}, following {@code Link: rel="next"}
     * pages.
     */
    TREE
  }

  private final URI endpoint;
  private final String repoId;
  private final String revision;
  private final String token;
  private final Listing listing;
  private final Duration requestTimeout;
  private final HttpClient http;
  private volatile String pinnedRevision;

  private HuggingFaceSource(Builder b) {
    this.endpoint = normaliseEndpoint(b.endpoint);
    this.repoId = Objects.requireNonNull(b.repoId, "repoId");
    this.revision = b.revision == null || b.revision.isBlank() ? "main" : b.revision;
    this.token = b.token == null || b.token.isBlank() ? null : b.token.strip();
    this.listing = b.listing;
    this.requestTimeout = b.requestTimeout;
    this.pinnedRevision = this.revision;
    // Redirects are followed by hand, so the token goes to the Hub's origin and never to the CDN.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(b.connectTimeout)
            .build();
  }

  /** A builder for a repository on the public Hub, revision {@code main}, no token. */
  public static Builder builder(String repoId) {
    return new Builder(repoId);
  }

  /**
   * The source for {@code hf://org/model[@revision]} with {@code HF_ENDPOINT} (default {@value
   * #DEFAULT_ENDPOINT}) and {@code HF_TOKEN} (or the legacy {@code HUGGING_FACE_HUB_TOKEN}) from
   * the environment.
   */
  public static HuggingFaceSource fromUri(String uri, Map<String, String> env)
      throws DownloadException {
    String rest = uri.substring("hf://".length()).strip();
    while (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    String rev = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      rev = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String[] parts = rest.split("/", -1);
    boolean valid = parts.length >= 1 && parts.length <= 2;
    for (String p : parts) {
      valid &= !p.isEmpty() && !p.equals(".") && !p.equals("..");
    }
    if (!valid || (rev != null && rev.isBlank())) {
      throw new DownloadException(
          Reason.INVALID_SOURCE,
          "Invalid Hugging Face URI '" + uri + "': expected hf://org/model[@revision]");
    }
    String token = env.get("HF_TOKEN");
    if (token == null || token.isBlank()) {
      token = env.get("HUGGING_FACE_HUB_TOKEN");
    }
    String endpoint = env.getOrDefault("HF_ENDPOINT", "");
    return builder(rest)
        .endpoint(endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint)
        .revision(rev)
        .token(token)
        .build();
  }

  @Override
  public String protocol() {
    return "HTTP";
  }

  @Override
  public String location() {
    return "hf://" + repoId + "@" + revision;
  }

  /** The repository id, e.g. {@code org/model}. */
  public String repoId() {
    return repoId;
  }

  /**
   * The commit the last listing resolved the revision to (the revision itself before any listing).
   */
  public String pinnedRevision() {
    return pinnedRevision;
  }

  @Override
  public List<RemoteFile> listFiles() throws IOException {
    if (listing == Listing.TREE) {
      return listTree();
    }
    URI uri =
        api("/api/models/" + repoPath() + "/revision/" + encodeSegment(revision) + "?blobs=true");
    JsonNode info = getJson(uri, null);
    List<RemoteFile> files = new ArrayList<>();
    boolean sizesComplete = true;
    for (JsonNode sibling : info.path("siblings")) {
      String path = sibling.path("rfilename").asText("");
      JsonNode lfs = sibling.path("lfs");
      if (path.isEmpty()) {
        continue;
      }
      if (lfs.isObject() && lfs.hasNonNull("size")) {
        files.add(new RemoteFile(path, lfs.get("size").asLong(), checksum(lfs, "sha256", true)));
      } else if (sibling.hasNonNull("size")) {
        files.add(
            new RemoteFile(path, sibling.get("size").asLong(), checksum(sibling, "blobId", false)));
      } else {
        sizesComplete = false;
      }
    }
    String sha = info.path("sha").asText("");
    if (!sha.isEmpty()) {
      pinnedRevision = sha;
    }
    if (!sizesComplete) {
      log.info("Model info for {} lacks file sizes; listing the repository tree instead", repoId);
      return listTree();
    }
    return files;
  }

  private List<RemoteFile> listTree() throws IOException {
    URI next =
        api(
            "/api/models/"
                + repoPath()
                + "/tree/"
                + encodeSegment(pinnedRevision)
                + "?recursive=true&expand=false");
    List<RemoteFile> files = new ArrayList<>();
    for (int page = 0; next != null; page++) {
      if (page > 100_000) {
        throw new DownloadException(Reason.FAILED, "Too many tree pages for " + location());
      }
      String[] link = new String[1];
      JsonNode entries = getJson(next, link);
      for (JsonNode entry : entries) {
        if (!"file".equals(entry.path("type").asText())) {
          continue;
        }
        String path = entry.path("path").asText("");
        JsonNode lfs = entry.path("lfs");
        if (lfs.isObject() && lfs.hasNonNull("size")) {
          files.add(new RemoteFile(path, lfs.get("size").asLong(), checksum(lfs, "oid", true)));
        } else {
          files.add(
              new RemoteFile(path, entry.path("size").asLong(), checksum(entry, "oid", false)));
        }
      }
      next = link[0] == null ? null : next.resolve(link[0]);
    }
    return files;
  }

  private static Checksum checksum(JsonNode node, String field, boolean sha256) {
    String value = node.path(field).asText("");
    try {
      return value.isEmpty() ? null : sha256 ? Checksum.sha256(value) : Checksum.gitSha1(value);
    } catch (IllegalArgumentException e) {
      // An id we cannot interpret only costs us the digest check; the size is still verified.
      return null;
    }
  }

  @Override
  public RemoteContent open(RemoteFile file, long offset) throws IOException {
    return openBytes(file, offset, -1);
  }

  @Override
  public RemoteContent openRange(RemoteFile file, long offset, long length) throws IOException {
    return openBytes(file, offset, Math.min(file.size(), offset + length) - 1);
  }

  /** From {@code offset} to {@code last} (inclusive), or to the end when {@code last} is negative. */
  private RemoteContent openBytes(RemoteFile file, long offset, long last) throws IOException {
    URI current =
        api(
            "/"
                + repoPath()
                + "/resolve/"
                + encodeSegment(pinnedRevision)
                + "/"
                + encodePath(file.path()));
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(current)
              .timeout(requestTimeout)
              .header("Accept-Encoding", "identity")
              .GET();
      if (last >= 0) {
        request.header("Range", "bytes=" + offset + "-" + last);
      } else if (offset > 0) {
        request.header("Range", "bytes=" + offset + "-");
      }
      authorize(request, current);
      HttpResponse<InputStream> response =
          send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      int status = response.statusCode();
      if (isRedirect(status)) {
        URI next = redirectTarget(response, current);
        response.body().close();
        // Relative redirects stay on the Hub (renamed repos); an absolute one is the CDN location.
        current = next;
        continue;
      }
      if (status == 200) {
        return new RemoteContent(0, response.body());
      }
      if (status == 206) {
        long start = contentRangeStart(response.headers());
        if (start != offset) {
          response.body().close();
          throw new IOException(
              "Unexpected Content-Range start "
                  + start
                  + " for "
                  + file.path()
                  + " (asked for "
                  + offset
                  + ")");
        }
        return new RemoteContent(start, response.body());
      }
      response.body().close();
      throw error(status, response.headers(), current);
    }
    throw new DownloadException(Reason.FAILED, "Too many redirects for " + safe(current));
  }

  @Override
  public void close() {
    // HttpClient has no close() before Java 21; its threads are daemons, idle connections expire.
  }

  @Override
  public String toString() {
    return "HuggingFaceSource["
        + location()
        + " via "
        + endpoint
        + (token == null ? "" : ", token set")
        + "]";
  }

  private JsonNode getJson(URI uri, String[] nextLink) throws IOException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(current)
              .timeout(requestTimeout)
              .header("Accept", "application/json")
              .GET();
      authorize(request, current);
      HttpResponse<byte[]> response =
          send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      int status = response.statusCode();
      if (isRedirect(status)) {
        current = redirectTarget(response, current);
        continue;
      }
      if (status / 100 != 2) {
        throw error(status, response.headers(), current);
      }
      if (nextLink != null) {
        for (String link : response.headers().allValues("Link")) {
          Matcher m = NEXT_LINK.matcher(link);
          if (m.find()) {
            nextLink[0] = m.group(1);
          }
        }
      }
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new DownloadException(Reason.TRANSIENT, "Unreadable JSON from " + safe(current), e);
      }
    }
    throw new DownloadException(Reason.FAILED, "Too many redirects for " + safe(current));
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    try {
      return http.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("Interrupted: " + safe(request.uri()));
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  private void authorize(HttpRequest.Builder request, URI target) {
    if (token != null && sameOrigin(target, endpoint)) {
      request.header("Authorization", "Bearer " + token);
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI redirectTarget(HttpResponse<?> response, URI current) throws IOException {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IOException("Redirect without Location from " + safe(current)));
    try {
      return current.resolve(new URI(location));
    } catch (URISyntaxException e) {
      throw new DownloadException(Reason.FAILED, "Bad redirect location from " + safe(current), e);
    }
  }

  private static long contentRangeStart(HttpHeaders headers) throws IOException {
    String value = headers.firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(value);
    if (!m.find()) {
      throw new IOException("206 without a usable Content-Range: '" + value + "'");
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * Maps an error response the way {@code huggingface_hub} does: {@code X-Error-Code} first (the
   * Hub answers 401 RepoNotFound for repositories that do not exist or are private), then the
   * status. The wording matches the AIM engine's log classifier ("Repository Not Found", "404 … Not
   * Found", "Cannot access gated repo", "Access to model … is restricted").
   */
  private DownloadException error(int status, HttpHeaders headers, URI uri) {
    String code = headers.firstValue("X-Error-Code").orElse("");
    String serverMessage = headers.firstValue("X-Error-Message").orElse("");
    String where = safe(uri);
    String tokenHint = token == null ? "HF_TOKEN is not set" : "the HF_TOKEN given was refused";
    switch (code) {
      case "RepoNotFound":
        if (status == 401 && serverMessage.contains("Invalid credentials")) {
          return authError(status, where, tokenHint);
        }
        return new DownloadException(
            Reason.SOURCE_NOT_FOUND,
            "404 Client Error: Repository Not Found for url: "
                + where
                + ". Check that '"
                + repoId
                + "' is a model repository id; a private repository also needs HF_TOKEN.");
      case "RevisionNotFound":
        return new DownloadException(
            Reason.SOURCE_NOT_FOUND,
            "404 Client Error: Revision Not Found for url: "
                + where
                + " (revision '"
                + revision
                + "').");
      case "EntryNotFound":
        return new DownloadException(
            Reason.SOURCE_NOT_FOUND, "404 Client Error: Entry Not Found for url: " + where);
      case "GatedRepo":
        return new DownloadException(
            Reason.AUTH,
            "Cannot access gated repo for url "
                + where
                + ". Access to model "
                + repoId
                + " is restricted ("
                + statusLine(status)
                + ": invalid credentials or access not granted; "
                + tokenHint
                + ").");
      default:
        break;
    }
    if (status == 401 || status == 403) {
      return authError(status, where, tokenHint);
    }
    if (status == 404) {
      return new DownloadException(
          Reason.SOURCE_NOT_FOUND, "404 Client Error: Not Found for url: " + where);
    }
    if (status == 408 || status == 429 || status / 100 == 5) {
      return new DownloadException(
          Reason.TRANSIENT,
          "HTTP " + status + " from " + where,
          null,
          retryAfter(headers).orElse(null));
    }
    return new DownloadException(
        Reason.FAILED, "HTTP " + status + " Client Error for url: " + where);
  }

  private DownloadException authError(int status, String where, String tokenHint) {
    return new DownloadException(
        Reason.AUTH,
        "Access to model "
            + repoId
            + " is restricted: "
            + statusLine(status)
            + " for url "
            + where
            + " (invalid credentials or no access; "
            + tokenHint
            + ").");
  }

  private static String statusLine(int status) {
    return status + (status == 403 ? " Forbidden" : " Unauthorized");
  }

  private static Optional<Duration> retryAfter(HttpHeaders headers) {
    try {
      return headers
          .firstValue("Retry-After")
          .map(v -> Duration.ofSeconds(Long.parseLong(v.strip())));
    } catch (NumberFormatException e) {
      // An HTTP-date Retry-After is rare on the Hub; the engine's own backoff applies instead.
      return Optional.empty();
    }
  }

  private URI api(String pathAndQuery) {
    return URI.create(endpoint.toString() + pathAndQuery);
  }

  private String repoPath() {
    return encodePath(repoId);
  }

  /**
   * A URI for messages: scheme, host, port and path only, so presigned signatures never reach a
   * log.
   */
  static String safe(URI uri) {
    StringBuilder sb = new StringBuilder();
    if (uri.getScheme() != null) {
      sb.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      sb.append(uri.getHost());
    }
    if (uri.getPort() >= 0) {
      sb.append(':').append(uri.getPort());
    }
    sb.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    return sb.toString();
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
        && Objects.equals(lower(a.getHost()), lower(b.getHost()))
        && effectivePort(a) == effectivePort(b);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static int effectivePort(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static URI normaliseEndpoint(String endpoint) {
    String e = endpoint.strip();
    while (e.endsWith("/")) {
      e = e.substring(0, e.length() - 1);
    }
    URI uri = URI.create(e);
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "HF_ENDPOINT must be an absolute http(s) URL: " + endpoint);
    }
    return uri;
  }

  /**
   * Percent-encodes each {@code /}-separated segment (RFC 3986 unreserved characters stay as they
   * are).
   */
  static String encodePath(String path) {
    String[] segments = path.split("/", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(encodeSegment(segments[i]));
    }
    return sb.toString();
  }

  /**
   * Percent-encodes one path segment, including {@code /} (revisions such as {@code refs/pr/1}).
   */
  static String encodeSegment(String segment) {
    StringBuilder sb = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** Configures a {@link HuggingFaceSource}. */
  public static final class Builder {
    private final String repoId;
    private String endpoint = DEFAULT_ENDPOINT;
    private String revision = "main";
    private String token;
    private Listing listing = Listing.MODEL_INFO;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);

    private Builder(String repoId) {
      this.repoId = Objects.requireNonNull(repoId, "repoId");
    }

    /** The Hub endpoint ({@code HF_ENDPOINT}). */
    public Builder endpoint(String endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** A branch, tag or commit; {@code null} means {@code main}. */
    public Builder revision(String revision) {
      this.revision = revision;
      return this;
    }

    /** The access token ({@code HF_TOKEN}); {@code null} or blank for anonymous access. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** How the file list is read. */
    public Builder listing(Listing listing) {
      this.listing = Objects.requireNonNull(listing, "listing");
      return this;
    }

    /** The TCP connect timeout. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * How long to wait for response headers; the body is guarded by the downloader's stall timeout.
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
      return this;
    }

    /** The source. */
    public HuggingFaceSource build() {
      return new HuggingFaceSource(this);
    }
  }
}
