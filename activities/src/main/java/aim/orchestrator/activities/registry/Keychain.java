package aim.orchestrator.activities.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry credentials from Kubernetes image pull secrets, looked up by registry host. Both secret formats work:
 * {@code kubernetes.io/dockerconfigjson} ({@code .dockerconfigjson}, entries under {@code auths}) and the legacy
 * {@code kubernetes.io/dockercfg} ({@code .dockercfg}, entries at the top level). An entry gives either
 * {@code username} and {@code password} or {@code auth} (base64 of {@code user:password}). Hosts are compared in
 * {@link RegistrySettings#host canonical form}, so {@code https://index.docker.io/v1/} serves {@code docker.io}. The
 * first secret that has an entry for a host wins, in the order the pull secrets are listed.
 */
public final class Keychain {
  public static final Keychain ANONYMOUS = new Keychain(Map.of());

  private static final Logger log = LoggerFactory.getLogger(Keychain.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCKER_CONFIG_JSON = ".dockerconfigjson";
  private static final String DOCKER_CFG = ".dockercfg";

  private final Map<String, Credential> byHost;

  private Keychain(Map<String, Credential> byHost) {
    this.byHost = Map.copyOf(byHost);
  }

  /**
   * Reads the credentials of these secrets. Secrets that are not image pull secrets are skipped.
   *
   * @throws IllegalArgumentException when a pull secret's content cannot be read (the message names the secret,
   *     never its content)
   */
  public static Keychain fromSecrets(List<Secret> secrets) {
    Map<String, Credential> byHost = new LinkedHashMap<>();
    for (Secret secret : secrets) {
      Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
      String name = secret.getMetadata().getName();
      if (data.containsKey(DOCKER_CONFIG_JSON)) {
        entries(name, decode(name, DOCKER_CONFIG_JSON, data.get(DOCKER_CONFIG_JSON)).path("auths"), byHost);
      } else if (data.containsKey(DOCKER_CFG)) {
        entries(name, decode(name, DOCKER_CFG, data.get(DOCKER_CFG)), byHost);
      } else {
        log.warn("secret {} has neither {} nor {}; not used for registry credentials", name, DOCKER_CONFIG_JSON, DOCKER_CFG);
      }
    }
    return new Keychain(byHost);
  }

  /** A keychain with one credential, for tests and callers that hold credentials directly. */
  public static Keychain of(String registry, Credential credential) {
    return new Keychain(Map.of(RegistrySettings.host(registry), credential));
  }

  /** The credential for a registry host, if any secret has one. */
  public Optional<Credential> forRegistry(String registry) {
    return Optional.ofNullable(byHost.get(RegistrySettings.host(registry)));
  }

  private static JsonNode decode(String secret, String key, String base64) {
    try {
      return JSON.readTree(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException | IOException e) {
      throw new IllegalArgumentException("image pull secret " + secret + ": " + key + " is not base64-encoded JSON");
    }
  }

  private static void entries(String secret, JsonNode auths, Map<String, Credential> byHost) {
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Credential c = credential(secret, e.getKey(), e.getValue());
      if (c != null) {
        byHost.putIfAbsent(RegistrySettings.host(e.getKey()), c);
      }
    }
  }

  private static Credential credential(String secret, String host, JsonNode entry) {
    String username = entry.path("username").asText("");
    String password = entry.path("password").asText("");
    if (!username.isEmpty() || !password.isEmpty()) {
      return new Credential(username, password);
    }
    String auth = entry.path("auth").asText("");
    if (auth.isEmpty()) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("image pull secret " + secret + ": the auth of " + host + " is not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("image pull secret " + secret + ": the auth of " + host + " is not user:password");
    }
    return new Credential(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  @Override
  public String toString() {
    return "Keychain" + byHost.keySet();
  }
}
