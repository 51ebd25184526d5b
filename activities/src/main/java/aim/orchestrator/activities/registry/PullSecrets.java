package aim.orchestrator.activities.registry;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** Reads the image pull secrets an object references. Kubernetes errors propagate to the caller's error mapping. */
public final class PullSecrets {
  private PullSecrets() {}

  /**
   * The outcome of reading the referenced secrets.
   *
   * @param missing names of referenced secrets that do not exist
   * @param secrets the secrets that exist, in reference order
   */
  public record Lookup(List<String> missing, List<Secret> secrets) {
    /**
     * The credentials of the secrets that exist.
     *
     * @throws IllegalArgumentException when a secret's content cannot be read
     */
    public Keychain keychain() {
      return Keychain.fromSecrets(secrets);
    }
  }

  public static Lookup read(KubernetesClient client, String namespace, List<LocalObjectReference> references) {
    List<String> missing = new ArrayList<>();
    List<Secret> found = new ArrayList<>();
    if (references != null) {
      for (LocalObjectReference ref : references) {
        if (ref == null || ref.getName() == null || ref.getName().isEmpty()) {
          continue;
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (secret == null) {
          missing.add(ref.getName());
        } else {
          found.add(secret);
        }
      }
    }
    return new Lookup(List.copyOf(missing), List.copyOf(found));
  }
}
