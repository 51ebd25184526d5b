package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema validation, pruning, defaulting and status subresource semantics, through a real fabric8
 * client.
 */
class DevKubernetesApiValidationTest {

  private static final ResourceDefinitionContext AIM_SERVICE =
      new ResourceDefinitionContext.Builder()
          .withGroup("aim.eai.amd.com")
          .withVersion("v1alpha1")
          .withKind("AIMService")
          .withPlural("aimservices")
          .withNamespaced(true)
          .build();
  private static final ResourceDefinitionContext INFERENCE_SERVICE =
      new ResourceDefinitionContext.Builder()
          .withGroup("serving.kserve.io")
          .withVersion("v1beta1")
          .withKind("InferenceService")
          .withPlural("inferenceservices")
          .withNamespaced(true)
          .build();

  private static DevKubernetesApi api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = DevKubernetesApi.start(0);
    client = api.newClient();
    Namespaces.create(
        api,
        "v-enum",
        "v-required",
        "v-many",
        "v-valid",
        "v-name",
        "v-status",
        "v-patch",
        "v-rv",
        "v-final",
        "v-dev",
        "v-crd");
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private static MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      services() {
    return client.genericKubernetesResources(AIM_SERVICE);
  }

  private static GenericKubernetesResource service(
      String namespace, String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("aim.eai.amd.com/v1alpha1")
        .withKind("AIMService")
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  @Test
  void wrongEnumValueIsRejectedWith422NamingTheFieldAndNothingIsCreated() {
    GenericKubernetesResource svc =
        service(
            "v-enum",
            "chat",
            Map.of("model", Map.of("name", "llama"), "caching", Map.of("mode", "Sometimes")));

    assertThatThrownBy(() -> services().inNamespace("v-enum").resource(svc).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              Status status = e.getStatus();
              assertThat(status.getKind()).isEqualTo("Status");
              assertThat(status.getStatus()).isEqualTo("Failure");
              assertThat(status.getReason()).isEqualTo("Invalid");
              assertThat(status.getCode()).isEqualTo(422);
              assertThat(status.getMessage())
                  .isEqualTo(
                      "AIMService.aim.eai.amd.com \"chat\" is invalid: spec.caching.mode:"
                          + " Unsupported value: \"Sometimes\": supported values: \"Always\","
                          + " \"Auto\", \"Dedicated\", \"Never\", \"Shared\"");
              assertThat(status.getDetails().getName()).isEqualTo("chat");
              assertThat(status.getDetails().getGroup()).isEqualTo("aim.eai.amd.com");
              assertThat(status.getDetails().getKind()).isEqualTo("AIMService");
              assertThat(status.getDetails().getCauses())
                  .singleElement()
                  .satisfies(
                      cause -> {
                        assertThat(cause.getField()).isEqualTo("spec.caching.mode");
                        assertThat(cause.getReason()).isEqualTo("FieldValueNotSupported");
                        assertThat(cause.getMessage())
                            .startsWith("Unsupported value: \"Sometimes\"");
                      });
            });
    assertThat(services().inNamespace("v-enum").list().getItems()).isEmpty();
  }

