package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class PvcBinderTest {

  static KubernetesClient client;

  private ClusterSimulator sim;

  @BeforeEach
  void startSimulator() {
    sim = ClusterSimulator.start(client, new SimulatorOptions(1, "MI300X", Duration.ofMillis(50)));
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  private static PersistentVolumeClaim claim(String ns, String name, String size) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteMany")
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }

  private static String phase(String ns, String name) {
    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
    return pvc == null || pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
  }

  @Test
  void pendingClaimBecomesBoundWithRequestedCapacity() {
    client.resource(claim("pvc-a", "model-cache", "10Gi")).create();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "Bound".equals(phase("pvc-a", "model-cache")));

    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace("pvc-a").withName("model-cache").get();
    assertThat(pvc.getStatus().getCapacity()).containsEntry("storage", new Quantity("10Gi"));
    assertThat(pvc.getStatus().getAccessModes()).containsExactly("ReadWriteMany");
  }

  @Test
  void alreadyBoundClaimIsNotRewritten() {
    PersistentVolumeClaim bound = claim("pvc-b", "bound", "5Gi");
    bound.setStatus(
        new PersistentVolumeClaimStatusBuilder()
            .withPhase("Bound")
            .addToCapacity("storage", new Quantity("5Gi"))
            .withAccessModes("ReadWriteMany")
            .build());
    String createdVersion = client.resource(bound).create().getMetadata().getResourceVersion();
    // A pending claim created afterwards goes through the same single-threaded controller, so
    // once it is bound the controller has long seen the bound one.
    client.resource(claim("pvc-b", "pending", "1Gi")).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(phase("pvc-b", "pending")));

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                client
                    .persistentVolumeClaims()
                    .inNamespace("pvc-b")
                    .withName("bound")
                    .get()
                    .getMetadata()
                    .getResourceVersion()
                    .equals(createdVersion));
  }

  @Test
  void reconcilingTwiceWritesOnce() {
    client.resource(claim("pvc-c", "twice", "2Gi")).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(phase("pvc-c", "twice")));
    String version =
        client
            .persistentVolumeClaims()
            .inNamespace("pvc-c")
            .withName("twice")
            .get()
            .getMetadata()
            .getResourceVersion();

    // Drive the controller directly, as a duplicate event or a second simulator would.
    try (PvcBinder binder = new PvcBinder(client, Duration.ZERO)) {
      binder.reconcile("pvc-c", "twice");
      binder.reconcile("pvc-c", "twice");
    }

    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace("pvc-c")
                .withName("twice")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(version);
  }
}
