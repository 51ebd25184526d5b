package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code pods/log} answers from the simulator's log annotation, as {@code kubectl logs} and fabric8 read it. */
class DevKubernetesApiPodLogTest {
  private static DevKubernetesApi api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = DevKubernetesApi.start(0);
    client = api.newClient();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("logs").endMetadata().build()).create();
    client
        .pods()
        .inNamespace("logs")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("download-abc12")
                .addToAnnotations("sim.dev.aim/log.model-download", "fetching config.json\nfetching model.safetensors\ndone\n")
                .addToAnnotations("sim.dev.aim/log.sidecar", "sidecar up\n")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("model-download")
                .withImage("x")
                .endContainer()
                .addNewContainer()
                .withName("sidecar")
                .withImage("y")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  @Test
  void readsTheFirstContainersLogByDefault() {
    assertThat(client.pods().inNamespace("logs").withName("download-abc12").getLog())
        .isEqualTo("fetching config.json\nfetching model.safetensors\ndone\n");
  }

  @Test
  void readsANamedContainerAndTails() {
    assertThat(client.pods().inNamespace("logs").withName("download-abc12").inContainer("sidecar").getLog()).isEqualTo("sidecar up\n");
    assertThat(client.pods().inNamespace("logs").withName("download-abc12").inContainer("model-download").tailingLines(1).getLog())
        .isEqualTo("done\n");
  }

  @Test
  void aMissingPodIsNotFound() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> client.pods().inNamespace("logs").withName("nope").getLog())
        .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class);
  }
}
