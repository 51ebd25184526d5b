package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.dev.kube.DevKubernetesApi;
import aim.orchestrator.dev.sim.ClusterSimulator;
import aim.orchestrator.dev.sim.JobRunner;
import aim.orchestrator.dev.sim.SimulatorOptions;
import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSpec;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.model.ImageMetadata;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.starter.watch.WatchBridge;
import aim.orchestrator.worker.AimWorkers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The installation-wide limit on discovery Jobs holds however many workers run: three worker processes (each with
 * its own Kubernetes client and Temporal worker) discover 30 templates at once, and a sampler watching the dev API
 * never sees more than 10 unfinished discovery Jobs.
 */
class DiscoveryLimitE2ETest {
  static final String NS = "limit-test";
  static final String OUTPUT =
      "[{\"filename\":\"vllm-mi300x-fp16-tp1-latency.yaml\",\"profile\":{\"metadata\":{\"engine\":\"vllm\",\"gpu\":\"MI300X\",\"gpu_count\":1,"
          + "\"metric\":\"latency\",\"precision\":\"fp16\",\"type\":\"optimized\"},\"engine_args\":{},\"env_vars\":{}},"
          + "\"models\":[{\"name\":\"Qwen/Qwen3-32B\",\"source\":\"hf://Qwen/Qwen3-32B\",\"size_gb\":61}]}]";

  @Test
  void neverMoreThanTenDiscoveryJobsRunAtOnce() throws Exception {
    int port = DevEnvironment.freePort();
    try (TestServer.PortBoundTestServer temporalServer = TestServer.createPortBoundServer(port, true);
        DevKubernetesApi api = DevKubernetesApi.start(0);
        KubernetesClient client = api.newClient()) {
      // Each discovery Pod "runs" for 400 ms, long enough for Jobs to pile up against the limit.
      JobRunner slowDiscovery =
          (job, pod) -> {
            Thread.sleep(400);
            return JobRunner.Outcome.success(OUTPUT);
          };
      try (ClusterSimulator simulator =
          ClusterSimulator.start(
              client,
              new SimulatorOptions(2, "MI300X", Duration.ofMillis(20)).withGatewayPort(SimulatorOptions.GATEWAY_DISABLED),
              job -> job.getMetadata().getName().startsWith("discover-") ? slowDiscovery : null)) {
        WorkflowServiceStubs stubs =
            WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
        WorkflowClient temporal = WorkflowClient.newInstance(stubs);
        List<KubernetesClient> workerClients = new ArrayList<>();
        List<WorkerFactory> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          KubernetesClient k = api.newClient();
          WorkerFactory f = WorkerFactory.newInstance(temporal);
          AimWorkers.register(f, k, ApplyMode.CREATE_OR_MERGE_PATCH, new AimWorkers.Sizing(20, 20, false), Clock.systemUTC());
          f.start();
          workerClients.add(k);
          workers.add(f);
        }
        WatchBridge bridge = new WatchBridge(api.newClient(), temporal, Duration.ofMinutes(5)).start();

        AtomicInteger most = new AtomicInteger();
        Thread sampler =
            new Thread(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      int running =
                          (int) client.batch().v1().jobs().inAnyNamespace().withLabel("app.kubernetes.io/name", "aim-discovery").list().getItems().stream()
                              .filter(j -> !finished(j))
                              .count();
                      most.accumulateAndGet(running, Math::max);
                      // Sample every 25 ms: often enough to catch a breach, light enough not to slow the API down.
                      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
                    } catch (RuntimeException e) {
                      return; // the API closed at the end of the test
                    }
                  }
                },
                "discovery-job-sampler");
        sampler.start();
        try {
          client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
          client.resource(model()).create();
          for (int i = 0; i < 30; i++) {
            client.resource(template("t" + i)).create();
          }

          await()
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> client.resources(AIMServiceTemplate.class).inNamespace(NS).list().getItems().stream()
                  .filter(t -> t.getStatus() != null && t.getStatus().status == ResourceStatusValue.Ready)
                  .count() == 30);
        } finally {
          sampler.interrupt();
          sampler.join(5000);
          bridge.close();
          for (WorkerFactory f : workers) {
            f.shutdownNow();
            f.awaitTermination(10, TimeUnit.SECONDS);
          }
          workerClients.forEach(KubernetesClient::close);
          stubs.shutdownNow();
        }
        System.out.printf("most discovery Jobs running at once: %d (limit 10)%n", most.get());
        assertThat(most.get()).as("the limit holds across three workers").isLessThanOrEqualTo(10);
        assertThat(most.get()).as("the Jobs did run side by side").isGreaterThanOrEqualTo(5);
        AIMServiceTemplate one = client.resources(AIMServiceTemplate.class).inNamespace(NS).withName("t7").get();
        assertThat(one.getStatus().modelSources.get(0).modelId).isEqualTo("Qwen/Qwen3-32B");
        assertThat(one.getStatus().hardwareSummary).isEqualTo("1 x MI300X");
      }
    }
  }

  static boolean finished(Job job) {
    return job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream().anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
  }

  static AIMModel model() {
    AIMModel m = new AIMModel();
    m.getMetadata().setName("qwen3-32b");
    m.getMetadata().setNamespace(NS);
    m.setSpec(new AIMModelSpec());
    m.getSpec().image = "amdenterpriseai/aim-qwen-qwen3-32b:0.8.5";
    m.getSpec().imageMetadata = new ImageMetadata();
    m.getSpec().discovery = new AIMModelSpec.Discovery();
    m.getSpec().discovery.createServiceTemplates = false;
    return m;
  }

  static AIMServiceTemplate template(String name) {
    AIMServiceTemplate t = new AIMServiceTemplate();
    t.getMetadata().setName(name);
    t.getMetadata().setNamespace(NS);
    AIMServiceTemplateSpec spec = new AIMServiceTemplateSpec();
    spec.modelName = "qwen3-32b";
    spec.hardware = new AIMHardwareRequirements();
    spec.hardware.gpu = new AIMGpuRequirements();
    spec.hardware.gpu.model = "MI300X";
    spec.hardware.gpu.requests = 1;
    t.setSpec(spec);
    return t;
  }
}
