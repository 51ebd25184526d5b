package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.dev.sim.SimulatorOptions;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.starter.StarterApplication;
import aim.orchestrator.worker.AimWorkers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter's status page at {@code /}, rendered by headless Chromium against the dev-mode components (embedded
 * Temporal, dev Kubernetes API, simulator), a worker, and the starter web app with its watch bridge. Needs Debian's
 * {@code chromium} ({@code ./aim test} installs it); {@code AIM_SKIP_BROWSER_TESTS=1} skips the test instead.
 *
 * <p>{@code -Daim.status-page.update-screenshot=true} also copies the screenshot to {@code docs/status-page.png}.
 */
class StatusPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String NS = "status-page";

  private static DevEnvironment env;
  private static WorkflowServiceStubs stubs;
  private static WorkerFactory worker;
  private static KubernetesClient client;
  private static ConfigurableApplicationContext starter;
  private static String url;
  private static Path kubeconfig;

  @BeforeAll
  static void start(@TempDir Path dir) {
    if (!Files.isExecutable(CHROMIUM)) {
      Assumptions.assumeFalse("1".equals(System.getenv("AIM_SKIP_BROWSER_TESTS")), "AIM_SKIP_BROWSER_TESTS=1");
      fail(CHROMIUM + " is missing: ./aim test installs Debian's chromium package (or set AIM_SKIP_BROWSER_TESTS=1 to skip)");
    }
    env = DevEnvironment.start(0, 0, new SimulatorOptions(2, "MI300X", Duration.ofMillis(100)).withGatewayPort(0));
    stubs =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(env.temporalTarget()).build());
    client = env.kubernetes().newClient();
    worker = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
    AimWorkers.register(
        worker, env.kubernetes().newClient(), ApplyMode.CREATE_OR_MERGE_PATCH, new AimWorkers.Sizing(10, 10, false), Clock.systemUTC(), env.registrySettings());
    worker.start();
    // The starter as its own process would run it: the web app (status page) and the watch bridge, from properties.
    kubeconfig = env.writeKubeconfig(dir.resolve("kubeconfig"));
    starter =
        new SpringApplicationBuilder(StarterApplication.class)
            .run(
                "--server.port=0",
                "--spring.application.name=aim-starter",
                "--aim.temporal.target=" + env.temporalTarget(),
                "--aim.starter.kubeconfig=" + kubeconfig);
    url = "http://127.0.0.1:" + ((WebServerApplicationContext) starter).getWebServer().getPort() + "/";
  }

  @AfterAll
  static void stop() {
    if (starter != null) {
      starter.close();
    }
    if (worker != null) {
      worker.shutdownNow();
      worker.awaitTermination(10, TimeUnit.SECONDS);
      client.close();
      stubs.shutdownNow();
      env.close();
    }
  }

  @Test
  void showsEveryServiceWithItsStepsAndDownloads(@TempDir Path dir) throws Exception {
    Path samples = Files.createDirectories(dir.resolve("samples"));
    try (var files = Files.list(Path.of("..", "k8s", "samples"))) {
      for (Path f : files.toList()) {
        Files.writeString(samples.resolve(f.getFileName()), Files.readString(f).replace("namespace: ml-team", "namespace: " + NS));
      }
    }
    // A second service that fails (its model does not exist), so the page shows more than one state.
    Files.writeString(
        samples.resolve("40-unknown-model.yaml"),
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMService
        metadata:
          name: unknown-model
          namespace: %s
        spec:
          model:
            name: no-such-model
        """
            .formatted(NS));
    Samples.apply(client, samples);
    awaitStatus("qwen3-chat", "Running");
    awaitStatus("unknown-model", "Failed");

    String dom = chromium(dir, "--dump-dom", url);

    assertThat(dom)
        .contains("<section class=\"service\" data-service=\"status-page/qwen3-chat\" data-status=\"Running\">")
        .contains("<section class=\"service\" data-service=\"status-page/unknown-model\" data-status=\"Failed\">")
        .contains("AIMService/status-page/qwen3-chat (")
        .contains("<dd class=\"fact-endpoint\">/status-page/qwen3-chat</dd>")
        .contains("<dd class=\"fact-model\">qwen3-32b</dd>")
        .containsPattern("<li class=\"step Ready\" data-component=\"Model\" data-state=\"Ready\">")
        .containsPattern("<li class=\"step Ready\" data-component=\"InferenceService\" data-state=\"Ready\">")
        .containsPattern("data-component=\"Model\" data-state=\"\\w+\"><span class=\"dot\"></span>(<time[^>]*>[^<]*</time>)?<span class=\"component\">Model</span><span class=\"state\">\\w+</span><span class=\"reason\">ModelNotFound</span>")
        .containsPattern("<div class=\"artifact Ready\" data-artifact=\"[a-z0-9-]+\" data-status=\"Ready\">.*?<span class=\"percent\">100%</span>")
        .contains("Last update ");

    // aim status reads the same through its own clients.
    var out = new java.io.StringWriter();
    int code =
        aim.orchestrator.starter.cli.StatusCommand.execute(
            new String[] {"-n", NS, "qwen3-chat", "--kubeconfig", kubeconfig.toString(), "--temporal-target", env.temporalTarget()},
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(System.err),
            new aim.orchestrator.starter.cli.StatusCommand.Context(dir, dir, false, Duration.ofSeconds(1)));
    System.out.println(out);
    assertThat(code).isZero();
    assertThat(out.toString())
        .startsWith("AIMService status-page/qwen3-chat  Running\n")
        .contains("  workflow  AIMService/status-page/qwen3-chat (")
        .containsPattern("(?m)^  \\+ +InferenceService +Ready ")
        .containsPattern("(?m)^  hf---qwen-qwen3-32b-[0-9a-f]+  \\[#{30}\\] 100%  .* Ready$");

    Path png = dir.resolve("status-page.png");
    chromium(dir, "--screenshot=" + png, "--window-size=1280,900", url);
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).hasSizeGreaterThan(10_000);
    assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    if (Boolean.getBoolean("aim.status-page.update-screenshot")) {
      Files.copy(png, Path.of("..", "docs", "status-page.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Runs headless Chromium on {@code url} with the page's scripts given 5 s of virtual time; returns its stdout. */
  private static String chromium(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"),
                "--virtual-time-budget=5000"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "chromium", ".out");
    Path err = Files.createTempFile(dir, "chromium", ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish within 60 s: " + Files.readString(err));
    }
    assertThat(p.exitValue()).as("chromium exit code; stderr: %s", Files.readString(err)).isZero();
    return Files.readString(out);
  }

  private static void awaitStatus(String name, String status) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              AIMService s = client.resources(AIMService.class).inNamespace(NS).withName(name).get();
              return s != null && s.getStatus() != null && s.getStatus().status != null && s.getStatus().status.name().equals(status);
            });
  }
}
