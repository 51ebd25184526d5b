package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.MODEL;
import static aim.orchestrator.activities.Fixtures.MODEL_ID;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SERVICE;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static aim.orchestrator.activities.Fixtures.TEMPLATE;
import static aim.orchestrator.activities.Fixtures.ref;
import static aim.orchestrator.activities.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.AIMTemplateCacheStatus;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.status.ComponentHealth;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Storage problems of an artifact's PVC, read from the claim, its StorageClass and its Events as a real cluster (or
 * the dev simulator) records them, and how they travel up to the template cache and the service.
 */
class StorageProblemsTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  final CacheActivitiesImpl cache = new CacheActivitiesImpl(cluster.kube());
  final ServiceActivitiesImpl service = new ServiceActivitiesImpl(cluster.kube());

  AIMArtifact artifact(String storageClass) {
    AIMArtifact a = Fixtures.artifact(NS, "weights", SOURCE_URI, "66Gi", null);
    a.getSpec().storageClassName = storageClass;
    return cluster.create(a);
  }

  PersistentVolumeClaim pvc(AIMArtifact a) {
    return cluster.client().persistentVolumeClaims().inNamespace(NS)
        .withName(DerivedNames.artifactPvc(a.getMetadata().getName(), a.getMetadata().getUid())).get();
  }

  /** An Event on the claim, as a provisioner or the PersistentVolume controller writes it. */
  void event(PersistentVolumeClaim pvc, String type, String component, String reason, String message, String at) {
    cluster.client().v1().events().inNamespace(NS).resource(
        new EventBuilder()
            .withNewMetadata().withName(pvc.getMetadata().getName() + "." + reason.toLowerCase() + at.hashCode()).endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withKind("PersistentVolumeClaim").withNamespace(NS).withName(pvc.getMetadata().getName())
                    .withUid(pvc.getMetadata().getUid()).build())
            .withType(type).withReason(reason).withMessage(message)
            .withNewSource().withComponent(component).endSource()
            .withLastTimestamp(at).withFirstTimestamp(at).withCount(1)
            .build()).create();
  }

  ComponentHealth storage(AIMArtifact a) {
    StageResult r = cache.artifactStorage(ref(a));
    assertThat(r.components()).hasSize(1);
    return r.components().get(0);
  }

  void storageClass(String name, String bindingMode) {
    cluster.client().storage().v1().storageClasses().resource(
        new StorageClassBuilder().withNewMetadata().withName(name).endMetadata()
            .withProvisioner("example.com/" + name).withVolumeBindingMode(bindingMode).build()).create();
  }

  @Test
  void aPendingClaimWithoutComplaintsIsPVCPending() {
    storageClass("rwx", "Immediate");
    AIMArtifact a = artifact("rwx");

    assertThat(storage(a)).extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Progressing, "PVCPending");
  }

  @Test
  void aStorageClassThatDoesNotExistIsStorageClassMissing() {
    AIMArtifact a = artifact("fast-nvme");

    ComponentHealth h = storage(a);

    assertThat(h.state()).isEqualTo(AIMStatus.Failed);
    assertThat(h.reason()).isEqualTo("StorageClassMissing");
    assertThat(h.message()).contains("StorageClass \"fast-nvme\" does not exist");
  }

  @Test
  void noClassAndNoDefaultClassIsStorageClassMissing() {
    AIMArtifact a = artifact(null);
    storage(a);
    event(pvc(a), "Normal", "persistentvolume-controller", "FailedBinding",
        "no persistent volumes available for this claim and no storage class is set", "2026-03-01T10:00:00Z");

    ComponentHealth h = storage(a);

    assertThat(h.reason()).isEqualTo("StorageClassMissing");
    assertThat(h.message()).contains("no default");
  }

  @Test
  void aClassWithoutReadWriteManyIsNamedInTheMessage() {
    storageClass("local-rwo", "Immediate");
    AIMArtifact a = artifact("local-rwo");
    storage(a);
    event(pvc(a), "Warning", "dev.aim/simulated-local", "ProvisioningFailed",
        "failed to provision volume with StorageClass \"local-rwo\": ReadWriteMany access mode is not supported",
        "2026-03-01T10:00:00Z");

    ComponentHealth h = storage(a);

    assertThat(h.state()).isEqualTo(AIMStatus.Failed);
    assertThat(h.reason()).isEqualTo("PVCNotBound");
    assertThat(h.message()).contains("StorageClass \"local-rwo\" cannot provision ReadWriteMany volumes");
  }

  @Test
  void aFullStoragePoolIsInsufficientCapacity() {
    storageClass("standard", "Immediate");
    AIMArtifact a = artifact("standard");
    storage(a);
    event(pvc(a), "Warning", "dev.aim/simulated", "ProvisioningFailed",
        "failed to provision volume with StorageClass \"standard\": rpc error: code = ResourceExhausted desc = insufficient"
            + " capacity: requested 73Gi, 4Gi of 10Gi available",
        "2026-03-01T10:00:00Z");

    ComponentHealth h = storage(a);

    assertThat(h.reason()).isEqualTo("InsufficientCapacity");
    assertThat(h.message()).contains("requested 73Gi, 4Gi of 10Gi available");
  }

  @Test
  void theLatestWarningDecides() {
    storageClass("standard", "Immediate");
    AIMArtifact a = artifact("standard");
    storage(a);
    event(pvc(a), "Warning", "p", "ProvisioningFailed", "insufficient capacity: requested 73Gi", "2026-03-01T10:00:00Z");
    event(pvc(a), "Warning", "p", "ProvisioningFailed", "backend timed out", "2026-03-01T10:05:00Z");

    assertThat(storage(a).reason()).isEqualTo("PVCNotBound");
    assertThat(storage(a).message()).contains("ProvisioningFailed: backend timed out");
  }

  @Test
  void aWaitForFirstConsumerClassLetsTheDownloadJobBindIt() {
    storageClass("topo", "WaitForFirstConsumer");
    AIMArtifact a = artifact("topo");

    assertThat(storage(a)).extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Ready, "WaitForFirstConsumer");
  }

  @Test
  void theTemplateCacheAndTheServiceShowTheArtifactsStorageReason() {
    AIMServiceTemplate t =
        cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready, source(MODEL_ID, SOURCE_URI, "66Gi")));
    AIMArtifact a = Fixtures.artifact(NS, "weights", SOURCE_URI, "66Gi", ResourceStatusValue.Failed);
    String message = "PVC weights-cache is not bound: StorageClass \"local-rwo\" cannot provision ReadWriteMany volumes";
    a.getStatus().conditions =
        List.of(
            condition("CachePvcReady", "False", "PVCNotBound", message),
            condition("Ready", "False", "PVCNotBound", "Component CachePvc is not ready: " + message));
    cluster.create(a);
    AIMTemplateCache c =
        cluster.create(Fixtures.templateCache(NS, "qwen-cache", TEMPLATE, AIMTemplateCacheSpec.Mode.Shared, null));

    ComponentHealth artifacts = cache.cacheArtifacts(ref(c)).components().get(0);

    assertThat(artifacts.state()).isEqualTo(AIMStatus.Failed);
    assertThat(artifacts.reason()).isEqualTo("PVCNotBound");
    assertThat(artifacts.message()).contains("local-rwo");

    AIMTemplateCacheStatus cs = new AIMTemplateCacheStatus();
    cs.status = ResourceStatusValue.Failed;
    cs.conditions = List.of(condition("ArtifactsReady", "False", artifacts.reason(), artifacts.message()));
    cluster.setStatus(cluster.client().resource(c).get(), cs);
    AIMService svc = Fixtures.service(NS, SERVICE);
    svc.getSpec().model.name = MODEL;
    svc = cluster.create(svc);
    AIMResolvedReference tref = new AIMResolvedReference();
    tref.name = TEMPLATE;
    tref.namespace = NS;
    tref.scope = AIMScope.Namespace;
    tref.kind = "AIMServiceTemplate";
    tref.uid = t.getMetadata().getUid();

    ComponentHealth onService = service.ensureTemplateCache(ref(svc), tref).components().get(0);

    assertThat(onService.state()).isEqualTo(AIMStatus.Failed);
    assertThat(onService.reason()).isEqualTo("PVCNotBound");
    assertThat(onService.message()).startsWith("AIMTemplateCache qwen-cache: ").contains("local-rwo");
  }

  @Test
  void aProgressingArtifactShowsItsFirstFailingComponent() {
    AIMArtifact a = Fixtures.artifact(NS, "weights", SOURCE_URI, "66Gi", ResourceStatusValue.Progressing);
    a.getStatus().conditions =
        List.of(
            condition("CachePvcReady", "False", "PVCPending", "PVC weights-cache is not bound yet"),
            condition("Ready", "False", "Progressing", "Waiting for CachePvc"));

    assertThat(CacheActivitiesImpl.whyNotReady(a).getReason()).isEqualTo("PVCPending");
  }

  static io.fabric8.kubernetes.api.model.Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime("2026-03-01T10:00:00Z").build();
  }
}
