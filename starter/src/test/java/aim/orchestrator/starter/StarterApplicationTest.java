package aim.orchestrator.starter;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.starter.watch.WatchBridge;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;

/** The starter application boots against a Temporal server and a Kubernetes API, runs the watch bridge, and is UP. */
class StarterApplicationTest {
  @Test
  void bootsWithTheWatchBridge(@TempDir Path dir) throws Exception {
    KubernetesMockServer kube =
        new KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new io.fabric8.mockwebserver.MockWebServer(),
            new java.util.HashMap<>(),
            new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(),
            false);
    kube.init();
    int temporalPort = freePort();
    try (TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(temporalPort, true)) {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(
          kubeconfig,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: test
            cluster: {server: "%s"}
          users:
          - name: test
            user: {token: test}
          contexts:
          - name: test
            context: {cluster: test, user: test, namespace: default}
          current-context: test
          """
              .formatted(kube.url("/").replaceAll("/$", "")));
      try (var ctx =
          new SpringApplicationBuilder(StarterApplication.class)
              .run(
                  "--server.port=0",
                  "--aim.temporal.target=127.0.0.1:" + temporalPort,
                  "--aim.starter.kubeconfig=" + kubeconfig)) {
        assertThat(ctx.getBean(WatchBridge.class)).isNotNull();
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"UP\"");
      }
    } finally {
      kube.destroy();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
