package aim.orchestrator.activities.registry;

import static org.awaitility.Awaitility.await;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real OCI registry on loopback for the tests: Debian's {@code docker-registry} (CNCF distribution 2.8) serving a
 * temporary directory on a free port, optionally behind htpasswd (HTTP Basic) auth. Test images are built from
 * scratch with jib-core and carry only labels.
 *
 * <p>Without {@code /usr/bin/docker-registry} the tests fail with an install hint, unless
 * {@code AIM_SKIP_REGISTRY_TESTS=1} is set, which skips them.
 *
 * <pre>{@code
 * @RegisterExtension static final LocalRegistry registry = new LocalRegistry();
 * }</pre>
 */
public final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {
  /** The registry binary; the system property {@code aim.test.docker-registry} points elsewhere. */
  public static final Path BINARY = Path.of(System.getProperty("aim.test.docker-registry", "/usr/bin/docker-registry"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String user;
  private final String password;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Path dir;
  private Process process;
  private int port;
  /** The test container that started the registry; @Nested classes inherit the extension and must not restart it. */
  private String owner;

  /** A registry without authentication. */
  public LocalRegistry() {
    this(null, null);
  }

  /** A registry that requires HTTP Basic auth with this user and password. */
  public LocalRegistry(String user, String password) {
    this.user = user;
    this.password = password;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (owner != null) {
      return;
    }
    if (!Files.isExecutable(BINARY)) {
      Assumptions.assumeFalse(
          "1".equals(System.getenv("AIM_SKIP_REGISTRY_TESTS")), "AIM_SKIP_REGISTRY_TESTS=1: registry tests skipped");
      throw new IllegalStateException(
          BINARY + " is missing: install the Debian package docker-registry (apt-get install docker-registry),"
              + " or set AIM_SKIP_REGISTRY_TESTS=1 to skip the registry tests");
    }
    owner = context.getUniqueId();
    dir = Files.createTempDirectory("aim-registry-");
    port = freePort();
    StringBuilder config =
        new StringBuilder()
            .append("version: 0.1\n")
            .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
            .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
            .append("  delete:\n    enabled: true\n")
            .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
            .append("  secret: aim-orchestrator-tests\n");
    if (user != null) {
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      // Cost 4 (the minimum) keeps every authenticated request fast.
      String hash = OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, 4);
      Files.writeString(dir.resolve("htpasswd"), user + ":" + hash + "\n");
      config.append("auth:\n  htpasswd:\n    realm: aim-tests\n    path: ").append(dir.resolve("htpasswd")).append('\n');
      // Jib refuses to send credentials over plain HTTP unless told to.
      System.setProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP, "true");
    }
    Path configFile = dir.resolve("config.yml");
    Files.writeString(configFile, config);
    process =
        new ProcessBuilder(BINARY.toString(), "serve", configFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    try {
      await("registry on 127.0.0.1:" + port)
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(() -> {
            int code = http.send(HttpRequest.newBuilder(uri("/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return code == 200 || code == 401;
          });
    } catch (RuntimeException e) {
      throw new IllegalStateException("docker-registry did not start; its log:\n" + log(), e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (!context.getUniqueId().equals(owner)) {
      return;
    }
    owner = null;
    if (process != null) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** {@code 127.0.0.1:<port>}: the registry host images on it are named with. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** {@code http://127.0.0.1:<port>}: the base URL a mirror entry points at. */
  public String baseUrl() {
    return "http://" + host();
  }

  /**
   * Builds an image from scratch with these labels and pushes it as {@code <host>/<repository>:<tag>}. The tag is
   * added as label {@code test.tag}, so every tag has its own manifest digest.
   */
  public void push(String repository, String tag, Map<String, String> labels) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.put("test.tag", tag);
    try {
      RegistryImage target = RegistryImage.named(host() + "/" + repository + ":" + tag);
      if (user != null) {
        target.addCredential(user, password);
      }
      Jib.fromScratch()
          .setLabels(all)
          .setCreationTime(Instant.EPOCH)
          .containerize(
              Containerizer.to(target)
                  .setAllowInsecureRegistries(true)
                  .setBaseImageLayersCache(dir.resolve("jib-cache"))
                  .setApplicationLayersCache(dir.resolve("jib-cache")));
    } catch (Exception e) {
      throw new IllegalStateException("could not push " + repository + ":" + tag, e);
    }
  }

  /**
   * Pushes an OCI image index {@code <repository>:<tag>} over images already in the registry, one per platform
   * ({@code "linux/arm64" → "<tag of the image>"}).
   */
  public void pushIndex(String repository, String tag, Map<String, String> platformToTag) {
    ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", RegistryClient.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    platformToTag.forEach((platform, sourceTag) -> {
      HttpResponse<byte[]> m = send(request("/v2/" + repository + "/manifests/" + sourceTag).header("Accept", RegistryClient.DOCKER_MANIFEST).GET());
      ObjectNode entry = manifests.addObject();
      entry.put("mediaType", m.headers().firstValue("Content-Type").orElseThrow());
      entry.put("digest", m.headers().firstValue("Docker-Content-Digest").orElseThrow());
      entry.put("size", m.body().length);
      entry.putObject("platform").put("os", platform.split("/")[0]).put("architecture", platform.split("/")[1]);
    });
    try {
      HttpResponse<byte[]> put =
          send(
              request("/v2/" + repository + "/manifests/" + tag)
                  .header("Content-Type", RegistryClient.OCI_INDEX)
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(index))));
      if (put.statusCode() != 201) {
        throw new IllegalStateException("index push failed: HTTP " + put.statusCode() + " " + new String(put.body(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a tag's manifest (and with it every tag that points to it). */
  public void delete(String repository, String tag) {
    HttpResponse<byte[]> m = send(request("/v2/" + repository + "/manifests/" + tag).header("Accept", RegistryClient.DOCKER_MANIFEST).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    String digest = m.headers().firstValue("Docker-Content-Digest").orElseThrow();
    HttpResponse<byte[]> deleted = send(request("/v2/" + repository + "/manifests/" + digest).DELETE());
    if (deleted.statusCode() != 202) {
      throw new IllegalStateException("delete failed: HTTP " + deleted.statusCode());
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return b;
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create(baseUrl() + path);
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("registry.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
