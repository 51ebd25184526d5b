package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.dev.sim.SimulatorOptions;
import aim.orchestrator.starter.StarterApplication;
import aim.orchestrator.worker.AimWorkers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The REST API over real HTTP on the dev-mode components: the starter's Spring app (REST API and watch bridge) on a
 * free port against the dev Kubernetes API, which answers its TokenReviews and SubjectAccessReviews from its stored
 * RBAC, the embedded Temporal server and a worker. A service created through the API reaches Running, and its view
 * shows the workflow's steps, the finished download and the endpoint the dev gateway answers on.
 */
class RestApiE2ETest {
  private static final String NS = "rest-e2e";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static DevEnvironment env;
  private static WorkflowServiceStubs stubs;
  private static WorkerFactory worker;
  private static KubernetesClient client;
  private static ConfigurableApplicationContext starter;
  private static String api;
  private static String devToken;
  private static int gatewayPort;

  @BeforeAll
  static void start() throws IOException {
    env = DevEnvironment.start(0, 0, new SimulatorOptions(2, "MI300X", Duration.ofMillis(100)).withGatewayPort(0));
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(env.temporalTarget()).build());
    client = env.kubernetes().newClient();
    worker = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
    AimWorkers.register(worker, env.kubernetes().newClient(), ApplyMode.CREATE_OR_MERGE_PATCH, new AimWorkers.Sizing(10, 10, false), Clock.systemUTC());
    worker.start();
    Path kubeconfig = env.writeKubeconfig(dir.resolve("kubeconfig"));
    gatewayPort = env.simulator().gatewayPort().orElseThrow();
    starter =
        new SpringApplicationBuilder(StarterApplication.class)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.application.name=aim-starter",
                "--aim.temporal.target=" + env.temporalTarget(),
                "--aim.starter.kubeconfig=" + kubeconfig,
                "--aim.starter.api.gateway-base-url=http://127.0.0.1:" + gatewayPort,
                // Review answers are not reused here, so an RBAC change shows at once (the cache has its own test).
                "--aim.starter.api.auth-cache-ttl=0s");
    api = "http://127.0.0.1:" + ((WebServerApplicationContext) starter).getWebServer().getPort() + "/api/v1";
    devToken = env.kubernetes().devToken();

    // The model, template and runtime config of the samples; the service comes through the REST API.
    Path samples = Files.createDirectories(dir.resolve("samples"));
    try (var files = Files.list(Path.of("..", "k8s", "samples"))) {
      for (Path f : files.filter(f -> !f.getFileName().toString().startsWith("30-")).toList()) {
        Files.writeString(samples.resolve(f.getFileName()), Files.readString(f).replace("namespace: ml-team", "namespace: " + NS));
      }
    }
    Samples.apply(client, samples);
  }

  @AfterAll
  static void stop() {
    starter.close();
    worker.shutdownNow();
    client.close();
    stubs.shutdownNow();
    env.close();
  }

  @Test
  void aServiceCreatedThroughTheApiRunsAndShowsItsLiveView() throws Exception {
    String services = api + "/namespaces/" + NS + "/aimservices";
    String service =
        "{\"metadata\":{\"name\":\"chat\"},\"spec\":{\"model\":{\"name\":\"qwen3-32b\"},\"template\":{\"name\":\"qwen3-32b-mi300x-fp16-latency\"}}}";

    assertThat(send("POST", services, null, service).statusCode()).isEqualTo(401);
    assertThat(send("POST", services, "not-a-token", service).statusCode()).isEqualTo(401);
    HttpResponse<String> invalid = send("POST", services, devToken, "{\"metadata\":{\"name\":\"bad\"},\"spec\":{\"replicas\":\"two\"}}");
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(invalid).findValuesAsText("field")).containsExactlyInAnyOrder("spec.model", "spec.replicas");

    HttpResponse<String> created = send("POST", services, devToken, service);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue(services + "/chat");
    assertThat(send("POST", services, devToken, service).statusCode()).isEqualTo(409);

    // The watch bridge started the workflow; the view follows it to Running.
    JsonNode view =
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> json(send("GET", services + "/chat/view", devToken, null)), v -> "Running".equals(v.path("status").asText()));
    assertThat(view.path("resolved").path("model").path("name").asText()).isEqualTo("qwen3-32b");
    assertThat(view.path("resolved").path("templateCache").path("name").asText()).isNotEmpty();
    assertThat(view.path("lifecycle").path("available").asBoolean()).isTrue();
    assertThat(view.path("lifecycle").path("steps").findValuesAsText("component")).contains("Model", "Template", "Cache", "InferenceService");
    assertThat(view.path("artifacts").get(0).path("progress").path("displayPercentage").asText()).isEqualTo("100%");
    String endpoint = view.path("endpoint").path("url").asText();
    assertThat(endpoint).isEqualTo("http://127.0.0.1:" + gatewayPort + "/" + NS + "/chat");
    HttpResponse<String> models =
        await().atMost(Duration.ofSeconds(20)).until(() -> send("GET", endpoint + "/v1/models", null, null), r -> r.statusCode() == 200);
    assertThat(models.body()).contains("Qwen/Qwen3-32B");

    HttpResponse<String> deleted = send("DELETE", services + "/chat", devToken, null);
    assertThat(deleted.statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", services + "/chat", devToken, null).statusCode() == 404);
  }

  @Test
  void aCacheWarmingScheduleMadeThroughTheApiRunsAsACronWorkflowOnTheTestServer() throws Exception {
    String schedules = api + "/namespaces/" + NS + "/cachewarmingschedules";
    String template = "qwen3-32b-mi300x-fp16-latency";
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      var t = client.resources(aim.orchestrator.model.AIMServiceTemplate.class).inNamespace(NS).withName(template).get();
      return t != null && t.getStatus() != null && t.getStatus().status != null && t.getStatus().status.name().equals("Ready");
    });

    // Every minute, in UTC: the test server has no schedules, so this becomes a cron workflow.
    HttpResponse<String> created =
        send("POST", schedules, devToken, "{\"name\":\"minutely\",\"cron\":\"* * * * *\",\"timeZone\":\"Europe/Berlin\",\"note\":\"e2e\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue(schedules + "/minutely");
    JsonNode schedule = json(created);
    assertThat(schedule.path("backend").asText()).isEqualTo("cron-workflow");
    assertThat(schedule.path("scheduleId").asText()).isEqualTo("CacheWarming/" + NS + "/minutely");
    assertThat(schedule.path("warnings").toString()).contains("runs in UTC, not Europe/Berlin");
    assertThat(schedule.path("nextRuns")).hasSize(1);
    assertThat(send("POST", schedules, devToken, "{\"name\":\"minutely\",\"cron\":\"* * * * *\"}").statusCode()).isEqualTo(409);
    HttpResponse<String> seconds = send("POST", schedules, devToken, "{\"name\":\"seconds\",\"cron\":\"*/5 * * * * *\"}");
    assertThat(seconds.statusCode()).isEqualTo(422);
    assertThat(json(seconds).findValuesAsText("field")).containsExactly("cron");

    // Run it now: a warming run that reports on the namespace's template.
    HttpResponse<String> triggered = send("POST", schedules + "/minutely/trigger", devToken, null);
    assertThat(triggered.statusCode()).isEqualTo(202);
    String runId = json(triggered).path("workflowId").asText();
    assertThat(runId).isEqualTo("CacheWarming/" + NS + "/minutely/now");
    var report =
        WorkflowClient.newInstance(stubs).newUntypedWorkflowStub(runId)
            .getResult(60, java.util.concurrent.TimeUnit.SECONDS, aim.orchestrator.workflow.warming.CacheWarmingReport.class);
    assertThat(report.namespace()).isEqualTo(NS);
    assertThat(report.templates()).contains("AIMServiceTemplate/" + template);

    // The cron workflow itself runs at the next minute; the schedule lists that run.
    JsonNode ran =
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
            .until(() -> json(send("GET", schedules + "/minutely", devToken, null)),
                v -> v.path("recentRuns").findValuesAsText("workflowId").contains("CacheWarming/" + NS + "/minutely"));
    assertThat(ran.path("recentRuns").findValuesAsText("workflowId")).contains(runId);
    assertThat(json(send("GET", schedules, devToken, null)).path("items").findValuesAsText("name")).containsExactly("minutely");

    // Pause, resume, delete.
    HttpResponse<String> paused = send("POST", schedules + "/minutely/pause?note=maintenance", devToken, null);
    assertThat(json(paused).path("paused").asBoolean()).isTrue();
    assertThat(json(paused).path("note").asText()).isEqualTo("maintenance");
    assertThat(json(send("POST", schedules + "/minutely/resume", devToken, null)).path("paused").asBoolean()).isFalse();
    assertThat(send("DELETE", schedules + "/minutely", devToken, null).statusCode()).isEqualTo(204);
    assertThat(send("GET", schedules + "/minutely", devToken, null).statusCode()).isEqualTo(404);
  }

  @Test
  void grantsExactlyWhatTheCallersRbacGrants() throws Exception {
    env.kubernetes().addUser("alice-token", "alice");
    String models = api + "/namespaces/" + NS + "/aimmodels";

    assertThat(send("GET", models, "alice-token", null).statusCode()).isEqualTo(403);
    client.rbac().roles().inNamespace(NS)
        .resource(new RoleBuilder().withNewMetadata().withName("aim-viewer").endMetadata()
            .addNewRule().withApiGroups("aim.eai.amd.com").withResources("aimmodels").withVerbs("get", "list").endRule().build())
        .create();
    client.rbac().roleBindings().inNamespace(NS)
        .resource(new RoleBindingBuilder().withNewMetadata().withName("alice-views").endMetadata()
            .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("aim-viewer").endRoleRef()
            .addNewSubject().withKind("User").withName("alice").withApiGroup("rbac.authorization.k8s.io").endSubject().build())
        .create();

    HttpResponse<String> list = send("GET", models, "alice-token", null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(json(list).path("items").findValuesAsText("name")).contains("qwen3-32b");
    HttpResponse<String> delete = send("DELETE", models + "/qwen3-32b", "alice-token", null);
    assertThat(delete.statusCode()).isEqualTo(403);
    assertThat(json(delete).path("detail").asText()).startsWith("aimmodels \"qwen3-32b\" is forbidden: User \"alice\" cannot delete");
    assertThat(send("GET", api + "/namespaces/other/aimmodels", "alice-token", null).statusCode()).isEqualTo(403);
  }

  private static HttpResponse<String> send(String method, String url, String token, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(20));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }
}
