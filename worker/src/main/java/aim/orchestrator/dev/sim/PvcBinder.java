package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Plays a dynamic volume provisioner and the PersistentVolume controller: a pending
 * PersistentVolumeClaim gets a PersistentVolume {@code pvc-<claim uid>} and becomes {@code Bound} —
 * if its StorageClass can serve it.
 *
 * <p>A claim binds only when its class exists (or, naming none, a default class exists), the class
 * supports every requested access mode, and the simulated storage pool has room for the request.
 * Which access modes a class supports is read from its annotation {@value #ACCESS_MODES} (a comma
 * separated list; a class without it supports every mode), so tests can bring their own classes.
 * Otherwise the claim stays {@code Pending} with the Event a real cluster gives ({@code
 * ProvisioningFailed} / {@code FailedBinding}), and is looked at again when a StorageClass appears
 * or changes and when a claim goes away (freeing capacity). {@link FailureInjection#UNBOUND} keeps
 * a claim pending on purpose.
 *
 * <p>This provisioner serves every StorageClass, whatever its {@code provisioner}. When a claim is
 * deleted, its volume is deleted too (reclaim policy {@code Delete}, the default) or kept ({@code
 * Retain}, still counting against the capacity).
 */
final class PvcBinder extends SimulatedController<PersistentVolumeClaim> {

  static final String BOUND = "Bound";

  /** StorageClass annotation listing the access modes the class supports. */
  static final String ACCESS_MODES = "sim.dev.aim/access-modes";

  static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  static final String BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";
  static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

  private static final List<String> ALL_ACCESS_MODES =
      List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");
  private static final String PROVISIONING_FAILED = "ProvisioningFailed";

  private final Duration reactionDelay;
  private final Quantity capacity;
  private final EventRecorder events;
  private final BiConsumer<String, String> volumeDeleted;
  private volatile SharedIndexInformer<PersistentVolumeClaim> claims;
  private volatile SharedIndexInformer<StorageClass> classes;

  PvcBinder(KubernetesClient client, Duration reactionDelay) {
    this(client, reactionDelay, null);
  }

  /**
   * @param capacity total size of the simulated storage pool, {@code null} for unlimited
   */
  PvcBinder(KubernetesClient client, Duration reactionDelay, Quantity capacity) {
    this(client, reactionDelay, capacity, (namespace, claim) -> {});
  }

  /**
   * @param volumeDeleted told {@code (namespace, claim)} when a claim's volume is deleted with it, before a claim
   *     of that name is bound again (the dev mode removes the claim's folder)
   */
  PvcBinder(KubernetesClient client, Duration reactionDelay, Quantity capacity, BiConsumer<String, String> volumeDeleted) {
    super("pvc-binder", client, reactionDelay);
    this.reactionDelay = reactionDelay;
    this.capacity = capacity;
    this.events = new EventRecorder(client);
    this.volumeDeleted = volumeDeleted;
  }

  @Override
  protected SharedIndexInformer<PersistentVolumeClaim> newInformer() {
    SharedIndexInformer<PersistentVolumeClaim> informer =
        client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0);
    // The base class ignores deletions; here a vanished claim must give its volume back.
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(PersistentVolumeClaim pvc) {}

          @Override
          public void onUpdate(PersistentVolumeClaim oldPvc, PersistentVolumeClaim newPvc) {}

          @Override
          public void onDelete(PersistentVolumeClaim pvc, boolean deletedFinalStateUnknown) {
            enqueue(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName(), Duration.ZERO);
          }
        });
    claims = informer;
    return informer;
  }

  @Override
  CompletionStage<Void> start() {
    CompletionStage<Void> own = super.start();
    // A claim waiting for its class binds as soon as the class shows up.
    SharedIndexInformer<StorageClass> informer =
        client.storage().v1().storageClasses().runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(StorageClass sc) {
            requeuePending();
          }

          @Override
          public void onUpdate(StorageClass oldSc, StorageClass newSc) {
            requeuePending();
          }

          @Override
          public void onDelete(StorageClass sc, boolean deletedFinalStateUnknown) {}
        });
    classes = informer;
    return own.thenCombine(informer.start(), (a, b) -> null);
  }

  private void requeuePending() {
    SharedIndexInformer<PersistentVolumeClaim> informer = claims;
    if (informer == null) {
      return;
    }
    for (PersistentVolumeClaim pvc : informer.getStore().list()) {
      if (needsWork(pvc)) {
        enqueue(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName(), reactionDelay);
      }
    }
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
    var claimsApi = client.persistentVolumeClaims().inNamespace(namespace);
    PersistentVolumeClaim pvc = claimsApi.withName(name).get();
    if (pvc == null) {
      if (releaseVolumes(simulatedVolumes(), namespace, name, null)) {
        requeuePending();
      }
      return;
    }
    if (!needsWork(pvc)) {
      return;
    }
    List<PersistentVolume> volumes = simulatedVolumes();
    if (releaseVolumes(volumes, namespace, name, pvc.getMetadata().getUid())) {
      volumes = simulatedVolumes();
    }

    if (FailureInjection.find(client, pvc)
        .filter(i -> i.is(FailureInjection.UNBOUND))
        .isPresent()) {
      pending(
          pvc,
          EventRecorder.WARNING,
          ClusterFixtures.PROVISIONER,
          PROVISIONING_FAILED,
          "injected: volume cannot be provisioned");
      return;
    }
    String className = pvc.getSpec() == null ? null : pvc.getSpec().getStorageClassName();
    StorageClass sc;
    if (className == null) {
      sc = defaultClass().orElse(null);
      if (sc == null) {
        noClass(pvc);
        return;
      }
    } else if (className.isEmpty()) {
      // "" asks for a pre-provisioned volume without a class; nothing provisions those.
      noClass(pvc);
      return;
    } else {
      sc = client.storage().v1().storageClasses().withName(className).get();
      if (sc == null) {
        pending(
            pvc,
            EventRecorder.WARNING,
            EventRecorder.PV_CONTROLLER,
            PROVISIONING_FAILED,
            "storageclass.storage.k8s.io \"" + className + "\" not found");
        return;
      }
    }
    String scName = sc.getMetadata().getName();
    String provisioner =
        Objects.requireNonNullElse(sc.getProvisioner(), ClusterFixtures.PROVISIONER);
    List<String> requestedModes = accessModes(pvc);
    List<String> supported = supportedModes(sc);
    Optional<String> unsupported =
        requestedModes.stream().filter(m -> !supported.contains(m)).findFirst();
    if (unsupported.isPresent()) {
      pending(
          pvc,
          EventRecorder.WARNING,
          provisioner,
          PROVISIONING_FAILED,
          "failed to provision volume with StorageClass \""
              + scName
              + "\": "
              + unsupported.get()
              + " access mode is not supported");
      return;
    }

    String volumeName = "pvc-" + pvc.getMetadata().getUid();
    Quantity requested = requestedStorage(pvc);
    boolean provisioned =
        volumes.stream().anyMatch(v -> volumeName.equals(v.getMetadata().getName()));
    if (!provisioned) {
      Optional<String> noRoom = checkCapacity(volumes, requested);
      if (noRoom.isPresent()) {
        pending(
            pvc,
            EventRecorder.WARNING,
            provisioner,
            PROVISIONING_FAILED,
            "failed to provision volume with StorageClass \""
                + scName
                + "\": rpc error: code = ResourceExhausted desc = insufficient capacity: "
                + noRoom.get());
        return;
      }
      events.normal(
          pvc,
          provisioner,
          "Provisioning",
          "External provisioner is provisioning volume for claim \""
              + namespace
              + "/"
              + name
              + "\"");
      createVolume(pvc, sc, volumeName, requested, requestedModes, provisioner);
    }
    bind(pvc, scName, volumeName, provisioner, className == null);
  }

  private void bind(
      PersistentVolumeClaim pvc,
      String scName,
      String volumeName,
      String provisioner,
      boolean defaulted) {
    String namespace = pvc.getMetadata().getNamespace();
    String name = pvc.getMetadata().getName();
    var claimsApi = client.persistentVolumeClaims().inNamespace(namespace);
    // Spec and annotations first, as the PV controller binds the claim before it marks it Bound.
    claimsApi
        .withName(name)
        .edit(
            c -> {
              c.getSpec().setVolumeName(volumeName);
              if (defaulted && c.getSpec().getStorageClassName() == null) {
                // What the retroactive default-StorageClass assignment writes.
                c.getSpec().setStorageClassName(scName);
              }
              Map<String, String> annotations =
                  c.getMetadata().getAnnotations() == null
                      ? new LinkedHashMap<>()
                      : new LinkedHashMap<>(c.getMetadata().getAnnotations());
              annotations.put("pv.kubernetes.io/bind-completed", "yes");
              annotations.put("pv.kubernetes.io/bound-by-controller", "yes");
              annotations.put("volume.beta.kubernetes.io/storage-provisioner", provisioner);
              annotations.put("volume.kubernetes.io/storage-provisioner", provisioner);
              c.getMetadata().setAnnotations(annotations);
              return c;
            });
    var result =
        SimSupport.writeStatus(
            () -> claimsApi.withName(name).get(),
            c -> {
              if (!needsWork(c)) {
                return false;
              }
              PersistentVolumeClaimStatus status =
                  c.getStatus() == null ? new PersistentVolumeClaimStatus() : c.getStatus();
              status.setPhase(BOUND);
              Map<String, Quantity> capacityMap = new LinkedHashMap<>();
              Quantity requested = requestedStorage(c);
              if (requested != null) {
                capacityMap.put("storage", requested);
              }
              status.setCapacity(capacityMap);
              status.setAccessModes(new ArrayList<>(accessModes(c)));
              c.setStatus(status);
              return true;
            },
            c -> claimsApi.resource(c));
    if (result.written()) {
      PersistentVolumeClaim written = result.object();
      events.normal(
          written,
          provisioner,
          "ProvisioningSucceeded",
          "Successfully provisioned volume " + volumeName);
      Quantity requested = requestedStorage(written);
      log.info(
          "bound PersistentVolumeClaim {}/{} to volume {} (capacity {}, storage class {})",
          namespace,
          name,
          volumeName,
          requested == null ? "unspecified" : requested.toString(),
          defaulted ? "<default: " + scName + ">" : scName);
    }
  }

  private void createVolume(
      PersistentVolumeClaim pvc,
      StorageClass sc,
      String volumeName,
      Quantity requested,
      List<String> modes,
      String provisioner) {
    PersistentVolume pv =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(volumeName)
            .addToLabels(SimSupport.SIMULATED_LABEL, "true")
            .addToAnnotations(PROVISIONED_BY, provisioner)
            .endMetadata()
            .withNewSpec()
            .withCapacity(Map.of("storage", requested == null ? new Quantity("0") : requested))
            .withAccessModes(modes)
            .withPersistentVolumeReclaimPolicy(
                Objects.requireNonNullElse(sc.getReclaimPolicy(), "Delete"))
            .withStorageClassName(sc.getMetadata().getName())
            .withVolumeMode(Objects.requireNonNullElse(pvc.getSpec().getVolumeMode(), "Filesystem"))
            .withNewClaimRef()
            .withApiVersion("v1")
            .withKind("PersistentVolumeClaim")
            .withNamespace(pvc.getMetadata().getNamespace())
            .withName(pvc.getMetadata().getName())
            .withUid(pvc.getMetadata().getUid())
            .withResourceVersion(pvc.getMetadata().getResourceVersion())
            .endClaimRef()
            .withNewCsi()
            .withDriver(provisioner)
            .withVolumeHandle(volumeName)
            .endCsi()
            .endSpec()
            .withNewStatus()
            .withPhase(BOUND)
            .endStatus()
            .build();
    PersistentVolume created;
    try {
      created = client.persistentVolumes().resource(pv).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return;
    }
    if (created.getStatus() == null || !BOUND.equals(created.getStatus().getPhase())) {
      // A real API server drops status on create; the mock keeps it.
      created.setStatus(pv.getStatus());
      client.persistentVolumes().resource(created).updateStatus();
    }
  }

  /** The claim stays Pending: only an Event says why, as with a real provisioner. */
  private void pending(
      PersistentVolumeClaim pvc, String type, String component, String reason, String message) {
    // A real API server reports a new claim as phase Pending; keep that visible in kubectl describe.
    if (pvc.getStatus() == null || pvc.getStatus().getPhase() == null) {
      var claims = client.persistentVolumeClaims().inNamespace(pvc.getMetadata().getNamespace());
      SimSupport.writeStatus(
          () -> claims.withName(pvc.getMetadata().getName()).get(),
          c -> {
            if (c.getStatus() != null && c.getStatus().getPhase() != null) {
              return false;
            }
            PersistentVolumeClaimStatus status = c.getStatus() == null ? new PersistentVolumeClaimStatus() : c.getStatus();
            status.setPhase("Pending");
            c.setStatus(status);
            return true;
          },
          c -> claims.resource(c));
    }
    events.record(pvc, null, component, null, type, reason, message);
    log.info(
        "PersistentVolumeClaim {} stays Pending: {} {}", SimSupport.keyOf(pvc), reason, message);
  }

  private void noClass(PersistentVolumeClaim pvc) {
    pending(
        pvc,
        EventRecorder.NORMAL,
        EventRecorder.PV_CONTROLLER,
        "FailedBinding",
        "no persistent volumes available for this claim and no storage class is set");
  }

  /** Deletes volumes of claim {@code namespace/name} other than {@code keepUid}'s; true if any. */
  private boolean releaseVolumes(
      List<PersistentVolume> volumes, String namespace, String name, String keepUid) {
    boolean released = false;
    for (PersistentVolume pv : volumes) {
      var ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
      if (ref == null
          || !namespace.equals(ref.getNamespace())
          || !name.equals(ref.getName())
          || Objects.equals(ref.getUid(), keepUid)
          || !"Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())) {
        continue;
      }
      client.persistentVolumes().resource(pv).delete();
      volumeDeleted.accept(namespace, name);
      released = true;
      log.info(
          "deleted PersistentVolume {} of removed claim {}/{}",
          pv.getMetadata().getName(),
          namespace,
          name);
    }
    return released;
  }

  private List<PersistentVolume> simulatedVolumes() {
    return client
        .persistentVolumes()
        .withLabel(SimSupport.SIMULATED_LABEL, "true")
        .list()
        .getItems();
  }

  /** Why {@code requested} does not fit the pool, if it does not. */
  private Optional<String> checkCapacity(List<PersistentVolume> volumes, Quantity requested) {
    if (capacity == null) {
      return Optional.empty();
    }
    BigDecimal used = BigDecimal.ZERO;
    for (PersistentVolume pv : volumes) {
      Quantity q =
          pv.getSpec() == null || pv.getSpec().getCapacity() == null
              ? null
              : pv.getSpec().getCapacity().get("storage");
      if (q != null) {
        used = used.add(q.getNumericalAmount());
      }
    }
    BigDecimal total = capacity.getNumericalAmount();
    BigDecimal wanted = requested == null ? BigDecimal.ZERO : requested.getNumericalAmount();
    if (used.add(wanted).compareTo(total) <= 0) {
      return Optional.empty();
    }
    BigDecimal free = total.subtract(used).max(BigDecimal.ZERO);
    return Optional.of(
        "requested "
            + (requested == null ? "0" : requested.toString())
            + ", "
            + bytes(free)
            + " of "
            + bytes(total)
            + " available");
  }

  /** Formats a byte count the way a human would write the quantity (e.g. 4Gi). */
  static String bytes(BigDecimal amount) {
    BigInteger n = amount.setScale(0, java.math.RoundingMode.CEILING).toBigIntegerExact();
    String[] units = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < units.length; i++) {
      BigInteger unit = BigInteger.ONE.shiftLeft(10 * (units.length - i));
      if (n.signum() > 0 && n.mod(unit).signum() == 0) {
        return n.divide(unit) + units[i];
      }
    }
    return n.toString();
  }

  private Optional<StorageClass> defaultClass() {
    // With several defaults Kubernetes takes the newest one.
    return client.storage().v1().storageClasses().list().getItems().stream()
        .filter(PvcBinder::isDefault)
        .max(
            Comparator.comparing(
                (StorageClass sc) ->
                    Objects.toString(sc.getMetadata().getCreationTimestamp(), "")));
  }

  static boolean isDefault(StorageClass sc) {
    Map<String, String> annotations = sc.getMetadata().getAnnotations();
    return annotations != null
        && ("true".equals(annotations.get(DEFAULT_CLASS))
            || "true".equals(annotations.get(BETA_DEFAULT_CLASS)));
  }

  static List<String> supportedModes(StorageClass sc) {
    Map<String, String> annotations = sc.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(ACCESS_MODES);
    if (value == null || value.isBlank()) {
      return ALL_ACCESS_MODES;
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
  }

  private static List<String> accessModes(PersistentVolumeClaim pvc) {
    return pvc.getSpec() == null || pvc.getSpec().getAccessModes() == null
        ? List.of()
        : pvc.getSpec().getAccessModes();
  }

  private static Quantity requestedStorage(PersistentVolumeClaim pvc) {
    if (pvc.getSpec() == null
        || pvc.getSpec().getResources() == null
        || pvc.getSpec().getResources().getRequests() == null) {
      return null;
    }
    return pvc.getSpec().getResources().getRequests().get("storage");
  }

  @Override
  public void close() {
    super.close();
    SharedIndexInformer<StorageClass> informer = classes;
    if (informer != null) {
      informer.stop();
    }
  }
}
