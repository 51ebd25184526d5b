package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The simulator addresses InferenceServices by group/version/plural, so it also works on a mock
 * server that never saw KServe's CRD (then the caller needs a ResourceDefinitionContext as well).
 */
@EnableKubernetesMockClient(crud = true)
class InferenceServiceWithoutCrdTest {

  static KubernetesClient client;

  @Test
  void becomesReadyWithoutRegisteredCrd() {
    var isvcs = client.genericKubernetesResources(InferenceServiceController.CONTEXT);
    try (ClusterSimulator sim =
        ClusterSimulator.start(client, new SimulatorOptions(1, "MI300X", Duration.ZERO))) {
      isvcs.resource(InferenceServiceControllerTest.isvc("no-crd", "plain", 1, "aim:1")).create();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  InferenceServiceControllerTest.readyAt(
                      isvcs.inNamespace("no-crd").withName("plain").get(), 1));
    }
    GenericKubernetesResource ready = isvcs.inNamespace("no-crd").withName("plain").get();
    assertThat((String) ready.get("status", "url"))
        .isEqualTo("http://plain.no-crd.svc.cluster.local");
    assertThat(
            client
                .pods()
                .inNamespace("no-crd")
                .withLabel("serving.kserve.io/inferenceservice", "plain")
                .list()
                .getItems())
        .hasSize(1);
  }
}
