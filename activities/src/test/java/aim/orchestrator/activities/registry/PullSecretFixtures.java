package aim.orchestrator.activities.registry;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Image pull secrets for tests, in the shapes kubectl writes. */
public final class PullSecretFixtures {
  private PullSecretFixtures() {}

  public static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A {@code kubernetes.io/dockerconfigjson} secret, as {@code kubectl create secret docker-registry} writes it. */
  public static Secret dockerConfigJson(String name, String registry, String user, String password) {
    String json =
        "{\"auths\":{\"" + registry + "\":{\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"auth\":\""
            + base64(user + ":" + password) + "\"}}}";
    return new SecretBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withType("kubernetes.io/dockerconfigjson")
        .addToData(".dockerconfigjson", base64(json))
        .build();
  }

  /** A legacy {@code kubernetes.io/dockercfg} secret with this JSON. */
  public static Secret dockerCfg(String name, String json) {
    return new SecretBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withType("kubernetes.io/dockercfg")
        .addToData(".dockercfg", base64(json))
        .build();
  }
}
