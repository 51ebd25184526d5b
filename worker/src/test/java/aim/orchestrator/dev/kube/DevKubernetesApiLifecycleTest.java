package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Object lifecycle: generation, finalizers and deletionTimestamp, garbage collection of owner
 * references (background, foreground, orphan), namespace existence and termination.
 */
class DevKubernetesApiLifecycleTest {

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
  private static final Duration GC_WAIT = Duration.ofSeconds(10);
  private static final String HOLD = "example.com/hold";

  private static DevKubernetesApi api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = DevKubernetesApi.start(0);
    client = api.newClient();
    Namespaces.create(api, "gc-bg", "gc-fg", "gc-orphan", "gc-final", "gc-multi", "life");
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

  private static Resource<GenericKubernetesResource> service(String ns, String name) {
    return client.genericKubernetesResources(AIM_SERVICE).inNamespace(ns).withName(name);
  }

  private static GenericKubernetesResource createService(String ns, String name, String... fins) {
    return client
        .genericKubernetesResources(AIM_SERVICE)
        .inNamespace(ns)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("aim.eai.amd.com/v1alpha1")
                .withKind("AIMService")
                .withNewMetadata()
                .withName(name)
                .withFinalizers(fins)
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("model", Map.of("name", "m"))))
                .build())
        .create();
  }

  private static OwnerReference ownedBy(HasMetadata owner, boolean block) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(block)
        .withBlockOwnerDeletion(block)
        .build();
  }

  private static ConfigMap createConfigMap(
      String ns, String name, List<OwnerReference> owners, String... finalizers) {
    return client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withOwnerReferences(owners)
                .withFinalizers(finalizers)
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
  }

  private static GenericKubernetesResource createInferenceService(
      String ns, String name, OwnerReference owner) {
    return client
        .genericKubernetesResources(INFERENCE_SERVICE)
        .inNamespace(ns)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("serving.kserve.io/v1beta1")
                .withKind("InferenceService")
                .withNewMetadata()
                .withName(name)
                .withOwnerReferences(owner)
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("predictor", Map.of())))
                .build())
        .create();
  }

  private static void removeFinalizers(Resource<? extends HasMetadata> resource) {
    resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
  }

  // ---------------------------------------------------------------- object semantics

  @Test
  void generationBumpsOnSpecChangesOnly() {
    createService("life", "gen");
    Resource<GenericKubernetesResource> svc = service("life", "gen");
    assertThat(svc.get().getMetadata().getGeneration()).isEqualTo(1);

    svc.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    svc.subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"status\":\"Pending\"}}");
    assertThat(svc.get().getMetadata().getGeneration()).isEqualTo(1);

    svc.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
    assertThat(svc.get().getMetadata().getGeneration()).isEqualTo(2);
  }

  @Test
  void staleUpdatesAndFailedDeletePreconditionsConflict() throws Exception {
    ConfigMap cm = createConfigMap("life", "versioned", List.of());
    client
        .configMaps()
        .inNamespace("life")
        .withName("versioned")
        .edit(
            c -> {
              c.getData().put("k", "v2");
              return c;
            });

    cm.getData().put("k", "stale");
    assertThatThrownBy(() -> client.configMaps().inNamespace("life").resource(cm).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    HttpResponse<String> delete =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(api.url() + "/api/v1/namespaces/life/configmaps/versioned"))
                    .header("Authorization", "Bearer " + api.devToken())
                    .header("Content-Type", "application/json")
                    .method(
                        "DELETE",
                        HttpRequest.BodyPublishers.ofString(
                            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                                + "\"preconditions\":{\"uid\":\"not-its-uid\"}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(409);
    assertThat(delete.body()).contains("Precondition failed: UID in precondition: not-its-uid");
    assertThat(client.configMaps().inNamespace("life").withName("versioned").get()).isNotNull();
  }

  @Test
  void anObjectBeingDeletedKeepsItsDeletionTimestampAndTakesNoNewFinalizer() {
    createService("life", "held", HOLD);
    Resource<GenericKubernetesResource> held = service("life", "held");
    held.delete();
    String deletedAt = held.get().getMetadata().getDeletionTimestamp();
    assertThat(deletedAt).isNotBlank();

    assertThatThrownBy(
            () ->
                held.patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"finalizers\":[\"" + HOLD + "\",\"example.com/more\"]}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getMessage())
                  .contains(
                      "metadata.finalizers: Forbidden: no new finalizers can be added if the"
                          + " object is being deleted");
            });
    held.patch(
        PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"deletionTimestamp\":null,\"labels\":{\"x\":\"y\"}}}");
    assertThat(held.get().getMetadata().getDeletionTimestamp()).isEqualTo(deletedAt);

    removeFinalizers(held);
    assertThat(held.get()).isNull();
  }

  // ---------------------------------------------------------------- garbage collection

  @Test
  void backgroundDeletionRemovesTheOwnerAtOnceAndItsDependentsAfter() {
    GenericKubernetesResource owner = createService("gc-bg", "owner");
    createConfigMap("gc-bg", "plain", List.of(ownedBy(owner, false)));
    createInferenceService("gc-bg", "isvc", ownedBy(owner, true));
    createConfigMap("gc-bg", "held", List.of(ownedBy(owner, true)), HOLD);
    createConfigMap("gc-bg", "unrelated", List.of());

    service("gc-bg", "owner").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();

    assertThat(service("gc-bg", "owner").get()).isNull();
    await()
        .atMost(GC_WAIT)
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().inNamespace("gc-bg").withName("plain").get()).isNull();
              assertThat(
                      client
                          .genericKubernetesResources(INFERENCE_SERVICE)
                          .inNamespace("gc-bg")
                          .withName("isvc")
                          .get())
                  .isNull();
              // a dependent's own finalizers are honoured
              assertThat(
                      client
                          .configMaps()
                          .inNamespace("gc-bg")
                          .withName("held")
                          .get()
                          .getMetadata()
                          .getDeletionTimestamp())
                  .isNotBlank();
            });
    removeFinalizers(client.configMaps().inNamespace("gc-bg").withName("held"));
    assertThat(client.configMaps().inNamespace("gc-bg").withName("held").get()).isNull();
    assertThat(client.configMaps().inNamespace("gc-bg").withName("unrelated").get()).isNotNull();
  }

  @Test
  void foregroundDeletionDeletesBlockingDependentsFirst() {
    GenericKubernetesResource owner = createService("gc-fg", "owner");
    createConfigMap("gc-fg", "blocking", List.of(ownedBy(owner, true)), HOLD);
    createConfigMap("gc-fg", "not-blocking", List.of(ownedBy(owner, false)));

    service("gc-fg", "owner").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

    await()
        .atMost(GC_WAIT)
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().inNamespace("gc-fg").withName("not-blocking").get())
                  .isNull();
              assertThat(
                      client
                          .configMaps()
                          .inNamespace("gc-fg")
                          .withName("blocking")
                          .get()
                          .getMetadata()
                          .getDeletionTimestamp())
                  .isNotBlank();
            });
    GenericKubernetesResource waiting = service("gc-fg", "owner").get();
    assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotBlank();
    assertThat(waiting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");

    removeFinalizers(client.configMaps().inNamespace("gc-fg").withName("blocking"));

    await().atMost(GC_WAIT).until(() -> service("gc-fg", "owner").get() == null);
  }

  @Test
  void orphanDeletionKeepsDependentsWithoutTheOwnerReference() {
    GenericKubernetesResource owner = createService("gc-orphan", "owner");
    GenericKubernetesResource other = createService("gc-orphan", "other-owner");
    createConfigMap("gc-orphan", "orphaned", List.of(ownedBy(owner, true)));
    createConfigMap("gc-orphan", "co-owned", List.of(ownedBy(owner, true), ownedBy(other, false)));

    service("gc-orphan", "owner").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

    await().atMost(GC_WAIT).until(() -> service("gc-orphan", "owner").get() == null);
    ConfigMap orphaned = client.configMaps().inNamespace("gc-orphan").withName("orphaned").get();
    assertThat(orphaned.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(
            client
                .configMaps()
                .inNamespace("gc-orphan")
                .withName("co-owned")
                .get()
                .getMetadata()
                .getOwnerReferences())
        .extracting(OwnerReference::getName)
        .containsExactly("other-owner");
  }

  @Test
  void collectionStartsWhenAnOwnersLastFinalizerIsRemoved() {
    GenericKubernetesResource owner = createService("gc-final", "owner", HOLD);
    createConfigMap("gc-final", "dependent", List.of(ownedBy(owner, true)));

    service("gc-final", "owner").delete();
    assertThat(service("gc-final", "owner").get().getMetadata().getDeletionTimestamp())
        .isNotBlank();
    assertThat(client.configMaps().inNamespace("gc-final").withName("dependent").get()).isNotNull();

    removeFinalizers(service("gc-final", "owner"));

    assertThat(service("gc-final", "owner").get()).isNull();
    await()
        .atMost(GC_WAIT)
        .until(
            () -> client.configMaps().inNamespace("gc-final").withName("dependent").get() == null);
  }

  @Test
  void aDependentWithAnotherLivingOwnerOnlyLosesTheReferenceToTheDeletedOne() {
    GenericKubernetesResource first = createService("gc-multi", "first");
    GenericKubernetesResource second = createService("gc-multi", "second");
    createConfigMap("gc-multi", "shared", List.of(ownedBy(first, false), ownedBy(second, false)));

    service("gc-multi", "first").delete();

    await()
        .atMost(GC_WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .configMaps()
                            .inNamespace("gc-multi")
                            .withName("shared")
                            .get()
                            .getMetadata()
                            .getOwnerReferences())
                    .extracting(OwnerReference::getName)
                    .containsExactly("second"));
  }

  // ---------------------------------------------------------------- namespaces

  @Test
  void creatingInAMissingNamespaceIsNotFound() {
    assertThatThrownBy(() -> createConfigMap("no-such-namespace", "cm", List.of()))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getStatus().getMessage())
                  .isEqualTo("namespaces \"no-such-namespace\" not found");
            });
    assertThatThrownBy(() -> createService("no-such-namespace", "svc"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void deletingANamespaceDeletesEverythingInItThenTheNamespace() {
    Namespaces.create(api, "doomed");
    createService("doomed", "svc");
    createService("doomed", "held", HOLD);
    createConfigMap("doomed", "cm", List.of());
    client
        .secrets()
        .inNamespace("doomed")
        .resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata().build())
        .create();
    client
        .v1()
        .events()
        .inNamespace("doomed")
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("e1")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("AIMService")
                .withName("svc")
                .withNamespace("doomed")
                .endInvolvedObject()
                .withReason("Test")
                .build())
        .create();

    client.namespaces().withName("doomed").delete();

    Namespace terminating = client.namespaces().withName("doomed").get();
    assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotBlank();
    assertThatThrownBy(() -> createConfigMap("doomed", "late", List.of()))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
              assertThat(e.getStatus().getMessage())
                  .isEqualTo(
                      "configmaps \"late\" is forbidden: unable to create new content in namespace"
                          + " doomed because it is being terminated");
            });
    await()
        .atMost(GC_WAIT)
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().inNamespace("doomed").list().getItems()).isEmpty();
              assertThat(client.secrets().inNamespace("doomed").list().getItems()).isEmpty();
              assertThat(client.v1().events().inNamespace("doomed").list().getItems()).isEmpty();
              assertThat(
                      client
                          .genericKubernetesResources(AIM_SERVICE)
                          .inNamespace("doomed")
                          .list()
                          .getItems())
                  .singleElement()
                  .satisfies(s -> assertThat(s.getMetadata().getName()).isEqualTo("held"));
            });
    // the held object's finalizer keeps the namespace
    assertThat(client.namespaces().withName("doomed").get()).isNotNull();

    removeFinalizers(service("doomed", "held"));

    await().atMost(GC_WAIT).until(() -> client.namespaces().withName("doomed").get() == null);
    // and the name can be used again
    Namespaces.create(api, "doomed");
    assertThat(client.namespaces().withName("doomed").get().getStatus().getPhase())
        .isEqualTo("Active");
  }

  @Test
  void withoutRequiredNamespacesTheyAreCreatedOnFirstUse() {
    try (DevKubernetesApi lenient =
            DevKubernetesApi.start(
                0, DevKubernetesApi.Options.defaults().withRequireNamespaces(false));
        KubernetesClient lenientClient = lenient.newClient()) {
      lenientClient
          .configMaps()
          .inNamespace("implicit")
          .resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().build())
          .create();

      assertThat(lenientClient.namespaces().withName("implicit").get().getStatus().getPhase())
          .isEqualTo("Active");
      assertThat(lenientClient.configMaps().inNamespace("implicit").withName("cm").get())
          .isNotNull();
    }
  }
}
