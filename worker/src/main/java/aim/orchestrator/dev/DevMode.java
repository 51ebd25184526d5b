package aim.orchestrator.dev;

import aim.orchestrator.worker.WorkerApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./aim dev}: the whole product on one machine, dev/test only. Starts the embedded Temporal test server
 * (127.0.0.1:7233), the dev Kubernetes API (kubeconfig in {@code .aim/dev/kubeconfig}), the cluster simulator, a
 * worker, and the starter (a child process, with the REST API on 127.0.0.1:8080; the dev token for it is printed and
 * written to {@code .aim/dev/token}), applies {@code k8s/samples/}, prints status transitions until the sample service
 * is Running, then serves until Ctrl-C.
 */
public final class DevMode {
  private static final Logger log = LoggerFactory.getLogger(DevMode.class);

  private DevMode() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    Path root = Path.of(System.getProperty("aim.dev.root", ".")).toAbsolutePath().normalize();
    DevOptions options = DevOptions.parse(args);
    if (options == null) {
      return;
    }
    if (options.images != null) {
      System.setProperty(DevEnvironment.EXTRA_IMAGES_PROPERTY, options.images.toAbsolutePath().toString());
    }
    Path kubeconfig = root.resolve(".aim/dev/kubeconfig");
    List<AutoCloseable> closeables = new ArrayList<>();

    DevEnvironment env =
        DevEnvironment.start(options.temporalPort, options.kubePort, options.s3Port, options.simulator(), root.resolve(".aim/dev/volumes"));
    closeables.add(env);
    env.hub().throttle(options.downloadBytesPerSecond());
    env.writeKubeconfig(kubeconfig);
    System.out.printf("%n[dev] Temporal:   %s (Temporal CLI: temporal --address %s workflow describe --workflow-id AIMService/ml-team/qwen3-chat)%n", env.temporalTarget(), env.temporalTarget());
    System.out.printf("[dev] Kubernetes: %s (kubectl --kubeconfig %s get aimservices -A)%n", env.kubernetes().url(), kubeconfig);
    System.out.printf(
        "[dev] S3:         %s, bucket %s, keys %s / %s (s3:// sources: kubectl apply -f k8s/dev-samples/s3/)%n",
        env.objectStore().url(),
        aim.orchestrator.dev.sim.DevObjectStore.BUCKET,
        aim.orchestrator.dev.sim.DevObjectStore.ACCESS_KEY,
        aim.orchestrator.dev.sim.DevObjectStore.SECRET_KEY);
    env.simulator()
        .gatewayPort()
        .ifPresent(
            port ->
                System.out.printf(
                    "[dev] Gateway:    http://127.0.0.1:%d (curl http://127.0.0.1:%d/ml-team/qwen3-chat/v1/models)%n", port, port));
    // The REST API authenticates callers with TokenReview: the dev token is the dev-admin user's.
    Path token = writeToken(root.resolve(".aim/dev/token"), env.kubernetes().devToken());
    int starterPort = Integer.getInteger("aim.dev.starter-port", 8080);
    // Payloads stay plain JSON unless asked; then the worker and the starter share one key folder.
    List<String> codecArgs = List.of();
    if (options.payloadCodec()) {
      Path keys = DevCodecKeys.ensure(options.codecKeys != null ? options.codecKeys : root.resolve(".aim/dev/codec-keys"));
      codecArgs = DevCodecKeys.args(keys);
      System.out.printf(
          "[dev] Payloads:   encrypted, AES-256-GCM, keys in %s (temporal --address %s workflow show --workflow-id AIMService/ml-team/qwen3-chat --codec-endpoint http://127.0.0.1:%d/codec --codec-auth \"Bearer $(cat %s)\")%n",
          keys, env.temporalTarget(), starterPort, token);
    }
    System.out.printf(
        "[dev] REST API:   http://127.0.0.1:%d/api/v1 (curl -H \"Authorization: Bearer $(cat %s)\" http://127.0.0.1:%d/api/v1/namespaces/ml-team/aimservices/qwen3-chat/view)%n",
        starterPort, token, starterPort);
    System.out.printf("[dev] Swagger UI: http://127.0.0.1:%d/swagger-ui.html%n", starterPort);
    System.out.printf("[dev] Dev token:  %s (also in %s)%n", env.kubernetes().devToken(), token);
    System.out.println();