  @Test
  void missingRequiredFieldIsRejectedWith422NamingTheFieldAndNothingIsCreated() {
    GenericKubernetesResource svc = service("v-required", "no-model", Map.of("replicas", 1));

    assertThatThrownBy(() -> services().inNamespace("v-required").resource(svc).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getMessage())
                  .isEqualTo(
                      "AIMService.aim.eai.amd.com \"no-model\" is invalid: spec.model: Required"
                          + " value");
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(StatusCause::getField, StatusCause::getReason)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple("spec.model", "FieldValueRequired"));
            });
    assertThat(services().inNamespace("v-required").withName("no-model").get()).isNull();
  }

  @Test
  void severalViolationsAreAllReported() {
    GenericKubernetesResource svc =
        service(
            "v-many",
            "many",
            Map.of("model", Map.of("name", "llama"), "minReplicas", 0, "replicas", "two"));

    assertThatThrownBy(() -> services().inNamespace("v-many").resource(svc).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(StatusCause::getField)
                  .containsExactlyInAnyOrder("spec.minReplicas", "spec.replicas");
              assertThat(e.getStatus().getMessage())
                  .contains(
                      "spec.minReplicas: Invalid value: 0: spec.minReplicas in body should be"
                          + " greater than or equal to 1")
                  .contains(
                      "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of"
                          + " type integer");
            });
  }

  @Test
  void validCreateWorksAndIsPrunedAndDefaultedLikeOnARealServer() {
    GenericKubernetesResource svc =
        service(
            "v-valid",
            "chat",
            Map.of("model", Map.of("name", "llama"), "caching", Map.of(), "colour", "blue"));
    svc.setAdditionalProperty("status", Map.of("status", "Running"));

    GenericKubernetesResource created = services().inNamespace("v-valid").resource(svc).create();

    Map<String, Object> spec = created.get("spec");
    assertThat(spec).doesNotContainKey("colour"); // unknown field pruned
    assertThat(created.<String>get("spec", "caching", "mode"))
        .isEqualTo("Shared"); // schema default
    assertThat(created.<Integer>get("spec", "replicas")).isEqualTo(1); // schema default
    assertThat(created.getAdditionalProperties())
        .doesNotContainKey("status"); // status subresource: dropped
    GenericKubernetesResource stored = services().inNamespace("v-valid").withName("chat").get();
    assertThat(stored.<String>get("spec", "model", "name")).isEqualTo("llama");
    assertThat(stored.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void invalidNameIsRejected() {
    GenericKubernetesResource svc =
        service("v-name", "Not_A_DNS_Name", Map.of("model", Map.of("name", "x")));

    assertThatThrownBy(() -> services().inNamespace("v-name").resource(svc).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(StatusCause::getField)
                  .containsExactly("metadata.name");
            });
  }

  @Test
  void statusSubresourceUpdatesOnlyStatusAndMainUpdatesLeaveStatusAlone() {
    services()
        .inNamespace("v-status")
        .resource(service("v-status", "chat", Map.of("model", Map.of("name", "m"))))
        .create();
    Resource<GenericKubernetesResource> chat = services().inNamespace("v-status").withName("chat");

    // PUT .../status
    GenericKubernetesResource current = chat.get();
    current.setAdditionalProperty("status", Map.of("status", "Pending", "observedGeneration", 1));
    current.setAdditionalProperty(
        "spec", Map.of("model", Map.of("name", "ignored-through-status")));
    GenericKubernetesResource afterPut =
        services().inNamespace("v-status").resource(current).updateStatus();
    assertThat(afterPut.<String>get("status", "status")).isEqualTo("Pending");
    assertThat(chat.get().<String>get("spec", "model", "name")).isEqualTo("m");

    // PATCH .../status with a JSON merge patch
    chat.subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"status\":\"Running\",\"replicas\":{}}}");
    GenericKubernetesResource afterPatch = chat.get();
    assertThat(afterPatch.<String>get("status", "status")).isEqualTo("Running");
    assertThat(afterPatch.<Integer>get("status", "observedGeneration")).isEqualTo(1);
    assertThat(afterPatch.<Object>get("status", "replicas"))
        .as("unknown status field pruned")
        .isNull();

    // a main-resource update cannot touch status, but bumps generation on a spec change
    GenericKubernetesResource edited = chat.get();
    long generation = edited.getMetadata().getGeneration();
    edited.setAdditionalProperty("spec", Map.of("model", Map.of("name", "m"), "replicas", 2));
    edited.setAdditionalProperty("status", Map.of("status", "Failed"));
    GenericKubernetesResource afterUpdate =
        services().inNamespace("v-status").resource(edited).update();
    assertThat(afterUpdate.<String>get("status", "status")).isEqualTo("Running");
    assertThat(chat.get().<Integer>get("spec", "replicas")).isEqualTo(2);
    assertThat(chat.get().getMetadata().getGeneration()).isGreaterThan(generation);

    // an invalid status is rejected too
    assertThatThrownBy(
            () ->
                chat.subresource("status")
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"status\":{\"cache\":{\"templateCacheRef\":{\"scope\":\"Galaxy\"}}}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(StatusCause::getField)
                  .containsExactly("status.cache.templateCacheRef.scope");
            });
  }

  @Test
  void patchesAreValidatedAgainstThePatchedObject() {
    services()
        .inNamespace("v-patch")
        .resource(service("v-patch", "chat", Map.of("model", Map.of("name", "m"))))
        .create();
    Resource<GenericKubernetesResource> chat = services().inNamespace("v-patch").withName("chat");

    assertThatThrownBy(
            () ->
                chat.patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"caching\":{\"mode\":\"Sometimes\"}}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(StatusCause::getField)
                  .containsExactly("spec.caching.mode");
            });
    assertThatThrownBy(
            () -> chat.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"model\":null}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> assertThat(e.getStatus().getMessage()).endsWith("spec.model: Required value"));
    assertThat(chat.get().<Object>get("spec", "caching")).isNull();

    chat.patch(
        PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"caching\":{\"mode\":\"Dedicated\"}}}");
    assertThat(chat.get().<String>get("spec", "caching", "mode")).isEqualTo("Dedicated");

    chat.patch(
        PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\"," + "\"value\":3}]");
    assertThat(chat.get().<Integer>get("spec", "replicas")).isEqualTo(3);

    // a strategic merge patch on a custom resource is applied as a JSON merge patch
    chat.patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"replicas\":4}}");
    assertThat(chat.get().<Integer>get("spec", "replicas")).isEqualTo(4);
    assertThat(chat.get().<String>get("spec", "caching", "mode")).isEqualTo("Dedicated");
  }

  @Test
  void updateWithoutResourceVersionAndStaleUpdatesAreRejectedLikeOnARealServer() throws Exception {
    services()
        .inNamespace("v-rv")
        .resource(service("v-rv", "chat", Map.of("model", Map.of("name", "m"))))
        .create();
    GenericKubernetesResource stale = services().inNamespace("v-rv").withName("chat").get();
    services()
        .inNamespace("v-rv")
        .withName("chat")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");

    stale.setAdditionalProperty("spec", Map.of("model", Map.of("name", "m"), "replicas", 3));
    assertThatThrownBy(() -> services().inNamespace("v-rv").resource(stale).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
            });

    stale.getMetadata().setResourceVersion(null);
    HttpResponse<String> withoutVersion =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            api.url()
                                + "/apis/aim.eai.amd.com/v1alpha1"
                                + "/namespaces/v-rv/aimservices/chat"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(Serialization.asJson(stale)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(withoutVersion.statusCode()).isEqualTo(422);
    assertThat(withoutVersion.body())
        .contains(
            "metadata.resourceVersion: Invalid value: 0x0: must be specified" + " for an update");

    assertThatThrownBy(
            () ->
                services()
                    .inNamespace("v-rv")
                    .resource(service("v-rv", "chat", Map.of("model", Map.of("name", "m"))))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
            });
  }

  @Test
  void finalizersHoldADeletedObjectUntilAPatchRemovesThem() {
    GenericKubernetesResource svc =
        service("v-final", "held", Map.of("model", Map.of("name", "m")));
    svc.getMetadata().setFinalizers(List.of("aim.eai.amd.com/cleanup"));
    services().inNamespace("v-final").resource(svc).create();
    Resource<GenericKubernetesResource> held = services().inNamespace("v-final").withName("held");

    held.delete();
    assertThat(held.get().getMetadata().getDeletionTimestamp()).isNotBlank();

    held.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
    assertThat(held.get()).isNull();
  }

  @Test
  void devCrdsAcceptAnySpecAndStatus() {
    GenericKubernetesResource isvc =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("serving.kserve.io/v1beta1")
            .withKind("InferenceService")
            .withNewMetadata()
            .withName("chat")
            .withNamespace("v-dev")
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec",
                    Map.of(
                        "predictor",
                        Map.of(
                            "model",
                            Map.of(
                                "modelFormat",
                                Map.of("name", "vllm"),
                                "storageUri",
                                "pvc://cache/llama")))))
            .build();
    Resource<GenericKubernetesResource> resource =
        client.genericKubernetesResources(INFERENCE_SERVICE).inNamespace("v-dev").resource(isvc);

    resource.create();
    resource
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"url\":\"http://chat.v-dev\","
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");

    GenericKubernetesResource stored =
        client
            .genericKubernetesResources(INFERENCE_SERVICE)
            .inNamespace("v-dev")
            .withName("chat")
            .get();
    assertThat(stored.<String>get("spec", "predictor", "model", "storageUri"))
        .isEqualTo("pvc://cache/llama");
    assertThat(stored.<String>get("status", "url")).isEqualTo("http://chat.v-dev");
    assertThat(client.getApiGroups().getGroups())
        .extracting(g -> g.getName())
        .contains("serving.kserve.io", "gateway.networking.k8s.io", "keda.sh");
    assertThat(client.getApiResources("keda.sh/v1alpha1").getResources())
        .anySatisfy(r -> assertThat(r.getName()).isEqualTo("scaledobjects"));
  }

  @Test
  void aCrdAddedAtRuntimeBecomesDiscoverableAndValidated() {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName("widgets.example.dev")
            .endMetadata()
            .withNewSpec()
            .withGroup("example.dev")
            .withScope("Namespaced")
            .withNewNames()
            .withKind("Widget")
            .withPlural("widgets")
            .withSingular("widget")
            .withShortNames("wdg")
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withOpenAPIV3Schema(
                new JSONSchemaPropsBuilder()
                    .withType("object")
                    .addToProperties(
                        "spec",
                        new JSONSchemaPropsBuilder()
                            .withType("object")
                            .withRequired("size")
                            .addToProperties(
                                "size",
                                new JSONSchemaPropsBuilder()
                                    .withType("integer")
                                    .withMaximum(10.0)
                                    .build())
                            .build())
                    .build())
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();

    assertThat(client.getApiResources("example.dev/v1").getResources())
        .anySatisfy(
            r -> {
              assertThat(r.getName()).isEqualTo("widgets");
              assertThat(r.getShortNames()).containsExactly("wdg");
            });
    ResourceDefinitionContext widgets =
        new ResourceDefinitionContext.Builder()
            .withGroup("example.dev")
            .withVersion("v1")
            .withKind("Widget")
            .withPlural("widgets")
            .withNamespaced(true)
            .build();
    GenericKubernetesResource big =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("example.dev/v1")
            .withKind("Widget")
            .withNewMetadata()
            .withName("big")
            .withNamespace("v-crd")
            .endMetadata()
            .withAdditionalProperties(Map.of("spec", Map.of("size", 11)))
            .build();
    assertThatThrownBy(
            () ->
                client
                    .genericKubernetesResources(widgets)
                    .inNamespace("v-crd")
                    .resource(big)
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e ->
                assertThat(e.getStatus().getMessage())
                    .isEqualTo(
                        "Widget.example.dev \"big\" is invalid: spec.size: Invalid value: 11:"
                            + " spec.size in body should be less than or equal to 10"));
  }

  @Test
  void writtenKubeconfigWorksWithFabric8(@TempDir Path dir) throws Exception {
    Path file = api.writeKubeconfig(dir.resolve("nested/kubeconfig"));

    Config config = Config.fromKubeconfig(Files.readString(file));
    try (KubernetesClient fromFile = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThat(config.getCurrentContext().getName()).isEqualTo("aim-dev");
      assertThat(config.getMasterUrl()).startsWith(api.url());
      assertThat(fromFile.getKubernetesVersion().getGitVersion()).isEqualTo("v1.31.0");
      assertThat(fromFile.namespaces().list().getItems())
          .extracting(n -> n.getMetadata().getName())
          .contains("default", "kube-system");
    }
    assertThat(api.url()).isEqualTo("http://127.0.0.1:" + api.port());
    assertThat(List.of(api.port())).allMatch(p -> p > 0);
  }
}
