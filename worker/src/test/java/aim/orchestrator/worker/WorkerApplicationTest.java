package aim.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.dev.DevEnvironment;
import aim.orchestrator.dev.sim.SimulatorOptions;
import io.temporal.worker.WorkerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;

/** The Spring Boot worker application boots against real (dev) Temporal and Kubernetes endpoints and reports UP. */
class WorkerApplicationTest {
  @Test
  void startsPollingAndReportsHealthy(@TempDir Path dir) throws Exception {
    try (DevEnvironment env = DevEnvironment.start(0, 0, SimulatorOptions.defaults())) {
      Path kubeconfig = env.writeKubeconfig(dir.resolve("kubeconfig"));
      try (var ctx =
          WorkerApplication.builder()
              .run(
                  "--server.port=0",
                  "--aim.temporal.target=" + env.temporalTarget(),
                  "--aim.worker.kubeconfig=" + kubeconfig,
                  "--aim.worker.apply-mode=CREATE_OR_MERGE_PATCH",
                  "--aim.worker.sticky-execution=false",
                  "--aim.worker.workflow-tasks=7",
                  "--aim.worker.kubernetes-activities=3")) {
        assertThat(ctx.getBean(WorkerFactory.class).isStarted()).isTrue();
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        HttpClient http = HttpClient.newHttpClient();
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                          HttpResponse.BodyHandlers.ofString());
                  assertThat(r.statusCode()).isEqualTo(200);
                  assertThat(r.body()).contains("\"status\":\"UP\"");
                });
        // The starter is on the worker's classpath; its status page and OpenAPI document are not the worker's to serve,
        // and the worker's name comes from its own aim-worker.yaml, not the starter's application.yaml.
        for (String starterPath : java.util.List.of("/index.html", "/v3/api-docs")) {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + starterPath)).build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(starterPath).isEqualTo(404);
        }
        assertThat(ctx.getEnvironment().getProperty("spring.application.name")).isEqualTo("aim-worker");
        WorkerProperties props = ctx.getBean(WorkerProperties.class);
        assertThat(props.workflowTasks()).isEqualTo(7);
        assertThat(props.kubernetesActivities()).isEqualTo(3);
      }
    }
  }
}
