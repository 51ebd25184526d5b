package aim.orchestrator.activities.registry;

import aim.orchestrator.activities.registry.RegistryException.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the registry HTTP API v2 (the OCI distribution API): an image's config labels, a repository's tags,
 * a registry's catalog.
 *
 * <p>Authentication follows the registry's {@code WWW-Authenticate} challenge: {@code Bearer} fetches a token from
 * the named realm (with HTTP Basic credentials when the keychain has some for the registry), {@code Basic} sends the
 * credentials directly. Registries are reached over HTTPS unless {@link RegistrySettings} names them insecure, they
 * are on loopback, or a mirror serves them.
 *
 * <p>jib-core (which the tests use to build images) has a registry client too, but it lives outside jib's public
 * API, cannot list tags or the catalog, and cannot point one registry at a mirror — hence this small client on
 * {@code java.net.http}.
 */
public final class RegistryClient implements ImageInspector {
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  private static final String MANIFEST_TYPES = String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
  private static final int PAGE_SIZE = 1000;
  private static final int MAX_PAGES = 1000;
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);

  private final RegistrySettings settings;
  private final HttpCalls http;
  private final int pageSize;

  public RegistryClient(RegistrySettings settings) {
    this(settings, PAGE_SIZE);
  }

  /** With another page size for tag and catalog listings (tests use a small one to see pagination). */
  RegistryClient(RegistrySettings settings, int pageSize) {
    this.settings = settings;
    this.http = new HttpCalls(settings.timeout());
    this.pageSize = pageSize;
  }

  public RegistrySettings settings() {
    return settings;
  }

  @Override
  public Map<String, String> labels(String image, Keychain keychain) throws RegistryException {
    ImageName name = ImageName.parse(image);
    Session session = session(name.registry(), "repository:" + name.repository() + ":pull", keychain);
    JsonNode manifest = imageManifest(session, name, name.reference(), true);
    String configDigest = manifest.path("config").path("digest").asText("");
    if (configDigest.isEmpty()) {
      throw new RegistryException(Reason.INVALID, "the manifest of " + image + " names no config blob");
    }
    String what = "config blob of " + image;
    HttpResponse<byte[]> blob =
        HttpCalls.ok(session.get("/v2/" + name.repository() + "/blobs/" + configDigest, "*/*"), what);
    verifyDigest(blob.body(), configDigest, what);
    JsonNode labels = HttpCalls.json(blob, what).path("config").path("Labels");
    Map<String, String> out = new LinkedHashMap<>();
    labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    log.debug("read {} labels of {}", out.size(), image);
    return out;
  }

  /**
   * The tags of a repository, following pagination.
   *
   * @param registry registry host
   * @param repository repository path, e.g. {@code amdenterpriseai/aim-qwen-qwen3-32b}
   */
  public List<String> tags(String registry, String repository, Keychain keychain) throws RegistryException {
    Session session = session(registry, "repository:" + repository + ":pull", keychain);
    return paged(session, "/v2/" + repository + "/tags/list?n=" + pageSize, "tags", "tags of " + registry + "/" + repository);
  }

  /** Every repository of a registry ({@code /v2/_catalog}), following pagination. */
  public List<String> catalog(String registry, Keychain keychain) throws RegistryException {
    Session session = session(registry, "registry:catalog:*", keychain);
    return paged(session, "/v2/_catalog?n=" + pageSize, "repositories", "catalog of " + registry);
  }

  /**
   * The repositories of a Docker Hub namespace ({@code <namespace>/<name>}), from the Docker Hub API (not the
   * registry API), following its {@code next} links.
   */
  public List<String> dockerHubRepositories(String namespace) throws RegistryException {
    List<String> out = new ArrayList<>();
    URI next = settings.dockerHubApi().resolve("/v2/namespaces/" + encode(namespace) + "/repositories?page_size=100");
    String what = "Docker Hub namespace " + namespace;
    for (int page = 0; next != null && page < MAX_PAGES; page++) {
      JsonNode body = HttpCalls.json(HttpCalls.ok(http.get(next, "application/json", null), what), what);
      for (JsonNode r : body.path("results")) {
        out.add(namespace + "/" + r.path("name").asText());
      }
      String link = body.path("next").asText("");
      next = link.startsWith("http://") || link.startsWith("https://") ? URI.create(link) : null;
    }
    return out;
  }

  /**
   * The container packages of a GitHub organisation ({@code <org>/<name>}), from the GitHub packages API. It needs a
   * token: the password of the keychain's {@code ghcr.io} entry.
   */
  public List<String> githubContainerPackages(String organisation, Keychain keychain) throws RegistryException {
    Credential credential =
        keychain
            .forRegistry("ghcr.io")
            .orElseThrow(
                () ->
                    new RegistryException(
                        Reason.AUTH,
                        "listing the GitHub packages of " + organisation + " needs a token: add an image pull secret with an entry for ghcr.io"));
    List<String> out = new ArrayList<>();
    String what = "GitHub packages of " + organisation;
    Optional<URI> next =
        Optional.of(settings.githubApi().resolve("/orgs/" + encode(organisation) + "/packages?package_type=container&per_page=100"));
    for (int page = 0; next.isPresent() && page < MAX_PAGES; page++) {
      HttpResponse<byte[]> response =
          HttpCalls.ok(http.get(next.get(), "application/vnd.github+json", "Bearer " + credential.password()), what);
      for (JsonNode p : HttpCalls.json(response, what)) {
        out.add(organisation + "/" + p.path("name").asText());
      }
      next = HttpCalls.nextLink(response);
    }
    return out;
  }

  /** The image manifest for a reference; an index or manifest list is resolved to its linux/amd64 image. */
  private JsonNode imageManifest(Session session, ImageName name, String reference, boolean mayBeIndex) throws RegistryException {
    String what = "image " + name.registry() + "/" + name.repository() + (reference.contains(":") ? "@" : ":") + reference;
    HttpResponse<byte[]> response =
        HttpCalls.ok(session.get("/v2/" + name.repository() + "/manifests/" + reference, MANIFEST_TYPES), what);
    JsonNode manifest = HttpCalls.json(response, "the manifest of " + what);
    String type = response.headers().firstValue("Content-Type").orElse(manifest.path("mediaType").asText(""));
    if (type.startsWith(OCI_INDEX) || type.startsWith(DOCKER_MANIFEST_LIST) || manifest.has("manifests")) {
      if (!mayBeIndex) {
        throw new RegistryException(Reason.INVALID, "the index of " + what + " points to another index");
      }
      return imageManifest(session, name, platformDigest(manifest, what), false);
    }
    if (manifest.path("schemaVersion").asInt() != 2) {
      throw new RegistryException(Reason.INVALID, what + " has a schema " + manifest.path("schemaVersion").asText("?") + " manifest; only schema 2 and OCI manifests are supported");
    }
    return manifest;
  }

  /** The digest of the linux/amd64 entry of an index; a single-entry index needs no platform match. */
  private static String platformDigest(JsonNode index, String what) throws RegistryException {
    List<String> platforms = new ArrayList<>();
    JsonNode entries = index.path("manifests");
    for (JsonNode entry : entries) {
      String os = entry.path("platform").path("os").asText("");
      String arch = entry.path("platform").path("architecture").asText("");
      if (os.equals("linux") && arch.equals("amd64")) {
        return entry.path("digest").asText();
      }
      platforms.add(os + "/" + arch);
    }
    if (entries.size() == 1) {
      return entries.get(0).path("digest").asText();
    }
    throw new RegistryException(Reason.INVALID, what + " has no linux/amd64 image (platforms: " + String.join(", ", platforms) + ")");
  }

  private List<String> paged(Session session, String first, String field, String what) throws RegistryException {
    List<String> out = new ArrayList<>();
    Optional<URI> next = Optional.of(session.base.resolve(first.substring(1)));
    for (int page = 0; next.isPresent() && page < MAX_PAGES; page++) {
      HttpResponse<byte[]> response = HttpCalls.ok(session.get(next.get(), "application/json"), what);
      for (JsonNode value : HttpCalls.json(response, what).path(field)) {
        out.add(value.asText());
      }
      next = HttpCalls.nextLink(response);
    }
    return out;
  }

  private static void verifyDigest(byte[] body, String digest, String what) throws RegistryException {
    if (!digest.startsWith("sha256:")) {
      return;
    }
    try {
      String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
      if (!digest.substring("sha256:".length()).equals(actual)) {
        throw new RegistryException(Reason.INVALID, "the " + what + " does not match its digest " + digest);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private Session session(String registry, String scope, Keychain keychain) {
    String host = RegistrySettings.host(registry);
    return new Session(host, URI.create(settings.endpoint(host) + "/"), scope, keychain.forRegistry(host).orElse(null));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Calls to one registry for one scope; holds the authorization the first challenge earned. */
  private final class Session {
    final String registry;
    final URI base;
    final String scope;
    final Credential credential;
    String authorization;

    Session(String registry, URI base, String scope, Credential credential) {
      this.registry = registry;
      this.base = base;
      this.scope = scope;
      this.credential = credential;
    }

    HttpResponse<byte[]> get(String path, String accept) throws RegistryException {
      return get(base.resolve(path.startsWith("/") ? path.substring(1) : path), accept);
    }

    /** GETs, answering one authentication challenge; the caller checks the final status. */
    HttpResponse<byte[]> get(URI uri, String accept) throws RegistryException {
      HttpResponse<byte[]> response = http.get(uri, accept, authorization);
      if (response.statusCode() != 401) {
        return response;
      }
      authorization = authorize(response.headers().firstValue("WWW-Authenticate").orElse(""));
      return http.get(uri, accept, authorization);
    }

    private String authorize(String challenge) throws RegistryException {
      String scheme = challenge.split("\\s+", 2)[0];
      if (scheme.equalsIgnoreCase("Bearer")) {
        return "Bearer " + token(challenge);
      }
      if (credential == null) {
        throw new RegistryException(Reason.AUTH, registry + " requires credentials and no image pull secret has an entry for it");
      }
      return credential.basicAuthorization();
    }

    private String token(String challenge) throws RegistryException {
      Map<String, String> params = new LinkedHashMap<>();
      Matcher m = CHALLENGE_PARAM.matcher(challenge);
      while (m.find()) {
        params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
      }
      String realm = params.get("realm");
      if (realm == null || realm.isEmpty()) {
        throw new RegistryException(Reason.INVALID, registry + " sent a Bearer challenge without a realm");
      }
      StringBuilder query = new StringBuilder();
      if (params.containsKey("service")) {
        query.append("service=").append(encode(params.get("service")));
      }
      String tokenScope = params.getOrDefault("scope", scope);
      if (tokenScope != null) {
        query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(tokenScope));
      }
      URI tokenUri = URI.create(realm + (query.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + query));
      String what = "a token from " + tokenUri.getAuthority() + " for " + registry;
      HttpResponse<byte[]> response =
          http.get(tokenUri, "application/json", credential == null ? null : credential.basicAuthorization());
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        throw new RegistryException(
            Reason.AUTH,
            (credential == null ? "anonymous access to " : "the credentials for ") + registry + " were refused (HTTP " + response.statusCode() + ")");
      }
      JsonNode body = HttpCalls.json(HttpCalls.ok(response, what), what);
      String token = body.path("token").asText(body.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new RegistryException(Reason.INVALID, "the token endpoint of " + registry + " returned no token");
      }
      return token;
    }
  }
}
