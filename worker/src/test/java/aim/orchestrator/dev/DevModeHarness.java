package aim.orchestrator.dev;

import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.dev.sim.SimulatorOptions;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.starter.watch.WatchBridge;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.worker.AimWorkers;
import io.fabric8.kubernetes.api.model.Condition;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The harness the dev-mode end-to-end tests share ({@link DevModeE2ETest}, {@link ServiceLifecycleE2ETest}): the
 * embedded Temporal server (real gRPC), the dev Kubernetes API, the cluster simulator with its gateway, a worker
 * and two watch bridges, started once per test class, and helpers to apply samples and wait for a status.
 */
abstract class DevModeHarness {
  protected static DevEnvironment env;
  protected static WorkflowServiceStubs stubs;
  protected static WorkflowClient temporal;
  protected static KubernetesClient client;
  protected static WatchBridge bridge;
  /** A second starter replica: both deliver every event; signal-with-start by workflow ID makes that harmless. */
  protected static WatchBridge secondBridge;
  protected static Worker worker;

  /** A worker process stand-in: its own Kubernetes client and Temporal worker factory. */
  protected record Worker(KubernetesClient kubernetes, WorkerFactory factory) {
    static Worker start() {
      KubernetesClient k = env.kubernetes().newClient();
      WorkerFactory f = WorkerFactory.newInstance(temporal);
      AimWorkers.register(
          f, k, ApplyMode.CREATE_OR_MERGE_PATCH, new AimWorkers.Sizing(10, 10, false), Clock.systemUTC(), env.registrySettings(), env.sourceOverrides());
      f.start();
      return new Worker(k, f);
    }

    /** As abrupt as a killed process gets in one JVM: in-flight tasks are interrupted, nothing is drained. */
    void kill() {
      factory.shutdownNow();
      factory.awaitTermination(10, TimeUnit.SECONDS);
      kubernetes.close();
    }
  }

  @BeforeAll
  static void startDevEnvironment() {
    env = DevEnvironment.start(0, 0, new SimulatorOptions(2, "MI300X", Duration.ofMillis(100)).withGatewayPort(0));
    stubs =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(env.temporalTarget()).build());
    temporal = WorkflowClient.newInstance(stubs);
    client = env.kubernetes().newClient();
    worker = Worker.start();
    bridge = new WatchBridge(env.kubernetes().newClient(), temporal, Duration.ofMinutes(5)).start();
    secondBridge = new WatchBridge(env.kubernetes().newClient(), temporal, Duration.ofMinutes(5)).start();
  }

  @AfterAll
  static void stopDevEnvironment() {
    bridge.close();
    secondBridge.close();
    worker.kill();
    client.close();
    stubs.shutdownNow();
    env.close();
  }

  protected static Path copySamples(Path dir, String namespace) throws IOException {
    Path out = Files.createDirectories(dir.resolve(namespace));
    try (var files = Files.list(Path.of("..", "k8s", "samples"))) {
      for (Path f : files.toList()) {
        Files.writeString(out.resolve(f.getFileName()), Files.readString(f).replace("namespace: ml-team", "namespace: " + namespace));
      }
    }
    return out;
  }

  protected static void awaitStatus(String ns, String name, String status, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              AIMService s = service(ns, name);
              return s != null && s.getStatus() != null && s.getStatus().status != null && s.getStatus().status.name().equals(status);
            });
  }

  protected static AIMService service(String ns, String name) {
    return client.resources(AIMService.class).inNamespace(ns).withName(name).get();
  }

  protected static Condition condition(AIMService svc, String type) {
    return Conditions.find(svc.getStatus().conditions, type);
  }
}
