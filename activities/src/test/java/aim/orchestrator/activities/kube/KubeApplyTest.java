package aim.orchestrator.activities.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.model.AIMModel;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request server-side apply sends. No API server that implements it can run here, so this only
 * checks the request (field manager, content type, no force); the create-or-merge-patch path is
 * exercised against the CRUD mock by every other activity test.
 */
class KubeApplyTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void startServer() {
    server = new KubernetesMockServer(false);
    server.init();
    client =
        server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  RecordedRequest lastRequestAfter(Runnable apply) throws InterruptedException {
    // Nothing is expected, so the server answers 404; the request is what matters.
    assertThatThrownBy(apply::run).isInstanceOf(KubernetesClientException.class);
    return server.getLastRequest();
  }

  @Test
  void serverSideApplyOfAnAimObjectUsesOurFieldManagerWithoutForce() throws InterruptedException {
    Kube kube = new Kube(client, ApplyMode.SERVER_SIDE);
    AIMModel model = Fixtures.model(Fixtures.NS, "qwen3", Fixtures.IMAGE, null);

    RecordedRequest request = lastRequestAfter(() -> kube.apply(model));

    assertThat(request.getMethod()).isEqualTo("PATCH");
    assertThat(request.getPath())
        .startsWith("/apis/aim.eai.amd.com/v1alpha1/namespaces/ml-team/aimmodels/qwen3?")
        .contains("fieldManager=aim-orchestrator")
        .doesNotContain("force=true");
    assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
  }

  @Test
  void serverSideApplyOfAnInferenceServiceUsesOurFieldManagerWithoutForce()
      throws InterruptedException {
    Kube kube = new Kube(client, ApplyMode.SERVER_SIDE);
    GenericKubernetesResource isvc = new GenericKubernetesResource();
    isvc.setApiVersion("serving.kserve.io/v1beta1");
    isvc.setKind("InferenceService");
    isvc.setMetadata(
        new ObjectMetaBuilder().withName("qwen3-chat-a04542d9").withNamespace(Fixtures.NS).build());
    isvc.setAdditionalProperty("spec", Map.of("predictor", Map.of()));

    RecordedRequest request = lastRequestAfter(() -> kube.applyInferenceService(isvc));

    assertThat(request.getMethod()).isEqualTo("PATCH");
    assertThat(request.getPath())
        .startsWith(
            "/apis/serving.kserve.io/v1beta1/namespaces/ml-team/inferenceservices/qwen3-chat-a04542d9?")
        .contains("fieldManager=aim-orchestrator")
        .doesNotContain("force=true");
    assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
  }

  @Test
  void createOrMergePatchCreatesFirst() throws InterruptedException {
    Kube kube = new Kube(client, ApplyMode.CREATE_OR_MERGE_PATCH);

    RecordedRequest request =
        lastRequestAfter(
            () -> kube.apply(Fixtures.model(Fixtures.NS, "qwen3", Fixtures.IMAGE, null)));

    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath())
        .isEqualTo("/apis/aim.eai.amd.com/v1alpha1/namespaces/ml-team/aimmodels");
  }
}
