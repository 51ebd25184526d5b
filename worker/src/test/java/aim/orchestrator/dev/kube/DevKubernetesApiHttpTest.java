package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP answers kubectl and client libraries rely on: version, discovery, OpenAPI, tables,
 * watches.
 */
class DevKubernetesApiHttpTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static DevKubernetesApi api;

  @BeforeAll
  static void start() {
    api = DevKubernetesApi.start(0);
    Namespaces.create(
        api, "http-table", "http-watch", "http-informer", "http-stream", "http-events");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(Duration.ofSeconds(10));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> response = get(path, "application/json");
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return MAPPER.readTree(response.body());
  }

  @Test
  void versionAnswersKubernetes131() throws Exception {
    JsonNode version = getJson("/version");

    assertThat(version.path("gitVersion").asText()).isEqualTo("v1.31.0");
    assertThat(version.path("major").asText()).isEqualTo("1");
    assertThat(version.path("minor").asText()).isEqualTo("31");
  }

  @Test
  void legacyDiscoveryListsEveryGroup() throws Exception {
    JsonNode groups = getJson("/apis");

    assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
    List<String> names = new ArrayList<>();
    groups.path("groups").forEach(g -> names.add(g.path("name").asText()));
    assertThat(names)
        .contains(
            "aim.eai.amd.com",
            "apps",
            "batch",
            "coordination.k8s.io",
            "apiextensions.k8s.io",
            "serving.kserve.io",
            "gateway.networking.k8s.io",
            "keda.sh",
            "autoscaling",
            "events.k8s.io",
            "rbac.authorization.k8s.io",
            "storage.k8s.io");
    assertThat(groups.path("groups"))
        .anySatisfy(
            g -> {
              assertThat(g.path("name").asText()).isEqualTo("autoscaling");
              assertThat(g.path("preferredVersion").path("version").asText()).isEqualTo("v2");
            });
    assertThat(getJson("/api").path("versions").get(0).asText()).isEqualTo("v1");
    assertThat(
            getJson("/apis/aim.eai.amd.com").path("preferredVersion").path("groupVersion").asText())
        .isEqualTo("aim.eai.amd.com/v1alpha1");
    assertThat(get("/apis/nonexistent.example.com/v1", null).statusCode()).isEqualTo(404);
  }

  @Test
  void resourceListsDescribeCrdAndBuiltinKinds() throws Exception {
    JsonNode aim = getJson("/apis/aim.eai.amd.com/v1alpha1");
    assertThat(aim.path("kind").asText()).isEqualTo("APIResourceList");
    assertThat(aim.path("resources"))
        .anySatisfy(
            r -> {
              assertThat(r.path("name").asText()).isEqualTo("aimservices");
              assertThat(r.path("singularName").asText()).isEqualTo("aimservice");
              assertThat(r.path("kind").asText()).isEqualTo("AIMService");
              assertThat(r.path("namespaced").asBoolean()).isTrue();
              assertThat(r.path("shortNames").toString()).isEqualTo("[\"aimsvc\"]");
              assertThat(r.path("categories").toString()).contains("aim").contains("all");
              assertThat(r.path("verbs").toString()).contains("watch").contains("patch");
            });
    assertThat(aim.path("resources"))
        .anySatisfy(
            r -> {
              assertThat(r.path("name").asText()).isEqualTo("aimservices/status");
              assertThat(r.path("verbs").toString()).isEqualTo("[\"get\",\"patch\",\"update\"]");
            });
    assertThat(aim.path("resources"))
        .anySatisfy(
            r -> {
              assertThat(r.path("name").asText()).isEqualTo("aimclustermodels");
              assertThat(r.path("namespaced").asBoolean()).isFalse();
            });

    List<String> core = new ArrayList<>();
    getJson("/api/v1").path("resources").forEach(r -> core.add(r.path("name").asText()));
    assertThat(core)
        .contains(
            "namespaces",
            "nodes",
            "pods",
            "pods/log",
            "pods/status",
            "services",
            "configmaps",
            "secrets",
            "events",
            "persistentvolumeclaims",
            "serviceaccounts");
    assertThat(names(getJson("/apis/batch/v1"))).contains("jobs", "jobs/status");
    assertThat(names(getJson("/apis/coordination.k8s.io/v1"))).contains("leases");
    assertThat(names(getJson("/apis/apps/v1")))
        .contains("deployments", "deployments/status", "deployments/scale");
    assertThat(names(getJson("/apis/storage.k8s.io/v1"))).contains("storageclasses");
    assertThat(names(getJson("/apis/apiextensions.k8s.io/v1")))
        .contains("customresourcedefinitions");
    assertThat(names(getJson("/apis/autoscaling/v2"))).contains("horizontalpodautoscalers");
    assertThat(names(getJson("/apis/serving.kserve.io/v1beta1")))
        .contains("inferenceservices", "inferenceservices/status");
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.path("resources").forEach(r -> out.add(r.path("name").asText()));
    return out;
  }

  @Test
  void aggregatedDiscoveryAnswersWithTheV2MediaType() throws Exception {
    String accept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

    HttpResponse<String> apis = get("/apis", accept);

    assertThat(apis.headers().firstValue("Content-Type"))
        .hasValue("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    JsonNode list = MAPPER.readTree(apis.body());
    assertThat(list.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
    assertThat(list.path("items"))
        .anySatisfy(
            group -> {
              assertThat(group.path("metadata").path("name").asText()).isEqualTo("aim.eai.amd.com");
              assertThat(group.path("versions").get(0).path("resources"))
                  .anySatisfy(
                      r -> {
                        assertThat(r.path("resource").asText()).isEqualTo("aimservices");
                        assertThat(r.path("scope").asText()).isEqualTo("Namespaced");
                        assertThat(r.path("responseKind").path("kind").asText())
                            .isEqualTo("AIMService");
                        assertThat(r.path("subresources").get(0).path("subresource").asText())
                            .isEqualTo("status");
                      });
            });
    JsonNode core = MAPPER.readTree(get("/api", accept).body());
    assertThat(core.path("items").get(0).path("versions").get(0).path("version").asText())
        .isEqualTo("v1");
  }

  @Test
  void openApiV3DeclaresServerSideFieldValidationPerKind() throws Exception {
    JsonNode root = getJson("/openapi/v3");
    String url =
        root.path("paths").path("apis/aim.eai.amd.com/v1alpha1").path("serverRelativeURL").asText();
    assertThat(url).startsWith("/openapi/v3/apis/aim.eai.amd.com/v1alpha1?hash=");

    JsonNode doc = getJson(url);
    JsonNode patch =
        doc.path("paths")
            .path("/apis/aim.eai.amd.com/v1alpha1/namespaces/{namespace}/aimservices/{name}")
            .path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("AIMService");
    assertThat(patch.path("parameters").get(0).path("name").asText()).isEqualTo("fieldValidation");
    assertThat(get("/openapi/v2", null).statusCode()).isEqualTo(404);
  }

  @Test
  void tablesUseTheCrdPrinterColumns() throws Exception {
    try (KubernetesClient client = api.newClient()) {
      ResourceDefinitionContext context =
          new ResourceDefinitionContext.Builder()
              .withGroup("aim.eai.amd.com")
              .withVersion("v1alpha1")
              .withKind("AIMService")
              .withPlural("aimservices")
              .withNamespaced(true)
              .build();
      GenericKubernetesResource svc =
          new GenericKubernetesResourceBuilder()
              .withApiVersion("aim.eai.amd.com/v1alpha1")
              .withKind("AIMService")
              .withNewMetadata()
              .withName("tabled")
              .withNamespace("http-table")
              .endMetadata()
              .withAdditionalProperties(Map.of("spec", Map.of("model", Map.of("name", "llama"))))
              .build();
      client.genericKubernetesResources(context).inNamespace("http-table").resource(svc).create();
      client
          .genericKubernetesResources(context)
          .inNamespace("http-table")
          .withName("tabled")
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"status\":{\"status\":\"Running\",\"resolvedModel\":{\"name\":\"llama-3-8b\"}}}");
    }

    HttpResponse<String> response =
        get(
            "/apis/aim.eai.amd.com/v1alpha1/namespaces/http-table/aimservices",
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

    JsonNode table = MAPPER.readTree(response.body());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    List<String> columns = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
    // the CRD's columns, in its order
    assertThat(columns).containsExactly("Name", "Status", "Model", "Template", "Replicas", "Age");
    JsonNode cells = table.path("rows").get(0).path("cells");
    assertThat(cells.get(0).asText()).isEqualTo("tabled");
    assertThat(cells.get(1).asText()).isEqualTo("Running");
    assertThat(cells.get(2).asText()).isEqualTo("llama-3-8b");
    assertThat(cells.get(3).isNull()).isTrue();
    assertThat(cells.get(5).asText()).matches("\\d+s");
    assertThat(table.path("rows").get(0).path("object").path("metadata").path("namespace").asText())
        .isEqualTo("http-table");
  }

  @Test
  void watchesStillWorkThroughTheDevDispatcher() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (KubernetesClient client = api.newClient();
        Watch watch =
            client
                .configMaps()
                .inNamespace("http-watch")
                .watch(
                    new Watcher<>() {
                      @Override
                      public void eventReceived(
                          Action action, io.fabric8.kubernetes.api.model.ConfigMap resource) {
                        events.add(action + " " + resource.getMetadata().getName());
                      }

                      @Override
                      public void onClose(WatcherException cause) {}
                    })) {
      client
          .configMaps()
          .inNamespace("http-watch")
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("watched")
                  .endMetadata()
                  .addToData("a", "1")
                  .build())
          .create();
      client
          .configMaps()
          .inNamespace("http-watch")
          .withName("watched")
          .edit(
              cm -> {
                cm.getData().put("a", "2");
                return cm;
              });

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(events).contains("ADDED watched", "MODIFIED watched"));
    }
  }

  @Test
  void informersSeeAddUpdateAndDeleteOfCustomResources() {
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup("aim.eai.amd.com")
            .withVersion("v1alpha1")
            .withKind("AIMService")
            .withPlural("aimservices")
            .withNamespaced(true)
            .build();
    List<String> events = new CopyOnWriteArrayList<>();
    try (KubernetesClient client = api.newClient();
        var informer =
            client
                .genericKubernetesResources(context)
                .inNamespace("http-informer")
                .inform(
                    new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                      @Override
                      public void onAdd(GenericKubernetesResource obj) {
                        events.add("add " + obj.getMetadata().getName());
                      }

                      @Override
                      public void onUpdate(
                          GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                        events.add("update " + newObj.<String>get("status", "status"));
                      }

                      @Override
                      public void onDelete(
                          GenericKubernetesResource obj, boolean unknownFinalState) {
                        events.add("delete " + obj.getMetadata().getName());
                      }
                    })) {
      var services = client.genericKubernetesResources(context).inNamespace("http-informer");
      services
          .resource(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion("aim.eai.amd.com/v1alpha1")
                  .withKind("AIMService")
                  .withNewMetadata()
                  .withName("informed")
                  .endMetadata()
                  .withAdditionalProperties(
                      Map.of("spec", Map.of("model", Map.of("name", "llama"))))
                  .build())
          .create();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(events).contains("add informed"));
      services
          .withName("informed")
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"status\":\"Starting\"}}");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(events).contains("update Starting"));
      services.withName("informed").delete();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(events).contains("delete informed"));
      assertThat(informer.isWatching()).isTrue();
    }
  }

  @Test
  void httpWatchStreamsEventsLineByLineUntilItsTimeout() throws Exception {
    String path = "/api/v1/namespaces/http-stream/configmaps";
    JsonNode list = getJson(path);
    String resourceVersion = list.path("metadata").path("resourceVersion").asText();
    HttpRequest watch =
        HttpRequest.newBuilder(
                URI.create(
                    api.url()
                        + path
                        + "?watch=true&timeoutSeconds=2"
                        + "&resourceVersion="
                        + resourceVersion))
            .build();
    var lines = HTTP.sendAsync(watch, HttpResponse.BodyHandlers.ofLines());

    try (KubernetesClient client = api.newClient()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(lines::isDone); // headers arrive before any event
      client
          .configMaps()
          .inNamespace("http-stream")
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("streamed")
                  .endMetadata()
                  .build())
          .create();
    }

    // the stream ends by itself after timeoutSeconds, like kube-apiserver's
    List<String> received = lines.get().body().toList();
    assertThat(lines.get().statusCode()).isEqualTo(200);
    assertThat(received)
        .singleElement()
        .satisfies(
            line -> {
              JsonNode event = MAPPER.readTree(line);
              assertThat(event.path("type").asText()).isEqualTo("ADDED");
              assertThat(event.path("object").path("metadata").path("name").asText())
                  .isEqualTo("streamed");
            });
  }

  @Test
  void unknownObjectsAnswerAKubernetesNotFoundStatus() throws Exception {
    HttpResponse<String> response =
        get("/apis/aim.eai.amd.com/v1alpha1/namespaces/x/aimservices/missing", null);

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode status = MAPPER.readTree(response.body());
    assertThat(status.path("reason").asText()).isEqualTo("NotFound");
    assertThat(status.path("message").asText())
        .isEqualTo("aimservices.aim.eai.amd.com \"missing\" not found");
  }

  @Test
  void eventsOfBothApisAreListedWithFieldSelectors() throws Exception {
    try (KubernetesClient client = api.newClient()) {
      client
          .v1()
          .events()
          .inNamespace("http-events")
          .resource(
              new io.fabric8.kubernetes.api.model.EventBuilder()
                  .withNewMetadata()
                  .withName("core")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind("AIMService")
                  .withName("chat")
                  .withUid("uid-chat")
                  .endInvolvedObject()
                  .withReason("Resolved")
                  .withMessage("written through core/v1")
                  .build())
          .create();
      client
          .events()
          .v1()
          .events()
          .inNamespace("http-events")
          .resource(
              new io.fabric8.kubernetes.api.model.events.v1.EventBuilder()
                  .withNewMetadata()
                  .withName("new")
                  .endMetadata()
                  .withNewRegarding()
                  .withKind("AIMService")
                  .withName("chat")
                  .withUid("uid-chat")
                  .endRegarding()
                  .withReason("Scaled")
                  .withNote("written through events.k8s.io/v1")
                  .withReportingController("aim-orchestrator")
                  .withReportingInstance("worker-1")
                  .withAction("Scale")
                  .withEventTime(
                      new io.fabric8.kubernetes.api.model.MicroTime("2025-01-01T00:00:00.000000Z"))
                  .build())
          .create();
      client
          .v1()
          .events()
          .inNamespace("http-events")
          .resource(
              new io.fabric8.kubernetes.api.model.EventBuilder()
                  .withNewMetadata()
                  .withName("other")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind("AIMService")
                  .withName("other")
                  .endInvolvedObject()
                  .build())
          .create();
    }

    JsonNode core =
        getJson(
            "/api/v1/namespaces/http-events/events?fieldSelector="
                + java.net.URLEncoder.encode(
                    "involvedObject.name=chat,involvedObject.kind=AIMService,"
                        + "involvedObject.uid=uid-chat",
                    java.nio.charset.StandardCharsets.UTF_8));
    assertThat(core.path("kind").asText()).isEqualTo("EventList");
    assertThat(core.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(core.path("items"))
        .extracting(e -> e.path("message").asText())
        .containsExactlyInAnyOrder("written through core/v1", "written through events.k8s.io/v1");
    assertThat(core.path("items"))
        .allSatisfy(e -> assertThat(e.path("apiVersion").asText()).isEqualTo("v1"));

    JsonNode recorded =
        getJson(
            "/apis/events.k8s.io/v1/namespaces/http-events/events"
                + "?fieldSelector=regarding.name%3Dchat");
    assertThat(recorded.path("kind").asText()).isEqualTo("EventList");
    assertThat(recorded.path("items"))
        .extracting(e -> e.path("note").asText())
        .containsExactlyInAnyOrder("written through core/v1", "written through events.k8s.io/v1");
    assertThat(
            getJson("/apis/events.k8s.io/v1/namespaces/http-events/events/core")
                .path("note")
                .asText())
        .isEqualTo("written through core/v1");
    assertThat(
            getJson("/api/v1/namespaces/http-events/events/new")
                .path("source")
                .path("component")
                .asText())
        .isEqualTo("aim-orchestrator");
  }
}
