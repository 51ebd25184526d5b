package aim.orchestrator.dev.sim;

import static aim.orchestrator.dev.sim.SimTestObjects.annotate;
import static aim.orchestrator.dev.sim.SimTestObjects.isvc;
import static aim.orchestrator.dev.sim.SimTestObjects.isvcs;
import static aim.orchestrator.dev.sim.SimTestObjects.mainContainer;
import static aim.orchestrator.dev.sim.SimTestObjects.readyIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
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
 * Real HTTP requests through the dev gateway: route matching, path rewriting, the stub model
 * server, and the answers without a route or a Ready backend.
 */
@EnableKubernetesMockClient(crud = true)
class DevGatewayTest {

  static KubernetesClient client;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static ClusterSimulator sim;
  private static String base;

  /**
   * One Ready service {@code gw/chat} behind {@code /gw/chat}, and one crash-looping {@code
   * gw/broken} behind the shorter prefix {@code /gw}.
   */
  @BeforeAll
  static void startSimulatorAndServices() {
    SimTestObjects.registerDevCrd(client, "inferenceservices.serving.kserve.io.yaml");
    sim =
        ClusterSimulator.start(
            client, new SimulatorOptions(1, "MI300X", Duration.ofMillis(20)).withGatewayPort(0));
    base = "http://127.0.0.1:" + sim.gatewayPort().orElseThrow();

    GenericKubernetesResource chat = isvc("gw", "chat", "aim:1");
    mainContainer(chat)
        .put("env", List.of(Map.of("name", "AIM_MODEL_ID", "value", "Qwen/Qwen3-32B")));
    isvcs(client).resource(chat).create();
    isvcs(client)
        .resource(
            annotate(
                isvc("gw", "broken", "aim:1"), PredictorGate.INJECT_ANNOTATION, "CrashLoopBackOff"))
        .create();
    client.resource(route("gw", "chat", "/gw/chat", "chat-predictor")).create();
    client.resource(route("gw", "broken", "/gw", "broken-predictor")).create();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                readyIs(isvcs(client).inNamespace("gw").withName("chat").get(), "True")
                    && readyIs(isvcs(client).inNamespace("gw").withName("broken").get(), "False")
                    && accepted("gw", "chat")
                    && accepted("gw", "broken"));
  }

  @AfterAll
  static void stopSimulator() {
    sim.close();
  }

  private static HTTPRoute route(String ns, String name, String prefix, String backend) {
    return new HTTPRouteBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .addNewParentRef()
        .withName("aim-gateway")
        .withNamespace("aim-system")
        .endParentRef()
        .addNewRule()
        .addNewMatch()
        .withNewPath()
        .withType("PathPrefix")
        .withValue(prefix)
        .endPath()
        .endMatch()
        .addNewFilter()
        .withType("URLRewrite")
        .withNewUrlRewrite()
        .withNewPath()
        .withType("ReplacePrefixMatch")
        .withReplacePrefixMatch("/")
        .endPath()
        .endUrlRewrite()
        .endFilter()
        .addNewBackendRef()
        .withKind("Service")
        .withName(backend)
        .withNamespace(ns)
        .withPort(80)
        .endBackendRef()
        .endRule()
        .endSpec()
        .build();
  }

  private static boolean accepted(String ns, String name) {
    HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(ns).withName(name).get();
    return route != null
        && HttpRouteController.acceptedByUs(route)
        && route.getStatus().getParents().stream()
            .flatMap(p -> p.getConditions().stream())
            .anyMatch(c -> "ResolvedRefs".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void chatCompletionThroughTheRouteNamesTheModelAndEchoesTheUser() throws Exception {
    HttpResponse<String> response =
        post(
            "/gw/chat/v1/chat/completions",
            """
            {"model": "Qwen/Qwen3-32B",
             "messages": [{"role": "system", "content": "Be brief."},
                          {"role": "user", "content": "Hello from the test"}]}
            """);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-AIM-Dev-Simulated")).hasValue("true");
    JsonNode completion = JSON.readTree(response.body());
    assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
    assertThat(completion.path("model").asText()).isEqualTo("Qwen/Qwen3-32B");
    JsonNode choice = completion.path("choices").path(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText())
        .contains("simulated")
        .contains("Hello from the test");
    assertThat(completion.path("usage").path("total_tokens").asInt()).isPositive();
  }

  @Test
  void modelsAndHealthOfTheRoutedService() throws Exception {
    HttpResponse<String> models = get("/gw/chat/v1/models");
    assertThat(models.statusCode()).isEqualTo(200);
    JsonNode list = JSON.readTree(models.body());
    assertThat(list.path("object").asText()).isEqualTo("list");
    assertThat(list.path("data")).hasSize(1);
    assertThat(list.path("data").path(0).path("id").asText()).isEqualTo("Qwen/Qwen3-32B");
    assertThat(list.path("data").path(0).path("object").asText()).isEqualTo("model");
    assertThat(list.path("data").path(0).path("owned_by").asText()).isEqualTo("aim-dev");

    assertThat(get("/gw/chat/health").statusCode()).isEqualTo(200);
  }

  @Test
  void streamingAndAWrongModel() throws Exception {
    HttpResponse<String> stream =
        post(
            "/gw/chat/v1/chat/completions",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(stream.body()).contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");

    HttpResponse<String> wrong =
        post(
            "/gw/chat/v1/chat/completions",
            "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(wrong.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(wrong.body()).path("error").path("message").asText())
        .contains("gpt-4");
  }

  @Test
  void unknownPathIs404() throws Exception {
    // "/gwx" shares characters with the prefix "/gw" but not a path element.
    for (String path : List.of("/nowhere/v1/models", "/gwx/v1/models")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
          .contains(path);
    }
  }

  @Test
  void backendThatIsNotReadyIs503() throws Exception {
    // Longest prefix wins elsewhere; "/gw/other" only matches the "/gw" route to the broken one.
    HttpResponse<String> response = get("/gw/other/v1/models");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
        .contains("gw/broken")
        .contains("not Ready");
  }
}
