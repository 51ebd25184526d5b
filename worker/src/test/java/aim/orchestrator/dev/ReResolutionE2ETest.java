package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.dev.sim.SimulatorOptions;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.Aim;
import aim.orchestrator.starter.watch.WatchBridge;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.worker.AimWorkers;
import io.fabric8.kubernetes.api.model.Node;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes that a service depends on reach it within 10 s, Running or not (issue: re-resolution): the GPU its
 * template needs disappears and comes back, a referenced runtime config appears, the resolved template fails, the
 * resolved model is deleted.
 */
class ReResolutionE2ETest {
  private static final Duration WITHIN = Duration.ofSeconds(10);

  private static DevEnvironment env;
  private static WorkflowServiceStubs stubs;
  private static KubernetesClient client;
  private static WorkerFactory worker;
  private static KubernetesClient workerClient;
  private static WatchBridge bridge;

  @BeforeAll
  static void start() {
    env = DevEnvironment.start(0, 0, new SimulatorOptions(2, "MI300X", Duration.ofMillis(100)));
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(env.temporalTarget()).build());
    WorkflowClient temporal = WorkflowClient.newInstance(stubs);
    client = env.kubernetes().newClient();
    workerClient = env.kubernetes().newClient();
    worker = WorkerFactory.newInstance(temporal);
    AimWorkers.register(worker, workerClient, ApplyMode.CREATE_OR_MERGE_PATCH, new AimWorkers.Sizing(10, 10, false), Clock.systemUTC());
    worker.start();
    bridge = new WatchBridge(env.kubernetes().newClient(), temporal, Duration.ofMinutes(5)).start();
  }

  @AfterAll
  static void stop() {
    bridge.close();
    worker.shutdownNow();
    workerClient.close();
    client.close();
    stubs.shutdownNow();
    env.close();
  }

  @Test
  void losingAndRegainingTheGpuReachesARunningService(@TempDir Path dir) throws IOException {
    String ns = "rr-gpu";
    Samples.apply(client, samples(dir, ns, Map.of()));
    awaitStatus(ns, "Running", Duration.ofSeconds(60));

    Map<String, Map<String, String>> saved = new HashMap<>();
    for (Node n : client.nodes().list().getItems()) {
      saved.put(n.getMetadata().getName(), new HashMap<>(n.getMetadata().getLabels()));
      client.nodes().withName(n.getMetadata().getName()).edit(x -> {
        x.getMetadata().getLabels().keySet().removeIf(k -> k.contains("amd.com/gpu"));
        return x;
      });
    }
    awaitStatus(ns, "Pending", WITHIN);
    assertThat(Conditions.find(service(ns).getStatus().conditions, "TemplateReady").getReason()).isEqualTo("TemplateNotAvailable");

    for (var e : saved.entrySet()) {
      client.nodes().withName(e.getKey()).edit(x -> {
        x.getMetadata().setLabels(e.getValue());
        return x;
      });
    }
    awaitStatus(ns, "Running", WITHIN);
  }

  @Test
  void aRuntimeConfigThatAppearsUnblocksTheService(@TempDir Path dir) throws IOException {
    String ns = "rr-config";
    Samples.apply(client, samples(dir, ns, Map.of("name: qwen3-32b-mi300x-fp16-latency\n", "name: qwen3-32b-mi300x-fp16-latency\n  runtimeConfigName: team-config\n")));
    awaitStatus(ns, "Failed", Duration.ofSeconds(60));
    assertThat(Conditions.find(service(ns).getStatus().conditions, "ConfigValid").getReason()).isEqualTo("ReferenceNotFound");

    Files.writeString(
        dir.resolve("rc.yaml"),
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMRuntimeConfig
        metadata:
          name: team-config
          namespace: %s
        spec:
          env:
            - name: HF_HUB_OFFLINE
              value: "1"
        """
            .formatted(ns));
    Path only = Files.createDirectories(dir.resolve("rc"));
    Files.move(dir.resolve("rc.yaml"), only.resolve("rc.yaml"));
    Samples.apply(client, only);
    await().atMost(WITHIN.plusSeconds(50)).until(() -> "Running".equals(status(ns)));
  }

  @Test
  void aFailedTemplateOrADeletedModelReachesTheService(@TempDir Path dir) throws IOException {
    String ns = "rr-upstream";
    Samples.apply(client, samples(dir, ns, Map.of()));
    awaitStatus(ns, "Running", Duration.ofSeconds(60));

    // Freeze the template (its workflow leaves it alone) and fail it by hand, as the reference's e2e tests do.
    var templates = client.resources(AIMServiceTemplate.class).inNamespace(ns);
    templates.withName("qwen3-32b-mi300x-fp16-latency").edit(t -> {
      t.getMetadata().getAnnotations().put(Aim.ANNOTATION_PAUSED, "true");
      return t;
    });
    AIMServiceTemplate t = templates.withName("qwen3-32b-mi300x-fp16-latency").get();
    t.getStatus().status = aim.orchestrator.model.ResourceStatusValue.Failed;
    client.resource(t).updateStatus();
    awaitStatus(ns, "Failed", WITHIN);
    // The model's only template failed, so the model is Failed too (AllTemplatesFailed): the service stops at
    // whichever of the two its pass meets first.
    assertThat(Conditions.find(service(ns).getStatus().conditions, "Ready").getReason()).isIn("ModelNotReady", "TemplateNotReady");

    client.resources(AIMModel.class).inNamespace(ns).withName("qwen3-32b").delete();
    await()
        .atMost(WITHIN)
        .until(() -> "ModelNotFound".equals(Conditions.find(service(ns).getStatus().conditions, "ModelReady").getReason()));
  }

  @Test
  void aServiceWithoutATemplateAutoSelectsTheBestOfSeveral(@TempDir Path dir) throws IOException {
    String ns = "rr-auto";
    Path samples = samples(dir, ns, Map.of("  template:\n    name: qwen3-32b-mi300x-fp16-latency\n", ""));
    // A second template for the same model: fp8 scores better than fp16 (same type, GPU and metric).
    Files.writeString(
        samples.resolve("21-template-fp8.yaml"),
        Files.readString(samples.resolve("20-template.yaml"))
            .replace("qwen3-32b-mi300x-fp16-latency", "qwen3-32b-mi300x-fp8-latency")
            .replace("precision: fp16", "precision: fp8"));
    Samples.apply(client, samples);

    awaitStatus(ns, "Running", Duration.ofSeconds(60));
    AIMService svc = service(ns);
    assertThat(svc.getStatus().resolvedTemplate.name).isEqualTo("qwen3-32b-mi300x-fp8-latency");
    assertThat(svc.getStatus().templateSelection.outcome).isEqualTo("Selected");
    assertThat(svc.getStatus().templateSelection.candidates)
        .extracting(c -> c.name + ":" + c.result)
        .containsExactlyInAnyOrder("qwen3-32b-mi300x-fp8-latency:Selected", "qwen3-32b-mi300x-fp16-latency:Outscored");
  }

  private static Path samples(Path dir, String ns, Map<String, String> serviceEdits) throws IOException {
    Path out = Files.createDirectories(dir.resolve(ns));
    try (var files = Files.list(Path.of("..", "k8s", "samples"))) {
      for (Path f : files.toList()) {
        String text = Files.readString(f).replace("namespace: ml-team", "namespace: " + ns);
        if (f.getFileName().toString().contains("service")) {
          for (var e : serviceEdits.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
          }
        }
        if (f.getFileName().toString().contains("template")) {
          text = text.replace("namespace: " + ns + "\n", "namespace: " + ns + "\n  annotations: {}\n");
        }
        Files.writeString(out.resolve(f.getFileName()), text);
      }
    }
    return out;
  }

  private static void awaitStatus(String ns, String status, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> status.equals(status(ns)));
  }

  private static String status(String ns) {
    AIMService s = service(ns);
    return s == null || s.getStatus() == null || s.getStatus().status == null ? null : s.getStatus().status.name();
  }

  private static AIMService service(String ns) {
    return client.resources(AIMService.class).inNamespace(ns).withName("qwen3-chat").get();
  }

}
