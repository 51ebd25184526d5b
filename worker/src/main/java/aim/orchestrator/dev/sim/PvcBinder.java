package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plays the volume provisioner and the PV binder: a pending PersistentVolumeClaim becomes {@code
 * Bound} with the requested capacity and access modes.
 *
 * <p>No PersistentVolume is created and {@code spec.volumeName} stays empty; the AIM engine only
 * looks at the claim's phase.
 */
final class PvcBinder extends SimulatedController<PersistentVolumeClaim> {

  static final String BOUND = "Bound";

  PvcBinder(KubernetesClient client, Duration reactionDelay) {
    super("pvc-binder", client, reactionDelay);
  }

  @Override
  protected SharedIndexInformer<PersistentVolumeClaim> newInformer() {
    return client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0);
  }

  @Override
  protected boolean needsWork(PersistentVolumeClaim pvc) {
    return !SimSupport.isDeleting(pvc) && isPending(pvc);
  }

  private static boolean isPending(PersistentVolumeClaim pvc) {
    String phase = pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
    return phase == null || phase.isEmpty() || "Pending".equals(phase);
  }

  @Override
  protected void reconcile(String namespace, String name) {
    var claims = client.persistentVolumeClaims().inNamespace(namespace);
    var result =
        SimSupport.writeStatus(
            () -> claims.withName(name).get(),
            pvc -> {
              if (!needsWork(pvc)) {
                return false;
              }
              PersistentVolumeClaimStatus status =
                  pvc.getStatus() == null ? new PersistentVolumeClaimStatus() : pvc.getStatus();
              status.setPhase(BOUND);
              Map<String, Quantity> capacity = new LinkedHashMap<>();
              Quantity requested = requestedStorage(pvc);
              if (requested != null) {
                capacity.put("storage", requested);
              }
              status.setCapacity(capacity);
              status.setAccessModes(
                  pvc.getSpec() == null || pvc.getSpec().getAccessModes() == null
                      ? new ArrayList<>()
                      : new ArrayList<>(pvc.getSpec().getAccessModes()));
              pvc.setStatus(status);
              return true;
            },
            pvc -> claims.resource(pvc));
    if (result.written()) {
      PersistentVolumeClaim written = result.object();
      Quantity requested = requestedStorage(written);
      String storageClass =
          written.getSpec() == null ? null : written.getSpec().getStorageClassName();
      log.info(
          "bound PersistentVolumeClaim {}/{} (capacity {}, storage class {})",
          namespace,
          name,
          requested == null ? "unspecified" : requested.toString(),
          storageClass == null ? "<default: " + ClusterFixtures.STORAGE_CLASS + ">" : storageClass);
    }
  }

  private static Quantity requestedStorage(PersistentVolumeClaim pvc) {
    if (pvc.getSpec() == null
        || pvc.getSpec().getResources() == null
        || pvc.getSpec().getResources().getRequests() == null) {
      return null;
    }
    return pvc.getSpec().getResources().getRequests().get("storage");
  }
}
