package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** StorageClasses, access modes, capacity and the Events of the simulated provisioner. */
@EnableKubernetesMockClient(crud = true)
class StorageProvisioningTest {

  static KubernetesClient client;

  private static final SimulatorOptions FAST =
      new SimulatorOptions(1, "MI300X", Duration.ofMillis(20));

  static final ResourceDefinitionContext ARTIFACTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("aim.eai.amd.com")
          .withVersion("v1alpha1")
          .withKind("AIMArtifact")
          .withPlural("aimartifacts")
          .withNamespaced(true)
          .build();

  private static PersistentVolumeClaim claim(
      String ns, String name, String storageClass, String mode, String size) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(storageClass)
        .withAccessModes(mode)
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }

  private static PersistentVolumeClaim get(String ns, String name) {
    return client.persistentVolumeClaims().inNamespace(ns).withName(name).get();
  }

  private static String phase(String ns, String name) {
    PersistentVolumeClaim pvc = get(ns, name);
    return pvc == null || pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
  }

  private static Event provisioningFailed(PersistentVolumeClaim pvc) {
    return SimEvents.about(client, pvc).stream()
        .filter(e -> "ProvisioningFailed".equals(e.getReason()))
        .findFirst()
        .orElse(null);
  }

  @Test
  void readWriteManyOnLocalRwoStaysPendingWithEvent() {
    try (ClusterSimulator sim = ClusterSimulator.start(client, FAST)) {
      PersistentVolumeClaim rwx =
          client.resource(claim("rwo", "shared", "local-rwo", "ReadWriteMany", "1Gi")).create();
      client.resource(claim("rwo", "local", "local-rwo", "ReadWriteOnce", "1Gi")).create();

      await().atMost(Duration.ofSeconds(10)).until(() -> provisioningFailed(rwx) != null);
      Event event = provisioningFailed(rwx);
      assertThat(event.getType()).isEqualTo("Warning");
      assertThat(event.getMessage())
          .isEqualTo(
              "failed to provision volume with StorageClass \"local-rwo\": ReadWriteMany access"
                  + " mode is not supported");
      assertThat(event.getInvolvedObject().getKind()).isEqualTo("PersistentVolumeClaim");
      assertThat(event.getInvolvedObject().getName()).isEqualTo("shared");

      // The same class binds what it supports; the single-threaded binder has long decided on
      // the first claim by then.
      await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(phase("rwo", "local")));
      assertThat(phase("rwo", "shared")).isNotEqualTo("Bound");
      assertThat(get("rwo", "shared").getSpec().getVolumeName()).isNull();
    }
  }

  @Test
  void missingClassStaysPendingThenBindsOnceTheClassExists() {
    try (ClusterSimulator sim = ClusterSimulator.start(client, FAST)) {
      PersistentVolumeClaim pvc =
          client.resource(claim("late", "cache", "fast-nfs", "ReadWriteMany", "3Gi")).create();

      await().atMost(Duration.ofSeconds(10)).until(() -> provisioningFailed(pvc) != null);
      assertThat(provisioningFailed(pvc).getMessage())
          .isEqualTo("storageclass.storage.k8s.io \"fast-nfs\" not found");
      assertThat(provisioningFailed(pvc).getSource().getComponent())
          .isEqualTo("persistentvolume-controller");
      assertThat(phase("late", "cache")).isNotEqualTo("Bound");

      client
          .resource(
              new StorageClassBuilder()
                  .withNewMetadata()
                  .withName("fast-nfs")
                  .addToAnnotations("sim.dev.aim/access-modes", "ReadWriteOnce,ReadWriteMany")
                  .endMetadata()
                  .withProvisioner("nfs.csi.k8s.io")
                  .withReclaimPolicy("Delete")
                  .build())
          .create();

      await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(phase("late", "cache")));
      PersistentVolumeClaim bound = get("late", "cache");
      String volume = "pvc-" + pvc.getMetadata().getUid();
      assertThat(bound.getSpec().getVolumeName()).isEqualTo(volume);
      assertThat(bound.getStatus().getCapacity()).containsEntry("storage", new Quantity("3Gi"));
      assertThat(bound.getStatus().getAccessModes()).containsExactly("ReadWriteMany");
      assertThat(bound.getMetadata().getAnnotations())
          .containsEntry("pv.kubernetes.io/bind-completed", "yes");

      PersistentVolume pv = client.persistentVolumes().withName(volume).get();
      assertThat(pv.getStatus().getPhase()).isEqualTo("Bound");
      assertThat(pv.getSpec().getStorageClassName()).isEqualTo("fast-nfs");
      assertThat(pv.getSpec().getCapacity()).containsEntry("storage", new Quantity("3Gi"));
      assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(pvc.getMetadata().getUid());
      assertThat(pv.getMetadata().getAnnotations())
          .containsEntry("pv.kubernetes.io/provisioned-by", "nfs.csi.k8s.io");
      assertThat(SimEvents.has(client, pvc, "ProvisioningSucceeded", volume)).isTrue();
    }
  }

  @Test
  void claimWithoutClassGetsTheDefaultClass() {
    try (ClusterSimulator sim = ClusterSimulator.start(client, FAST)) {
      client.resource(claim("dflt", "plain", null, "ReadWriteMany", "1Gi")).create();

      await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(phase("dflt", "plain")));
      assertThat(get("dflt", "plain").getSpec().getStorageClassName()).isEqualTo("standard");
    }
  }

  @Test
  void capacityLimitKeepsClaimsPendingUntilSpaceIsFreed() {
    // Volumes of the other tests (same mock server) would count against the pool.
    client.persistentVolumes().delete();
    SimulatorOptions small = FAST.withStorageCapacity(new Quantity("10Gi"));
    try (ClusterSimulator sim = ClusterSimulator.start(client, small)) {
      client.resource(claim("cap", "first", null, "ReadWriteMany", "6Gi")).create();
      await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(phase("cap", "first")));

      PersistentVolumeClaim second =
          client.resource(claim("cap", "second", null, "ReadWriteMany", "6Gi")).create();
      await().atMost(Duration.ofSeconds(10)).until(() -> provisioningFailed(second) != null);
      assertThat(provisioningFailed(second).getMessage())
          .startsWith("failed to provision volume with StorageClass \"standard\"")
          .contains("insufficient capacity")
          .contains("requested 6Gi, 4Gi of 10Gi available");
      assertThat(phase("cap", "second")).isNotEqualTo("Bound");

      // Deleting the first claim deletes its volume (reclaim policy Delete) and frees the space.
      String firstVolume = get("cap", "first").getSpec().getVolumeName();
      client.persistentVolumeClaims().inNamespace("cap").withName("first").delete();
      await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(phase("cap", "second")));
      assertThat(client.persistentVolumes().withName(firstVolume).get()).isNull();
    }
  }

  @Test
  void aDeletedClaimsVolumeIsReportedGoneBeforeAClaimOfItsNameBindsAgain() {
    java.util.List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ClusterSimulator sim =
        ClusterSimulator.start(client, FAST, job -> null, (namespace, claim) -> deleted.add(namespace + "/" + claim + " " + phase(namespace, claim)))) {
      client.resource(claim("again", "weights", null, "ReadWriteMany", "1Gi")).create();
      await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(phase("again", "weights")));
      String firstVolume = get("again", "weights").getSpec().getVolumeName();

      client.persistentVolumeClaims().inNamespace("again").withName("weights").delete();
      client.resource(claim("again", "weights", null, "ReadWriteMany", "1Gi")).create();

      await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(phase("again", "weights")));
      assertThat(get("again", "weights").getSpec().getVolumeName()).isNotEqualTo(firstVolume);
      assertThat(client.persistentVolumes().withName(firstVolume).get()).isNull();
      // Told once, while the claim of that name was not bound yet (so its files go before new ones are written).
      assertThat(deleted).singleElement().satisfies(d -> assertThat(d).startsWith("again/weights ").doesNotEndWith("Bound"));
    }
  }

  @Test
  void unboundInjectedOnTheOwnerKeepsTheClaimPending() {
    try (ClusterSimulator sim = ClusterSimulator.start(client, FAST)) {
      GenericKubernetesResource artifact =
          client
              .genericKubernetesResources(ARTIFACTS)
              .inNamespace("inject")
              .resource(
                  new GenericKubernetesResourceBuilder()
                      .withApiVersion("aim.eai.amd.com/v1alpha1")
                      .withKind("AIMArtifact")
                      .withNewMetadata()
                      .withName("smol")
                      .withNamespace("inject")
                      .addToAnnotations("sim.dev.aim/inject", "Unbound")
                      .endMetadata()
                      .build())
              .create();
      PersistentVolumeClaim owned = claim("inject", "smol-cache", null, "ReadWriteMany", "1Gi");
      owned.getMetadata().setOwnerReferences(List.of(SimSupport.controllerRef(artifact)));
      PersistentVolumeClaim pvc = client.resource(owned).create();

      await().atMost(Duration.ofSeconds(10)).until(() -> provisioningFailed(pvc) != null);
      assertThat(provisioningFailed(pvc).getMessage())
          .isEqualTo("injected: volume cannot be provisioned");
      assertThat(provisioningFailed(pvc).getType()).isEqualTo("Warning");
      assertThat(phase("inject", "smol-cache")).isNotEqualTo("Bound");

      // Lifting the injection and touching the claim lets it bind.
      client
          .genericKubernetesResources(ARTIFACTS)
          .inNamespace("inject")
          .withName("smol")
          .edit(
              a -> {
                a.getMetadata().getAnnotations().remove("sim.dev.aim/inject");
                return a;
              });
      client
          .persistentVolumeClaims()
          .inNamespace("inject")
          .withName("smol-cache")
          .edit(
              c -> {
                c.getMetadata().setLabels(Map.of("touched", "yes"));
                return c;
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> "Bound".equals(phase("inject", "smol-cache")));
    }
  }
}