    // The starter is a separate JVM: start it first so it boots while the worker does.
    Process starter = startStarter(root, env, kubeconfig, codecArgs);
    if (starter != null) {
      closeables.add(0, starter::destroy);
    }

    List<String> workerArgs =
        new ArrayList<>(
            List.of(
                "--aim.temporal.target=" + env.temporalTarget(),
                "--aim.worker.kubeconfig=" + kubeconfig,
                "--aim.worker.apply-mode=CREATE_OR_MERGE_PATCH",
                // The Java test server cannot hand a dead worker's sticky queue to another worker.
                "--aim.worker.sticky-execution=false",
                "--server.port=" + Integer.getInteger("aim.dev.worker-port", 8090)));
    workerArgs.addAll(codecArgs);
    // Image labels of the simulated AIM images come from the dev registry.
    for (String host : env.registryHosts()) {
      workerArgs.add("--aim.worker.registry.mirrors[" + host + "]=" + env.registry().url());
    }
    // Size checks reach the dev model hub and the dev S3 endpoint, as the download Jobs do.
    env.sourceOverrides().forEach((k, v) -> workerArgs.add("--aim.worker.source-overrides[" + k + "]=" + v));
    ConfigurableApplicationContext worker =
        WorkerApplication.builder()
            // Command-line arguments, so they win over aim-worker.yaml.
            .run(workerArgs.toArray(String[]::new));
    closeables.add(0, worker);

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (AutoCloseable c : closeables) {
                    try {
                      c.close();
                    } catch (Exception e) {
                      log.warn("[dev] shutdown: {}", e.toString());
                    }
                  }
                }));

    StatusPrinter printer = new StatusPrinter(env.client()).start();
    Path samples = root.resolve("k8s/samples");
    List<String> services = Samples.apply(env.client(), samples);
    System.out.printf("[dev] applied %s (%.1f s after start)%n", samples, (System.nanoTime() - t0) / 1e9);
    for (String svc : services) {
      boolean running = printer.awaitRunning(svc, Duration.ofMinutes(5));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          running ? "%n[dev] AIMService %s is Running, %.1f s after start. Ctrl-C to stop.%n%n" : "%n[dev] AIMService %s is not Running after %.1f s%n%n",
          svc,
          seconds);
    }
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The dev token for REST API callers, readable by the owner only where the file system allows. */
  private static Path writeToken(Path file, String token) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, token + System.lineSeparator());
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("[dev] cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static Process startStarter(Path root, DevEnvironment env, Path kubeconfig, List<String> codecArgs) {
    String jar = System.getProperty("aim.dev.starter-jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      log.warn("[dev] no starter jar (aim.dev.starter-jar); running without the watch bridge");
      return null;
    }
    try {
      Path logFile = root.resolve(".aim/dev/starter.log");
      Files.createDirectories(logFile.getParent());
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar,
                  "--aim.temporal.target=" + env.temporalTarget(),
                  "--aim.starter.kubeconfig=" + kubeconfig,
                  "--aim.starter.api.gateway-base-url="
                      + (env.simulator().gatewayPort().isPresent() ? "http://127.0.0.1:" + env.simulator().gatewayPort().getAsInt() : ""),
                  "--server.address=127.0.0.1",
                  "--server.port=" + Integer.getInteger("aim.dev.starter-port", 8080)));
      command.addAll(codecArgs);
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      System.out.printf("[dev] starter running (pid %d, log %s)%n", p.pid(), logFile);
      p.onExit().thenAccept(x -> log.warn("[dev] starter exited with {}", x.exitValue()));
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("[dev] cannot start the starter: " + e.getMessage(), e);
    }
  }
}
