package aim.orchestrator.activities.registry;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How the worker reaches container registries.
 *
 * @param insecureRegistries registry hosts ({@code host[:port]}) spoken to over plain HTTP; loopback hosts
 *     ({@code localhost}, {@code 127.*}, {@code [::1]}) always are
 * @param mirrors registry host → base URL that serves it instead, e.g. {@code docker.io → http://127.0.0.1:5000};
 *     credentials are still those of the registry host
 * @param dockerHubApi base URL of the Docker Hub API that lists a namespace's repositories
 * @param githubApi base URL of the GitHub API that lists an organisation's container packages
 * @param operatorNamespace where the pull secrets of cluster-scoped objects (AIMClusterModel, AIMClusterModelSource)
 *     live
 * @param timeout connect and per-request timeout
 */
public record RegistrySettings(
    Set<String> insecureRegistries,
    Map<String, String> mirrors,
    URI dockerHubApi,
    URI githubApi,
    String operatorNamespace,
    Duration timeout) {

  public static final String DOCKER_HUB = "docker.io";
  public static final String DOCKER_HUB_ENDPOINT = "https://registry-1.docker.io";
  public static final URI DEFAULT_DOCKER_HUB_API = URI.create("https://hub.docker.com");
  public static final URI DEFAULT_GITHUB_API = URI.create("https://api.github.com");
  public static final String DEFAULT_OPERATOR_NAMESPACE = "aim-system";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final Set<String> DOCKER_HUB_ALIASES = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

  public RegistrySettings {
    insecureRegistries =
        insecureRegistries == null
            ? Set.of()
            : insecureRegistries.stream().map(RegistrySettings::host).collect(Collectors.toUnmodifiableSet());
    Map<String, String> normalized = new TreeMap<>();
    if (mirrors != null) {
      mirrors.forEach((k, v) -> normalized.put(host(k), v.endsWith("/") ? v.substring(0, v.length() - 1) : v));
    }
    mirrors = Map.copyOf(normalized);
    dockerHubApi = dockerHubApi == null ? DEFAULT_DOCKER_HUB_API : dockerHubApi;
    githubApi = githubApi == null ? DEFAULT_GITHUB_API : githubApi;
    operatorNamespace = operatorNamespace == null || operatorNamespace.isBlank() ? DEFAULT_OPERATOR_NAMESPACE : operatorNamespace;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** Public registries over HTTPS, the public listing APIs, pull secrets of cluster objects in {@code aim-system}. */
  public static RegistrySettings defaults() {
    return new RegistrySettings(Set.of(), Map.of(), null, null, null, null);
  }

  /** These settings with one more mirror. */
  public RegistrySettings withMirror(String registry, String baseUrl) {
    Map<String, String> m = new TreeMap<>(mirrors);
    m.put(registry, baseUrl);
    return new RegistrySettings(insecureRegistries, m, dockerHubApi, githubApi, operatorNamespace, timeout);
  }

  /**
   * The canonical form of a registry host as images and pull secrets write it: scheme, path and trailing slash
   * dropped, lower case, Docker Hub's aliases ({@code index.docker.io}, {@code registry-1.docker.io},
   * {@code https://index.docker.io/v1/}) folded into {@code docker.io}.
   */
  public static String host(String registry) {
    String h = registry.trim().toLowerCase(Locale.ROOT);
    int scheme = h.indexOf("://");
    if (scheme >= 0) {
      h = h.substring(scheme + 3);
    }
    int slash = h.indexOf('/');
    if (slash >= 0) {
      h = h.substring(0, slash);
    }
    return DOCKER_HUB_ALIASES.contains(h) ? DOCKER_HUB : h;
  }

  /** The base URL the registry API v2 of this registry host is reached at (without {@code /v2/}). */
  public String endpoint(String registry) {
    String h = host(registry);
    String mirror = mirrors.get(h);
    if (mirror != null) {
      return mirror;
    }
    if (DOCKER_HUB.equals(h)) {
      return DOCKER_HUB_ENDPOINT;
    }
    return (plainHttp(h) ? "http://" : "https://") + h;
  }

  private boolean plainHttp(String h) {
    if (insecureRegistries.contains(h)) {
      return true;
    }
    String name = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.split(":", 2)[0];
    return List.of("localhost", "[::1]").contains(name) || name.startsWith("127.");
  }
}
