package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.dev.sim.SimulatorOptions;
import aim.orchestrator.starter.StarterApplication;
import aim.orchestrator.temporal.AesGcmPayloadCodec;
import aim.orchestrator.worker.WorkerApplication;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The payload codec end to end on the dev-mode components, set up as {@code ./aim dev --encrypt-payloads} does: the
 * worker and the starter applications share one key folder. A sample service reaches Running, its view (a query the
 * worker answers encrypted) reads through the REST API, every payload Temporal stores is encrypted, and the starter's
 * codec server decodes one over real HTTP for the dev token.
 */
class PayloadCodecE2ETest {
  private static final String NS = "codec-e2e";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aServiceRunsWithEveryPayloadEncrypted(@TempDir Path dir) throws Exception {
    try (DevEnvironment env = DevEnvironment.start(0, 0, new SimulatorOptions(2, "MI300X", Duration.ofMillis(100)).withGatewayPort(-1))) {
      Path kubeconfig = env.writeKubeconfig(dir.resolve("kubeconfig"));
      List<String> codec = DevCodecKeys.args(DevCodecKeys.ensure(dir.resolve("codec-keys")));
      List<String> workerArgs =
          new ArrayList<>(
              List.of(
                  "--server.port=0",
                  "--aim.temporal.target=" + env.temporalTarget(),
                  "--aim.worker.kubeconfig=" + kubeconfig,
                  "--aim.worker.apply-mode=CREATE_OR_MERGE_PATCH",
                  "--aim.worker.sticky-execution=false"));
      env.registryHosts().forEach(h -> workerArgs.add("--aim.worker.registry.mirrors[" + h + "]=" + env.registry().url()));
      env.sourceOverrides().forEach((k, v) -> workerArgs.add("--aim.worker.source-overrides[" + k + "]=" + v));
      workerArgs.addAll(codec);
      List<String> starterArgs =
          new ArrayList<>(
              List.of(
                  "--server.port=0",
                  "--server.address=127.0.0.1",
                  "--aim.temporal.target=" + env.temporalTarget(),
                  "--aim.starter.kubeconfig=" + kubeconfig,
                  "--aim.starter.api.auth-cache-ttl=0s"));
      starterArgs.addAll(codec);
      try (ConfigurableApplicationContext worker = WorkerApplication.builder().run(workerArgs.toArray(String[]::new));
          ConfigurableApplicationContext starter = new SpringApplicationBuilder(StarterApplication.class).run(starterArgs.toArray(String[]::new))) {
        String base = "http://127.0.0.1:" + ((WebServerApplicationContext) starter).getWebServer().getPort();
        String token = env.kubernetes().devToken();
        Path samples = Files.createDirectories(dir.resolve("samples"));
        try (var files = Files.list(Path.of("..", "k8s", "samples"))) {
          for (Path f : files.toList()) {
            Files.writeString(samples.resolve(f.getFileName()), Files.readString(f).replace("namespace: ml-team", "namespace: " + NS));
          }
        }
        List<String> services = Samples.apply(env.client(), samples);
        String name = services.get(0).substring(services.get(0).indexOf('/') + 1);

        // The view carries the workflow's status query: encrypted by the worker, decrypted by the starter.
        JsonNode view =
            await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () -> JSON.readTree(get(base + "/api/v1/namespaces/" + NS + "/aimservices/" + name + "/view", token).body()),
                    v -> "Running".equals(v.path("status").asText()) && v.path("lifecycle").path("available").asBoolean());
        assertThat(view.path("lifecycle").path("steps").findValuesAsText("component")).contains("Model", "Template", "Cache", "InferenceService");

        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(env.temporalTarget()).build());
        try {
          var history =
              stubs
                  .blockingStub()
                  .getWorkflowExecutionHistory(
                      GetWorkflowExecutionHistoryRequest.newBuilder()
                          .setNamespace("default")
                          .setExecution(WorkflowExecution.newBuilder().setWorkflowId("AIMService/" + NS + "/" + name))
                          .build())
                  .getHistory();
          List<Payload> payloads = new ArrayList<>();
          collect(history, payloads);
          assertThat(payloads).hasSizeGreaterThan(10);
          assertThat(payloads).allSatisfy(p -> assertThat(AesGcmPayloadCodec.isEncrypted(p)).as("%s", p).isTrue());

          // The codec server (the Temporal UI's and CLI's way in) decodes one for the dev token, over HTTP.
          String body = JsonFormat.printer().print(Payloads.newBuilder().addPayloads(payloads.get(0)));
          HttpResponse<String> decoded = post(base + "/codec/decode", token, body);
          assertThat(decoded.statusCode()).isEqualTo(200);
          Payloads.Builder plain = Payloads.newBuilder();
          JsonFormat.parser().merge(decoded.body(), plain);
          assertThat(plain.getPayloads(0).getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("json/plain");
          assertThat(plain.getPayloads(0).getData().toStringUtf8()).contains(name);
          assertThat(post(base + "/codec/decode", null, body).statusCode()).isEqualTo(401);
        } finally {
          stubs.shutdownNow();
        }
      }
    }
  }

  /**
   * Every payload of a message, except search attributes, which Temporal must read and no codec touches, and the
   * SDK's own version markers ({@code Workflow.getVersion}: change id and version number), which the SDK writes with
   * its standard converter so that any worker can replay them.
   */
  private static void collect(Message message, List<Payload> out) {
    if (message instanceof Payload p) {
      out.add(p);
      return;
    }
    if (message instanceof SearchAttributes
        || message instanceof MarkerRecordedEventAttributes marker && marker.getMarkerName().equals("Version")) {
      return;
    }
    message
        .getAllFields()
        .forEach(
            (field, value) -> {
              if (value instanceof Message m) {
                collect(m, out);
              } else if (value instanceof List<?> list) {
                list.stream().filter(Message.class::isInstance).forEach(m -> collect((Message) m, out));
              }
            });
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
