package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * InferenceServices on a mock server that knows KServe's CRD (with the status subresource), as the
 * dev mode would register it.
 */
@EnableKubernetesMockClient(crud = true)
class InferenceServiceControllerTest {

  static KubernetesClient client;

  private ClusterSimulator sim;

  @BeforeAll
  static void registerKserveCrd() {
    client.resource(inferenceServiceCrd()).create();
  }

  /** A trimmed KServe CRD: any fields, status subresource on, as KServe ships it. */
  static CustomResourceDefinition inferenceServiceCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("inferenceservices.serving.kserve.io")
        .endMetadata()
        .withNewSpec()
        .withGroup("serving.kserve.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("InferenceService")
        .withListKind("InferenceServiceList")
        .withPlural("inferenceservices")
        .withSingular("inferenceservice")
        .withShortNames("isvc")
        .endNames()
        .addNewVersion()
        .withName("v1beta1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .withNewSubresources()
        .withNewStatus()
        .endStatus()
        .endSubresources()
        .endVersion()
        .endSpec()
        .build();
  }

  @BeforeEach
  void startSimulator() {
    sim = ClusterSimulator.start(client, new SimulatorOptions(2, "MI300X", Duration.ofMillis(50)));
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  static MixedOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>> isvcs() {
    // With the CRD registered, lookup by apiVersion and kind works too (the mock serves discovery).
    return client.genericKubernetesResources("serving.kserve.io/v1beta1", "InferenceService");
  }

  static GenericKubernetesResource isvc(String ns, String name, int minReplicas, String image) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("serving.kserve.io/v1beta1")
        .withKind("InferenceService")
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .addToLabels("aim.eai.amd.com/service", "qwen3-chat")
        .endMetadata()
        .addToAdditionalProperties(
            "spec",
            Map.of(
                "predictor",
                Map.of(
                    "minReplicas",
                    minReplicas,
                    "maxReplicas",
                    minReplicas,
                    "containers",
                    List.of(
                        Map.of(
                            "name",
                            "kserve-container",
                            "image",
                            image,
                            "ports",
                            List.of(Map.of("containerPort", 8000, "name", "http")))))))
        .build();
  }

  static boolean readyAt(GenericKubernetesResource isvc, long generation) {
    if (isvc == null) {
      return false;
    }
    Object observed = isvc.get("status", "observedGeneration");
    Object conditions = isvc.get("status", "conditions");
    return observed instanceof Number n
        && n.longValue() == generation
        && conditions instanceof List<?> list
        && list.stream()
            .anyMatch(
                c ->
                    c instanceof Map<?, ?> m
                        && "Ready".equals(m.get("type"))
                        && "True".equals(m.get("status")));
  }

  static List<Pod> predictorPods(String ns, String name) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel("serving.kserve.io/inferenceservice", name)
        .list()
        .getItems();
  }

  @Test
  void inferenceServiceGetsPredictorPodsAndBecomesReady() {
    isvcs().resource(isvc("isvc-a", "qwen3-chat-a04542d9", 2, "aim:0.8.5")).create();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> readyAt(isvcs().inNamespace("isvc-a").withName("qwen3-chat-a04542d9").get(), 1));

    GenericKubernetesResource ready =
        isvcs().inNamespace("isvc-a").withName("qwen3-chat-a04542d9").get();
    assertThat((String) ready.get("status", "url"))
        .isEqualTo("http://qwen3-chat-a04542d9.isvc-a.svc.cluster.local");
    assertThat((String) ready.get("status", "address", "url")).startsWith("http://");
    List<Map<String, Object>> conditions = ready.get("status", "conditions");
    assertThat(conditions)
        .filteredOn(c -> "True".equals(c.get("status")))
        .extracting(c -> c.get("type"))
        .contains("IngressReady", "PredictorReady", "Ready");
    assertThat(conditions).allSatisfy(c -> assertThat(c.get("lastTransitionTime")).isNotNull());
    assertThat((String) ready.get("status", "modelStatus", "states", "activeModelState"))
        .isEqualTo("Loaded");
    assertThat((String) ready.get("status", "modelStatus", "states", "targetModelState"))
        .isEqualTo("Loaded");
    assertThat((String) ready.get("status", "modelStatus", "transitionStatus"))
        .isEqualTo("UpToDate");

    List<Pod> pods = predictorPods("isvc-a", "qwen3-chat-a04542d9");
    assertThat(pods)
        .hasSize(2)
        .allSatisfy(
            p -> {
              assertThat(p.getMetadata().getName())
                  .matches("qwen3-chat-a04542d9-predictor-[0-9a-f]{10}-[a-z]{5}");
              assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              assertThat(p.getStatus().getContainerStatuses())
                  .singleElement()
                  .satisfies(c -> assertThat(c.getReady()).isTrue());
              assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("aim:0.8.5");
              assertThat(p.getMetadata().getLabels())
                  .containsEntry("aim.eai.amd.com/service", "qwen3-chat");
            });
    assertThat(pods).extracting(p -> p.getSpec().getNodeName()).doesNotHaveDuplicates();
    assertThat(
            client.services().inNamespace("isvc-a").withName("qwen3-chat-a04542d9-predictor").get())
        .isNotNull();

    // Its own status write must not make it react again.
    String version = ready.getMetadata().getResourceVersion();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                version.equals(
                    isvcs()
                        .inNamespace("isvc-a")
                        .withName("qwen3-chat-a04542d9")
                        .get()
                        .getMetadata()
                        .getResourceVersion()));
    assertThat(predictorPods("isvc-a", "qwen3-chat-a04542d9")).hasSize(2);
  }

  @Test
  void specChangeIsObservedAgainAndPodsAreReplaced() {
    isvcs().resource(isvc("isvc-b", "svc", 1, "aim:0.8.4")).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> readyAt(isvcs().inNamespace("isvc-b").withName("svc").get(), 1));
    String firstPod = predictorPods("isvc-b", "svc").get(0).getMetadata().getName();

    GenericKubernetesResource changed = isvcs().inNamespace("isvc-b").withName("svc").get();
    changed.setAdditionalProperty("spec", isvc("isvc-b", "svc", 1, "aim:0.8.5").get("spec"));
    GenericKubernetesResource updated = isvcs().resource(changed).update();
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> readyAt(isvcs().inNamespace("isvc-b").withName("svc").get(), 2));
    assertThat(predictorPods("isvc-b", "svc"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getMetadata().getName()).isNotEqualTo(firstPod);
              assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("aim:0.8.5");
            });
  }

  @Test
  void inferenceServiceBeingDeletedIsNotTouched() {
    GenericKubernetesResource doomed = isvc("isvc-c", "doomed", 1, "aim:0.8.5");
    doomed.getMetadata().setFinalizers(List.of("test.dev/hold"));
    isvcs().resource(doomed).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> readyAt(isvcs().inNamespace("isvc-c").withName("doomed").get(), 1));

    // Delete (kept by the finalizer) and make it look unready again: a live one would be fixed.
    isvcs().inNamespace("isvc-c").withName("doomed").delete();
    GenericKubernetesResource deleting = isvcs().inNamespace("isvc-c").withName("doomed").get();
    assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
    deleting.setAdditionalProperty("status", Map.of("observedGeneration", 0));
    String version =
        isvcs()
            .inNamespace("isvc-c")
            .resource(deleting)
            .updateStatus()
            .getMetadata()
            .getResourceVersion();

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                version.equals(
                    isvcs()
                        .inNamespace("isvc-c")
                        .withName("doomed")
                        .get()
                        .getMetadata()
                        .getResourceVersion()));
  }
}
