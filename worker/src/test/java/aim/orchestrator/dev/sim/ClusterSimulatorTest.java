package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Nodes, the StorageClass, options and logging of the simulator as a whole. */
@EnableKubernetesMockClient(crud = true)
class ClusterSimulatorTest {

  static KubernetesClient client;

  /**
   * fabric8 7.8's mock server can block its only event loop for several seconds while a closed watch winds down
   * (WatchEventsListener.onClosed waits for its send executor; fabric8io/kubernetes-client#7857 and #7858 change
   * that code upstream). Stopping a simulator closes its watches, so the next request may wait that long: this
   * class's client waits 60 s instead of the default 10 s before calling a request failed.
   */
  @org.junit.jupiter.api.BeforeAll
  static void patientClient() {
    client =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withRequestTimeout(60_000).build())
            .build();
  }

  @org.junit.jupiter.api.AfterAll
  static void closeClient() {
    client.close();
  }

  /** The defaults minus the dev gateway, whose fixed port a unit test should not take. */
  private static SimulatorOptions defaultsWithoutGateway() {
    return SimulatorOptions.defaults().withGatewayPort(SimulatorOptions.GATEWAY_DISABLED);
  }

  @Test
  void createsLabelledGpuNodesAndDefaultStorageClass() {
    try (ClusterSimulator sim = ClusterSimulator.start(client, defaultsWithoutGateway())) {
      assertThat(client.nodes().list().getItems())
          .extracting(n -> n.getMetadata().getName())
          .containsExactlyInAnyOrder("dev-gpu-node-0", "dev-gpu-node-1");
      Node node = client.nodes().withName("dev-gpu-node-1").get();
      assertThat(node.getMetadata().getLabels())
          .containsEntry("amd.com/gpu.device-id", "74a1")
          .containsEntry("amd.com/gpu.family", "AI")
          .containsEntry("amd.com/gpu.vram", "192G")
          .containsEntry("amd.com/gpu.product-name", "AMD_Instinct_MI300X_OAM")
          .containsEntry("kubernetes.io/hostname", "dev-gpu-node-1");
      assertThat(node.getStatus().getCapacity()).containsEntry("amd.com/gpu", new Quantity("8"));
      assertThat(node.getStatus().getAllocatable())
          .containsEntry("amd.com/gpu", new Quantity("8"))
          .containsKeys("cpu", "memory");
      assertThat(node.getStatus().getConditions())
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
              });

      StorageClass sc = client.storage().v1().storageClasses().withName("standard").get();
      assertThat(sc.getProvisioner()).isEqualTo("dev.aim/simulated");
      assertThat(sc.getMetadata().getAnnotations())
          .containsEntry("storageclass.kubernetes.io/is-default-class", "true");
    }
  }

  @Test
  void restartWithAnotherModelRelabelsExistingNodes() {
    ClusterSimulator.start(client, defaultsWithoutGateway()).close();
    var mi355 = new SimulatorOptions(1, "mi355x", Duration.ZERO);
    try (ClusterSimulator sim = ClusterSimulator.start(client, mi355)) {
      assertThat(client.nodes().withName("dev-gpu-node-0").get().getMetadata().getLabels())
          .containsEntry("amd.com/gpu.device-id", "75a3")
          .containsEntry("amd.com/gpu.vram", "288G");
      assertThat(client.storage().v1().storageClasses().list().getItems()).hasSize(2);
    }
  }

  @Test
  void rejectsInvalidOptions() {
    assertThatThrownBy(() -> new SimulatorOptions(1, "H100", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MI300X");
    assertThatThrownBy(() -> new SimulatorOptions(-1, "MI300X", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SimulatorOptions(1, "MI300X", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatorOptions.defaults().withGatewayPort(-2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatorOptions.defaults().withGatewayPort(70_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SimulatorOptions.defaults())
        .isEqualTo(new SimulatorOptions(2, "MI300X", Duration.ofMillis(300)).withGatewayPort(8081));
    // The three-argument form keeps its old meaning: every image known, no dev gateway.
    assertThat(new SimulatorOptions(1, "MI300X", Duration.ZERO).gatewayPort())
        .isEqualTo(SimulatorOptions.GATEWAY_DISABLED);
    assertThat(new SimulatorOptions(1, "MI300X", Duration.ZERO).imageKnown().test("any/image:1"))
        .isTrue();
    assertThat(SimulatorOptions.defaults().storageCapacity()).isNull();
    assertThat(SimulatorOptions.defaults().withStorageCapacity(new Quantity("1Ti")).storageCapacity())
        .isEqualTo(new Quantity("1Ti"));
    assertThatThrownBy(() -> SimulatorOptions.defaults().withStorageCapacity(new Quantity("-1Gi")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyLogLineSaysItIsSimulated() {
    Logger simLogger = (Logger) LoggerFactory.getLogger("aim.orchestrator.dev.sim");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    simLogger.addAppender(appender);
    try (ClusterSimulator sim =
        ClusterSimulator.start(client, new SimulatorOptions(1, "MI210", Duration.ZERO))) {
      PersistentVolumeClaim pvc =
          new PersistentVolumeClaimBuilder()
              .withNewMetadata()
              .withName("logged")
              .withNamespace("log-test")
              .endMetadata()
              .withNewSpec()
              .withAccessModes("ReadWriteOnce")
              .withNewResources()
              .addToRequests("storage", new Quantity("1Gi"))
              .endResources()
              .endSpec()
              .build();
      client.resource(pvc).create();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  appender.list.stream()
                      .anyMatch(e -> e.getFormattedMessage().contains("log-test/logged")));
    } finally {
      simLogger.detachAppender(appender);
    }
    assertThat(appender.list)
        .isNotEmpty()
        .allSatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .startsWith("[dev-simulator] (simulated, dev/test only) "));
  }

  @Test
  void gpuNodesCanBeAddedAndRemovedWhileRunning() throws Exception {
    // Nodes left by the other tests on this mock server would take the names asserted below.
    client.nodes().delete();
    CountDownLatch release = new CountDownLatch(1);
    // The first Pod blocks until released, so it is still running when its node goes away.
    JobRunner blocking =
        (job, pod) -> {
          release.await(20, TimeUnit.SECONDS);
          return JobRunner.Outcome.success();
        };
    try (ClusterSimulator sim =
        ClusterSimulator.start(
            client, new SimulatorOptions(1, "MI300X", Duration.ofMillis(20)), job -> blocking)) {
      String added = sim.addGpuNode("mi325x");
      assertThat(added).isEqualTo("dev-gpu-node-1");
      assertThat(client.nodes().withName(added).get().getMetadata().getLabels())
          .containsEntry("amd.com/gpu.device-id", "74a5")
          .containsEntry("amd.com/gpu.vram", "256G")
          .containsEntry("amd.com/gpu.product-name", "AMD_Instinct_MI325X_OAM");
      assertThatThrownBy(() -> sim.addGpuNode("H100")).isInstanceOf(IllegalArgumentException.class);

      client
          .resource(
              new JobBuilder()
                  .withNewMetadata()
                  .withName("long")
                  .withNamespace("nodes")
                  .endMetadata()
                  .withNewSpec()
                  .withBackoffLimit(0)
                  .withNewTemplate()
                  .withNewSpec()
                  .withRestartPolicy("Never")
                  .addNewContainer()
                  .withName("work")
                  .withImage("busybox")
                  .endContainer()
                  .endSpec()
                  .endTemplate()
                  .endSpec()
                  .build())
          .create();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> podsOfJob("long").size() == 1 && podsOfJob("long").get(0).getSpec() != null);
      Pod first = podsOfJob("long").get(0);
      String firstNode = first.getSpec().getNodeName();

      assertThat(sim.removeNode(firstNode)).isTrue();
      assertThat(client.nodes().withName(firstNode).get()).isNull();
      assertThat(client.pods().inNamespace("nodes").withName(first.getMetadata().getName()).get())
          .isNull();
      assertThat(sim.removeNode("no-such-node")).isFalse();

      // The Job replaces its lost Pod on the node that is left.
      release.countDown();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                var job = client.batch().v1().jobs().inNamespace("nodes").withName("long").get();
                return job.getStatus() != null
                    && job.getStatus().getSucceeded() != null
                    && job.getStatus().getSucceeded() == 1;
              });
      assertThat(podsOfJob("long"))
          .singleElement()
          .satisfies(p -> assertThat(p.getSpec().getNodeName()).isNotEqualTo(firstNode));
      assertThat(client.nodes().list().getItems())
          .extracting(n -> n.getMetadata().getName())
          .containsExactly(firstNode.equals(added) ? "dev-gpu-node-0" : added);
    }
  }

  private static List<Pod> podsOfJob(String job) {
    return client.pods().inNamespace("nodes").withLabel("job-name", job).list().getItems();
  }
}
