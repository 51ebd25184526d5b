package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.MODEL;
import static aim.orchestrator.activities.Fixtures.MODEL_ID;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static aim.orchestrator.activities.Fixtures.TEMPLATE;
import static aim.orchestrator.activities.Fixtures.ref;
import static aim.orchestrator.activities.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactStatus;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.AIMStorageConfig;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.AIMTemplateCacheStatus;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CacheActivitiesImplTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  /**
   * The name the reference gives the artifact of hf://Qwen/Qwen3-32B (no env, no storage class,
   * Shared).
   */
  static final String ARTIFACT = "hf---qwen-qwen3-32b-c00b812b59";

  final CacheActivitiesImpl activities = new CacheActivitiesImpl(cluster.kube());

  static ComponentHealth only(StageResult result) {
    assertThat(result.components()).hasSize(1);
    return result.components().get(0);
  }

  List<AIMArtifact> artifacts() {
    return cluster.client().resources(AIMArtifact.class).inNamespace(NS).list().getItems();
  }

  AIMArtifact artifact(String name) {
    return cluster.client().resources(AIMArtifact.class).inNamespace(NS).withName(name).get();
  }

  static Condition readyCondition(String status, String reason) {
    return new ConditionBuilder()
        .withType("Ready")
        .withStatus(status)
        .withReason(reason)
        .withLastTransitionTime("2026-03-01T10:00:00Z")
        .build();
  }

  @Nested
  class CacheArtifacts {
    AIMTemplateCache cache(AIMTemplateCacheSpec.Mode mode, String storageClass) {
      AIMTemplateCache c = Fixtures.templateCache(NS, "qwen-cache", TEMPLATE, mode, null);
      c.getSpec().storageClassName = storageClass;
      c.getSpec().runtimeConfigName = "gpu-team";
      return cluster.create(c);
    }

    void readyTemplate() {
      cluster.create(
          Fixtures.template(
              NS,
              TEMPLATE,
              MODEL,
              ResourceStatusValue.Ready,
              source(MODEL_ID, SOURCE_URI, "66Gi")));
    }

    @Test
    void createsOneArtifactPerModelSourceWithTheReferenceName() {
      readyTemplate();
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Shared, null);

      StageResult result = activities.cacheArtifacts(ref(cache));

      assertThat(only(result))
          .extracting(
              ComponentHealth::component,
              ComponentHealth::state,
              ComponentHealth::reason,
              ComponentHealth::dependency)
          .containsExactly(
              "Artifacts", AIMStatus.Progressing, "CreatingCaches", DependencyType.DOWNSTREAM);
      assertThat(artifacts())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.getMetadata().getName())
                    .isEqualTo(ARTIFACT)
                    .isEqualTo(DerivedNames.artifact(SOURCE_URI, null, "", null));
                assertThat(a.getMetadata().getOwnerReferences()).isEmpty();
                assertThat(a.getMetadata().getLabels())
                    .containsOnly(
                        entry(Aim.LABEL_TEMPLATE_CREATED, "true"),
                        entry(Aim.LABEL_TEMPLATE_NAME, TEMPLATE),
                        entry(Aim.LABEL_TEMPLATE, TEMPLATE),
                        entry(Aim.LABEL_TEMPLATE_SCOPE, "Namespace"),
                        entry(Aim.LABEL_TEMPLATE_INDEX, "0"),
                        entry(Aim.LABEL_TEMPLATE_CACHE_NAME, "qwen-cache"));
                assertThat(a.getSpec().sourceUri).isEqualTo(SOURCE_URI);
                assertThat(a.getSpec().modelId).isEqualTo(MODEL_ID);
                assertThat(a.getSpec().size).isEqualTo(new Quantity("66Gi"));
                assertThat(a.getSpec().env).isNull();
                assertThat(a.getSpec().storageClassName).isNull();
                assertThat(a.getSpec().runtimeConfigName).isEqualTo("gpu-team");
              });
    }

    @Test
    void mergesCacheEnvAndSourceEnvAndHashesThemIntoTheName() {
      var withEnv = source(MODEL_ID, SOURCE_URI, "66Gi");
      withEnv.env = List.of(Fixtures.env("HF_ENDPOINT", "https://mirror.example.com"));
      cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready, withEnv));
      AIMTemplateCache c =
          Fixtures.templateCache(
              NS, "qwen-cache", TEMPLATE, AIMTemplateCacheSpec.Mode.Shared, null);
      c.getSpec().env = List.of(Fixtures.env("HF_TOKEN", "from-cache"));
      c = cluster.create(c);

      activities.cacheArtifacts(ref(c));

      List<EnvVar> merged =
          List.of(
              Fixtures.env("HF_TOKEN", "from-cache"),
              Fixtures.env("HF_ENDPOINT", "https://mirror.example.com"));
      assertThat(artifacts())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.getMetadata().getName())
                    .isEqualTo(DerivedNames.artifact(SOURCE_URI, merged, "", null))
                    .isNotEqualTo(ARTIFACT);
                assertThat(a.getSpec().env).containsExactlyElementsOf(merged);
              });
    }

    @Test
    void aSecondCallCreatesNothingNew() {
      readyTemplate();
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Shared, null);
      activities.cacheArtifacts(ref(cache));

      StageResult second = activities.cacheArtifacts(ref(cache));

      assertThat(artifacts()).hasSize(1);
      assertThat(only(second))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Progressing, "CachesNotReady");
    }

    @Test
    void reusesASharedArtifactOfTheSameSource() {
      readyTemplate();
      AIMArtifact theirs =
          Fixtures.artifact(NS, "made-by-hand", SOURCE_URI, "66Gi", ResourceStatusValue.Ready);
      theirs.getStatus().persistentVolumeClaim = "made-by-hand-pvc";
      cluster.create(theirs);
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Shared, null);

      StageResult result = activities.cacheArtifacts(ref(cache));

      assertThat(artifacts())
          .extracting(a -> a.getMetadata().getName())
          .containsExactly("made-by-hand");
      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Ready, "AllCachesReady");
      @SuppressWarnings("unchecked")
      Map<String, AIMTemplateCacheStatus.ArtifactEntry> entries =
          (Map<String, AIMTemplateCacheStatus.ArtifactEntry>)
              result.statusFields().get("artifacts");
      assertThat(entries).containsOnlyKeys("made-by-hand");
      assertThat(entries.get("made-by-hand"))
          .extracting(e -> e.name, e -> e.model, e -> e.status, e -> e.persistentVolumeClaim)
          .containsExactly("made-by-hand", MODEL_ID, "Ready", "made-by-hand-pvc");
    }

    @Test
    void aSharedCacheNeverReusesADedicatedArtifact() {
      readyTemplate();
      AIMArtifact dedicated =
          Fixtures.artifact(NS, "dedicated-one", SOURCE_URI, "66Gi", ResourceStatusValue.Ready);
      dedicated
          .getMetadata()
          .setOwnerReferences(
              List.of(Fixtures.ownerRef("AIMTemplateCache", "someone-elses-cache", "cache-uid")));
      cluster.create(dedicated);
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Shared, null);

      activities.cacheArtifacts(ref(cache));

      assertThat(artifacts())
          .extracting(a -> a.getMetadata().getName())
          .containsExactlyInAnyOrder("dedicated-one", ARTIFACT);
      assertThat(artifact(ARTIFACT).getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void aDedicatedCacheGetsItsOwnOwnedArtifact() {
      readyTemplate();
      cluster.create(
          Fixtures.artifact(NS, "shared-one", SOURCE_URI, "66Gi", ResourceStatusValue.Ready));
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Dedicated, null);

      activities.cacheArtifacts(ref(cache));

      String name = DerivedNames.artifact(SOURCE_URI, null, "", "qwen-cache");
      assertThat(artifacts())
          .extracting(a -> a.getMetadata().getName())
          .containsExactlyInAnyOrder("shared-one", name);
      assertThat(artifact(name).getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getUid()).isEqualTo(cache.getMetadata().getUid());
                assertThat(o.getKind()).isEqualTo("AIMTemplateCache");
              });
    }

    @Test
    void aCacheWithAStorageClassUsesOnlyArtifactsOfThatClass() {
      readyTemplate();
      AIMArtifact slow =
          Fixtures.artifact(NS, "on-slow-disks", SOURCE_URI, "66Gi", ResourceStatusValue.Ready);
      slow.getSpec().storageClassName = "slow";
      cluster.create(slow);
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Shared, "fast");

      activities.cacheArtifacts(ref(cache));

      String name = DerivedNames.artifact(SOURCE_URI, null, "fast", null);
      assertThat(artifacts())
          .extracting(a -> a.getMetadata().getName())
          .containsExactlyInAnyOrder("on-slow-disks", name);
      assertThat(artifact(name).getSpec().storageClassName).isEqualTo("fast");
    }

    @Test
    void aggregatesTheWorstArtifactAndCopiesItsReason() {
      cluster.create(
          Fixtures.template(
              NS,
              TEMPLATE,
              MODEL,
              ResourceStatusValue.Ready,
              source(MODEL_ID, SOURCE_URI, "66Gi"),
              source("Qwen/Qwen3-0.6B", "hf://Qwen/Qwen3-0.6B", "2Gi")));
      AIMArtifact good =
          Fixtures.artifact(NS, "big", SOURCE_URI, "66Gi", ResourceStatusValue.Ready);
      AIMArtifact bad =
          Fixtures.artifact(NS, "small", "hf://Qwen/Qwen3-0.6B", "2Gi", ResourceStatusValue.Failed);
      bad.getStatus().conditions = List.of(readyCondition("False", "SourceNotFound"));
      cluster.create(good);
      cluster.create(bad);
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Shared, null);

      StageResult result = activities.cacheArtifacts(ref(cache));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Failed, "SourceNotFound");
      assertThat(artifacts()).hasSize(2);
    }

    @Test
    void allReadyArtifactsMakeTheCacheReady() {
      readyTemplate();
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Shared, null);
      activities.cacheArtifacts(ref(cache));
      AIMArtifactStatus ready = new AIMArtifactStatus();
      ready.status = ResourceStatusValue.Ready;
      ready.persistentVolumeClaim = "the-pvc";
      cluster.setStatus(artifact(ARTIFACT), ready);

      StageResult result = activities.cacheArtifacts(ref(cache));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Ready, "AllCachesReady");
    }

    @Test
    void aTemplateWithoutSourcesHasNoCaches() {
      cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Progressing));
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Shared, null);

      assertThat(only(activities.cacheArtifacts(ref(cache))).reason()).isEqualTo("NoCaches");
      assertThat(artifacts()).isEmpty();
    }

    @Test
    void findsAClusterTemplate() {
      cluster.create(
          Fixtures.clusterTemplate(
              TEMPLATE, MODEL, ResourceStatusValue.Ready, source(MODEL_ID, SOURCE_URI, "66Gi")));
      AIMTemplateCache c =
          Fixtures.templateCache(
              NS, "qwen-cache", TEMPLATE, AIMTemplateCacheSpec.Mode.Shared, null);
      c.getSpec().templateScope = AIMScope.Cluster;
      c = cluster.create(c);

      assertThat(only(activities.cacheTemplate(ref(c))))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Ready, "TemplateFound");
      activities.cacheArtifacts(ref(c));

      assertThat(artifact(ARTIFACT).getMetadata().getLabels())
          .containsEntry(Aim.LABEL_TEMPLATE_SCOPE, "Cluster");
    }

    @Test
    void aMissingTemplateIsAMissingUpstreamDependency() {
      AIMTemplateCache cache = cache(AIMTemplateCacheSpec.Mode.Shared, null);

      assertThat(only(activities.cacheTemplate(ref(cache))))
          .extracting(ComponentHealth::error, ComponentHealth::reason)
          .containsExactly(ErrorCategory.MISSING_UPSTREAM, "TemplateNotFound");
    }
  }

  @Nested
  class ArtifactStorage {
    AIMArtifact stored(String size) {
      return cluster.create(Fixtures.artifact(NS, ARTIFACT, SOURCE_URI, size, null));
    }

    PersistentVolumeClaim pvc(AIMArtifact a) {
      return cluster
          .client()
          .persistentVolumeClaims()
          .inNamespace(NS)
          .withName(DerivedNames.artifactPvc(a.getMetadata().getName(), a.getMetadata().getUid()))
          .get();
    }

    @Test
    void createsAReadWriteManyPvcWithTenPercentHeadroom() {
      AIMArtifact a = stored("66Gi");

      StageResult result = activities.artifactStorage(ref(a));

      PersistentVolumeClaim pvc = pvc(a);
      assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
      assertThat(pvc.getSpec().getResources().getRequests())
          .containsExactly(entry("storage", new Quantity("73Gi")));
      assertThat(pvc.getSpec().getStorageClassName()).isNull();
      assertThat(pvc.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getUid()).isEqualTo(a.getMetadata().getUid());
                assertThat(o.getKind()).isEqualTo("AIMArtifact");
              });
      assertThat(pvc.getMetadata().getLabels()).containsEntry(Aim.LABEL_CACHE_NAME, ARTIFACT);
      assertThat(only(result))
          .extracting(ComponentHealth::component, ComponentHealth::state, ComponentHealth::reason)
          .containsExactly("CachePvc", AIMStatus.Progressing, "PVCPending");
      assertThat(result.output()).isEqualTo(pvc.getMetadata().getName());
      assertThat(result.statusFields())
          .containsEntry("persistentVolumeClaim", pvc.getMetadata().getName())
          .containsEntry("displaySize", "66Gi")
          .containsEntry("allocatedSize", "73Gi")
          .containsEntry("headroomPercent", 10)
          .containsEntry("mode", AIMTemplateCacheSpec.Mode.Shared);
    }

    @Test
    void roundsAByteSizeUpToWholeGibibytes() {
      AIMArtifact a = stored("9094593249");

      activities.artifactStorage(ref(a));

      assertThat(pvc(a).getSpec().getResources().getRequests().get("storage"))
          .isEqualTo(new Quantity("10Gi"));
    }

    @Test
    void takesHeadroomAndStorageClassFromTheRuntimeConfig() {
      AIMRuntimeConfigCommon rc = new AIMRuntimeConfigCommon();
      rc.storage = new AIMStorageConfig();
      rc.storage.pvcHeadroomPercent = 20;
      rc.storage.defaultStorageClassName = "rwx-fast";
      cluster.create(Fixtures.clusterRuntimeConfig("default", rc));
      AIMArtifact a = stored("66Gi");

      StageResult result = activities.artifactStorage(ref(a));

      assertThat(pvc(a).getSpec().getResources().getRequests().get("storage"))
          .isEqualTo(new Quantity("80Gi"));
      assertThat(pvc(a).getSpec().getStorageClassName()).isEqualTo("rwx-fast");
      assertThat(result.statusFields()).containsEntry("headroomPercent", 20);
    }

    @Test
    void createsThePvcOnceAndNeverResizesIt() {
      AIMArtifact a = stored("66Gi");
      activities.artifactStorage(ref(a));
      String pvcUid = pvc(a).getMetadata().getUid();
      AIMArtifact grown = cluster.client().resource(a).get();
      grown.getSpec().size = new Quantity("100Gi");
      cluster.client().resource(grown).update();

      StageResult second = activities.artifactStorage(ref(a));

      assertThat(cluster.client().persistentVolumeClaims().inNamespace(NS).list().getItems())
          .hasSize(1);
      assertThat(pvc(a).getMetadata().getUid()).isEqualTo(pvcUid);
      assertThat(pvc(a).getSpec().getResources().getRequests().get("storage"))
          .isEqualTo(new Quantity("73Gi"));
      assertThat(second.statusFields()).containsEntry("allocatedSize", "73Gi");
    }

    @Test
    void aPvcDeletedByHandIsCreatedAgainUnderItsNameAndSize() {
      AIMArtifact a = stored("66Gi");
      activities.artifactStorage(ref(a));
      PersistentVolumeClaim first = pvc(a);
      cluster.client().resource(first).delete();

      StageResult again = activities.artifactStorage(ref(a));

      PersistentVolumeClaim second = pvc(a);
      assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
      assertThat(second.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("73Gi"));
      assertThat(second.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(a.getMetadata().getUid()));
      assertThat(again.output()).isEqualTo(second.getMetadata().getName());
    }

    @Test
    void handEditedLabelsAndOwnerAreRestoredAndTheSizeIsLeftAlone() {
      AIMArtifact a = stored("66Gi");
      activities.artifactStorage(ref(a));
      String name = pvc(a).getMetadata().getName();
      cluster.client().persistentVolumeClaims().inNamespace(NS).withName(name).edit(p -> {
        p.getMetadata().setLabels(Map.of(Aim.LABEL_MANAGED_BY, "someone", "team", "ml"));
        p.getMetadata().setOwnerReferences(List.of(Fixtures.ownerRef("AIMArtifact", "impostor", "other-uid")));
        // Someone expanded the volume; the orchestrator neither shrinks nor grows it.
        p.getSpec().getResources().setRequests(Map.of("storage", new Quantity("200Gi")));
        return p;
      });

      activities.artifactStorage(ref(a));

      PersistentVolumeClaim restored = pvc(a);
      assertThat(restored.getMetadata().getLabels())
          .containsEntry(Aim.LABEL_CACHE_NAME, ARTIFACT)
          .containsEntry(Aim.LABEL_MANAGED_BY, "aim-artifact-controller")
          .containsEntry("team", "ml");
      assertThat(restored.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> {
            assertThat(o.getUid()).isEqualTo(a.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
          });
      assertThat(restored.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("200Gi"));
      // Nothing to restore: no write at all.
      String version = restored.getMetadata().getResourceVersion();
      activities.artifactStorage(ref(a));
      assertThat(pvc(a).getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void aPvcBeingDeletedIsWaitedForNotPatched() {
      AIMArtifact a = stored("66Gi");
      activities.artifactStorage(ref(a));
      String name = pvc(a).getMetadata().getName();
      cluster.client().persistentVolumeClaims().inNamespace(NS).withName(name).edit(p -> {
        p.getMetadata().setFinalizers(List.of("kubernetes.io/pvc-protection"));
        return p;
      });
      cluster.client().persistentVolumeClaims().inNamespace(NS).withName(name).delete();

      StageResult waiting = activities.artifactStorage(ref(a));

      assertThat(only(waiting))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Progressing, "PVCDeleting");
      assertThat(waiting.output()).isNull();
    }

    @Test
    void isReadyOnceThePvcIsBound() {
      AIMArtifact a = stored("66Gi");
      activities.artifactStorage(ref(a));
      PersistentVolumeClaim pvc = pvc(a);
      pvc.setStatus(new PersistentVolumeClaimStatus());
      pvc.getStatus().setPhase("Bound");
      cluster.client().resource(pvc).updateStatus();

      assertThat(only(activities.artifactStorage(ref(a))))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Ready, "PVCBound");
    }

    @Test
    void withoutASizeAnUnreachableSourceIsRetriedAndCreatesNoPvc() throws java.io.IOException {
      AIMArtifact a = stored(null);
      int closedPort;
      try (var socket = new java.net.ServerSocket(0)) {
        closedPort = socket.getLocalPort();
      }
      var offline = new CacheActivitiesImpl(cluster.kube(), Map.of("HF_ENDPOINT", "http://127.0.0.1:" + closedPort));

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> offline.artifactStorage(ref(a)))
          .isInstanceOfSatisfying(
              io.temporal.failure.ApplicationFailure.class,
              f -> assertThat(f.getType()).isEqualTo("Infrastructure"));
      assertThat(cluster.client().persistentVolumeClaims().inNamespace(NS).list().getItems())
          .isEmpty();
    }

    @Test
    void aDedicatedArtifactSaysSo() {
      AIMArtifact owned = Fixtures.artifact(NS, ARTIFACT, SOURCE_URI, "66Gi", null);
      owned
          .getMetadata()
          .setOwnerReferences(
              List.of(Fixtures.ownerRef("AIMTemplateCache", "qwen-cache", "cache-uid")));
      AIMArtifact a = cluster.create(owned);

      assertThat(activities.artifactStorage(ref(a)).statusFields())
          .containsEntry("mode", AIMTemplateCacheSpec.Mode.Dedicated);
    }
  }

  @Nested
  class ArtifactDownload {
    AIMArtifact stored() {
      return cluster.create(Fixtures.artifact(NS, ARTIFACT, SOURCE_URI, "66Gi", null));
    }

    List<Job> jobs() {
      return cluster.client().batch().v1().jobs().inNamespace(NS).list().getItems();
    }

    void finishJob(String type) {
      Job job = jobs().get(0);
      JobCondition condition =
          new JobConditionBuilder()
              .withType(type)
              .withStatus("True")
              .withLastTransitionTime("2026-03-01T10:00:00Z")
              .build();
      JobStatus status = new JobStatus();
      status.setConditions(List.of(condition));
      job.setStatus(status);
      cluster.client().resource(job).updateStatus();
    }

    static AIMArtifactStatus.Progress progress(StageResult result) {
      return (AIMArtifactStatus.Progress) result.statusFields().get("progress");
    }

    @Test
    void createsTheDownloadJobOnce() {
      AIMArtifact a = stored();

      StageResult first = activities.artifactDownload(ref(a));
      StageResult second = activities.artifactDownload(ref(a));

      assertThat(jobs())
          .singleElement()
          .satisfies(
              job -> {
                assertThat(job.getMetadata().getName())
                    .isEqualTo(
                        DerivedNames.artifactDownloadJob(ARTIFACT, a.getMetadata().getUid()));
                assertThat(job.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo(a.getMetadata().getUid()));
                var pod = job.getSpec().getTemplate().getSpec();
                assertThat(pod.getRestartPolicy()).isEqualTo("Never");
                assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
                assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
                assertThat(pod.getVolumes())
                    .singleElement()
                    .satisfies(
                        v ->
                            assertThat(v.getPersistentVolumeClaim().getClaimName())
                                .isEqualTo(
                                    DerivedNames.artifactPvc(ARTIFACT, a.getMetadata().getUid())));
                Container c = pod.getContainers().get(0);
                assertThat(c.getArgs()).containsExactly(SOURCE_URI);
                assertThat(c.getImage()).isEqualTo(Aim.DEFAULT_DOWNLOAD_IMAGE);
                assertThat(c.getVolumeMounts())
                    .singleElement()
                    .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/cache"));
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(c.getEnv())
                    .extracting(EnvVar::getName, EnvVar::getValue)
                    .contains(
                        tuple("TARGET_DIR", "/cache"),
                        tuple("EXPECTED_SIZE_BYTES", String.valueOf(66L << 30)),
                        tuple("STALL_TIMEOUT", "120"),
                        tuple("ARTIFACT_NAME", ARTIFACT),
                        tuple("ARTIFACT_NAMESPACE", NS));
              });
      assertThat(only(first))
          .extracting(ComponentHealth::component, ComponentHealth::state, ComponentHealth::reason)
          .containsExactly("DownloadJob", AIMStatus.Progressing, "Downloading");
      assertThat(progress(first).displayPercentage).isEqualTo("0%");
      assertThat(only(second).state()).isEqualTo(AIMStatus.Progressing);
    }

    @Test
    void runtimeConfigEnvReachesTheJobAndTheArtifactEnvWins() {
      AIMRuntimeConfigCommon rc = new AIMRuntimeConfigCommon();
      rc.env =
          List.of(
              Fixtures.env("HF_ENDPOINT", "https://config.example.com"),
              Fixtures.env("STALL_TIMEOUT", "300"));
      cluster.create(Fixtures.clusterRuntimeConfig("default", rc));
      AIMArtifact withEnv = Fixtures.artifact(NS, ARTIFACT, SOURCE_URI, "66Gi", null);
      withEnv.getSpec().env = List.of(Fixtures.env("HF_ENDPOINT", "https://artifact.example.com"));
      AIMArtifact a = cluster.create(withEnv);

      activities.artifactDownload(ref(a));

      assertThat(jobs().get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .extracting(EnvVar::getName, EnvVar::getValue)
          .contains(
              tuple("HF_ENDPOINT", "https://artifact.example.com"), tuple("STALL_TIMEOUT", "300"))
          .doesNotContain(tuple("STALL_TIMEOUT", "120"));
    }

    @Test
    void reportsTheDownloadersProgressWhileTheJobRuns() {
      AIMArtifact a = stored();
      activities.artifactDownload(ref(a));
      AIMArtifactStatus status = new AIMArtifactStatus();
      status.status = ResourceStatusValue.Progressing;
      status.progress = new AIMArtifactStatus.Progress();
      status.progress.downloadedBytes = 33L << 30;
      cluster.setStatus(a, status);

      StageResult result = activities.artifactDownload(ref(a));

      assertThat(only(result).reason()).isEqualTo("Downloading");
      assertThat(progress(result).displayPercentage).isEqualTo("50%");
      assertThat(progress(result).percentage).isEqualTo(50);
    }

    @Test
    void aCompleteJobIsVerifiedWithFullProgress() {
      AIMArtifact a = stored();
      activities.artifactDownload(ref(a));
      finishJob("Complete");

      StageResult result = activities.artifactDownload(ref(a));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Ready, "Verified");
      assertThat(progress(result))
          .extracting(
              p -> p.percentage,
              p -> p.displayPercentage,
              p -> p.downloadedBytes,
              p -> p.totalBytes)
          .containsExactly(100, "100%", 66L << 30, 66L << 30);
      assertThat(((AIMArtifactStatus.Download) result.statusFields().get("download")).message)
          .isEqualTo("Complete");
      assertThat(jobs()).hasSize(1);
    }

    @Test
    void aFailedJobFailsTheDownload() {
      AIMArtifact a = stored();
      activities.artifactDownload(ref(a));
      finishJob("Failed");

      StageResult result = activities.artifactDownload(ref(a));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Failed, "DownloadFailed");
      assertThat(progress(result).displayPercentage).isEqualTo("N/A");
    }

    /**
     * artifactStorage sizes the PVC from status.discoveredSizeBytes when spec.size is absent;
     * artifactDownload reads spec.size only, so the Job is told EXPECTED_SIZE_BYTES=0 and the
     * progress of a finished download stays 0 %.
     */
    @Test
    void theDownloadExpectsTheDiscoveredSizeWhenTheSpecHasNone() {
      AIMArtifact a = cluster.create(Fixtures.artifact(NS, ARTIFACT, SOURCE_URI, null, null));
      AIMArtifactStatus discovered = new AIMArtifactStatus();
      discovered.discoveredSizeBytes = 9094593249L;
      cluster.setStatus(a, discovered);
      activities.artifactStorage(ref(a));

      activities.artifactDownload(ref(a));
      finishJob("Complete");
      StageResult done = activities.artifactDownload(ref(a));

      assertThat(jobs().get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .contains(Fixtures.env("EXPECTED_SIZE_BYTES", "9094593249"));
      assertThat(progress(done).percentage).isEqualTo(100);
    }

    @Test
    void aReadyArtifactNeedsNoJob() {
      AIMArtifact a =
          cluster.create(
              Fixtures.artifact(NS, ARTIFACT, SOURCE_URI, "66Gi", ResourceStatusValue.Ready));

      StageResult result = activities.artifactDownload(ref(a));

      assertThat(only(result).reason()).isEqualTo("Verified");
      assertThat(jobs()).isEmpty();
    }
  }
}
