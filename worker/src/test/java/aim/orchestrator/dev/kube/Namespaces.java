package aim.orchestrator.dev.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Test helper: the dev API requires namespaces to exist, as a real cluster does. */
final class Namespaces {

  private Namespaces() {}

  /** Creates the namespaces through the API. */
  static void create(DevKubernetesApi api, String... names) {
    try (KubernetesClient client = api.newClient()) {
      for (String name : names) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
      }
    }
  }
}
