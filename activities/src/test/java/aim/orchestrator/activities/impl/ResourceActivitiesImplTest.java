package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.env;
import static aim.orchestrator.activities.Fixtures.ref;
import static aim.orchestrator.activities.Fixtures.serviceForModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.kube.RuntimeConfigs;
import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.StatusWrite;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.AIMStorageConfig;
import aim.orchestrator.model.Aim;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ErrorTypes;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResourceActivitiesImplTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant T2 = Instant.parse("2026-03-01T10:05:00Z");

  static ResourceActivitiesImpl activitiesAt(Instant now) {
    return new ResourceActivitiesImpl(cluster.kube(), Clock.fixed(now, ZoneOffset.UTC));
  }

  final ResourceActivitiesImpl activities = activitiesAt(T1);

  AIMService storedService() {
    return cluster.create(serviceForModel("qwen3"));
  }

  AIMService read(AIMService svc) {
    return cluster.client().resource(svc).get();
  }

  @Nested
  class Observe {
    @Test
    void reportsIdentityGenerationAndFlags() {
      AIMService svc = serviceForModel("qwen3");
      svc.getMetadata().setFinalizers(List.of(Aim.FINALIZER_SERVICE));
      svc.getMetadata().setAnnotations(Map.of(Aim.ANNOTATION_PAUSED, "true"));
      AIMService stored = cluster.create(svc);

      Observation obs = activities.observe(ref(stored));

      assertThat(obs.exists()).isTrue();
      assertThat(obs.uid()).isEqualTo(stored.getMetadata().getUid()).isNotBlank();
      assertThat(obs.generation()).isEqualTo(1L);
      assertThat(obs.deleting()).isFalse();
      assertThat(obs.paused()).isTrue();
      assertThat(obs.finalizers()).containsExactly(Aim.FINALIZER_SERVICE);
    }

    @Test
    void seesTheGenerationMoveWithTheSpec() {
      AIMService stored = storedService();
      stored.getSpec().replicas = 3;
      cluster.client().resource(stored).update();

      assertThat(activities.observe(ref(stored)).generation()).isEqualTo(2L);
    }

    @Test
    void seesADeletionHeldByAFinalizer() {
      AIMService svc = serviceForModel("qwen3");
      svc.getMetadata().setFinalizers(List.of(Aim.FINALIZER_SERVICE));
      AIMService stored = cluster.create(svc);
      cluster.client().resource(stored).delete();

      Observation obs = activities.observe(ref(stored));

      assertThat(obs.exists()).isTrue();
      assertThat(obs.deleting()).isTrue();
      assertThat(obs.paused()).isFalse();
    }

    @Test
    void reportsGoneForAMissingObject() {
      Observation obs = activities.observe(new ResourceRef("AIMService", NS, "nobody", "uid-1"));

      assertThat(obs).isEqualTo(Observation.gone());
    }

    @Test
    void readsClusterScopedKinds() {
      AIMClusterModel stored = cluster.create(Fixtures.clusterModel("qwen3", Fixtures.IMAGE, null));

      Observation obs = activities.observe(new ResourceRef("AIMClusterModel", null, "qwen3", null));

      assertThat(obs.uid()).isEqualTo(stored.getMetadata().getUid());
    }
  }

  @Nested
  class Finalizers {
    @Test
    void addFinalizerIsIdempotent() {
      AIMService stored = storedService();

      activities.addFinalizer(ref(stored), Aim.FINALIZER_SERVICE);
      activities.addFinalizer(ref(stored), Aim.FINALIZER_SERVICE);

      assertThat(read(stored).getMetadata().getFinalizers()).containsExactly(Aim.FINALIZER_SERVICE);
    }

    @Test
    void addFinalizerKeepsOtherFinalizers() {
      AIMService svc = serviceForModel("qwen3");
      svc.getMetadata().setFinalizers(List.of("example.com/other"));
      AIMService stored = cluster.create(svc);

      activities.addFinalizer(ref(stored), Aim.FINALIZER_SERVICE);

      assertThat(read(stored).getMetadata().getFinalizers())
          .containsExactly("example.com/other", Aim.FINALIZER_SERVICE);
    }

    @Test
    void addFinalizerRefusesAnObjectWithAnotherUid() {
      AIMService stored = storedService();
      ResourceRef oldLife = ref(stored).withUid("uid-of-a-deleted-object");

      assertThatThrownBy(() -> activities.addFinalizer(oldLife, Aim.FINALIZER_SERVICE))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(ErrorTypes.ResourceReplaced.name());
                assertThat(f.isNonRetryable()).isTrue();
              });
      assertThat(read(stored).getMetadata().getFinalizers()).isEmpty();
    }

    @Test
    void addFinalizerOnAMissingObjectFailsAsReplaced() {
      ResourceRef missing = new ResourceRef("AIMService", NS, "nobody", "uid-1");

      assertThatThrownBy(() -> activities.addFinalizer(missing, Aim.FINALIZER_SERVICE))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> assertThat(f.getType()).isEqualTo(ErrorTypes.ResourceReplaced.name()));
    }

    @Test
    void removeFinalizerOnAMissingObjectIsANoOp() {
      activities.removeFinalizer(
          new ResourceRef("AIMService", NS, "nobody", "uid-1"), Aim.FINALIZER_SERVICE);

      assertThat(cluster.client().resources(AIMService.class).inNamespace(NS).list().getItems())
          .isEmpty();
    }

    @Test
    void removeFinalizerLetsADeletedObjectGo() {
      AIMService svc = serviceForModel("qwen3");
      svc.getMetadata().setFinalizers(List.of(Aim.FINALIZER_SERVICE));
      AIMService stored = cluster.create(svc);
      cluster.client().resource(stored).delete();

      activities.removeFinalizer(ref(stored), Aim.FINALIZER_SERVICE);

      assertThat(read(stored)).isNull();
      assertThat(activities.observe(ref(stored)).exists()).isFalse();
    }

    @Test
    void removeFinalizerLeavesANewObjectWithTheSameNameAlone() {
      AIMService svc = serviceForModel("qwen3");
      svc.getMetadata().setFinalizers(List.of(Aim.FINALIZER_SERVICE));
      AIMService stored = cluster.create(svc);

      activities.removeFinalizer(
          ref(stored).withUid("uid-of-a-deleted-object"), Aim.FINALIZER_SERVICE);

      assertThat(read(stored).getMetadata().getFinalizers()).containsExactly(Aim.FINALIZER_SERVICE);
    }
  }

  @Nested
  class RuntimeConfig {
    AIMRuntimeConfigCommon config(String storageClass, Integer headroom, EnvVar... env) {
      AIMRuntimeConfigCommon c = new AIMRuntimeConfigCommon();
      c.storage = new AIMStorageConfig();
      c.storage.defaultStorageClassName = storageClass;
      c.storage.pvcHeadroomPercent = headroom;
      c.env = env.length == 0 ? null : List.of(env);
      return c;
    }

    @Test
    void aMissingDefaultConfigIsFineAndAddsNoComponent() {
      AIMService stored = storedService();

      StageResult result = activities.runtimeConfig(ref(stored));

      assertThat(result.components()).isEmpty();
      assertThat(result.statusFields()).isEmpty();
      assertThat(result.resolved()).isNull();
    }

    @Test
    void aMissingNamedConfigIsAMissingUpstreamDependency() {
      AIMService svc = serviceForModel("qwen3");
      svc.getSpec().runtimeConfigName = "gpu-team";
      AIMService stored = cluster.create(svc);

      StageResult result = activities.runtimeConfig(ref(stored));

      assertThat(result.components())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.component()).isEqualTo("RuntimeConfig");
                assertThat(c.error()).isEqualTo(ErrorCategory.MISSING_UPSTREAM);
                assertThat(c.reason()).isEqualTo("ConfigNotFound");
                assertThat(c.message()).contains("gpu-team");
                assertThat(c.dependency()).isEqualTo(DependencyType.UPSTREAM);
                assertThat(c.isReady()).isFalse();
              });
    }

    @Test
    void theDefaultClusterConfigResolvesWithClusterScope() {
      var rc = cluster.create(Fixtures.clusterRuntimeConfig("default", config("rwx", null)));
      AIMService stored = storedService();

      StageResult result = activities.runtimeConfig(ref(stored));

      AIMResolvedReference expected =
          new AIMResolvedReference(
              "default",
              null,
              AIMScope.Cluster,
              "AIMClusterRuntimeConfig",
              rc.getMetadata().getUid());
      assertThat(result.components())
          .containsExactly(
              ComponentHealth.ready(
                  "RuntimeConfig",
                  "Resolved",
                  "Using runtime config default",
                  DependencyType.UPSTREAM));
      assertThat(result.resolved()).isEqualTo(expected);
      assertThat(result.statusFields())
          .containsExactly(Map.entry("resolvedRuntimeConfig", expected));
    }

    @Test
    void aNamespaceConfigOverAClusterConfigResolvesAsMerged() {
      cluster.create(Fixtures.clusterRuntimeConfig("gpu-team", config("cluster-rwx", 20)));
      var nsConfig =
          cluster.create(Fixtures.runtimeConfig(NS, "gpu-team", config("team-rwx", null)));
      AIMService svc = serviceForModel("qwen3");
      svc.getSpec().runtimeConfigName = "gpu-team";
      AIMService stored = cluster.create(svc);

      StageResult result = activities.runtimeConfig(ref(stored));

      assertThat(result.components())
          .singleElement()
          .satisfies(c -> assertThat(c.isReady()).isTrue());
      assertThat(result.resolved())
          .isEqualTo(
              new AIMResolvedReference(
                  "gpu-team",
                  NS,
                  AIMScope.Merged,
                  "AIMRuntimeConfig",
                  nsConfig.getMetadata().getUid()));
    }

    @Test
    void theNamespaceConfigWinsFieldByFieldAndEnvByName() {
      cluster.create(
          Fixtures.clusterRuntimeConfig(
              "default", config("cluster-rwx", 20, env("A", "cluster"), env("B", "cluster"))));
      cluster.create(
          Fixtures.runtimeConfig(
              NS, "default", config("team-rwx", null, env("A", "team"), env("C", "team"))));

      RuntimeConfigs.Resolved resolved = new RuntimeConfigs(cluster.kube()).resolve(null, NS);

      assertThat(resolved.found()).isTrue();
      assertThat(resolved.merged().storage.defaultStorageClassName).isEqualTo("team-rwx");
      assertThat(resolved.merged().storage.pvcHeadroomPercent).isEqualTo(20);
      assertThat(resolved.merged().env)
          .extracting(EnvVar::getName, EnvVar::getValue)
          .containsExactly(tuple("A", "team"), tuple("B", "cluster"), tuple("C", "team"));
    }

    @Test
    void aConfigInAnotherNamespaceIsNotUsed() {
      cluster.create(Fixtures.runtimeConfig("other-team", "gpu-team", config("x", null)));
      AIMService svc = serviceForModel("qwen3");
      svc.getSpec().runtimeConfigName = "gpu-team";
      AIMService stored = cluster.create(svc);

      assertThat(activities.runtimeConfig(ref(stored)).components())
          .singleElement()
          .satisfies(c -> assertThat(c.reason()).isEqualTo("ConfigNotFound"));
    }
  }

  @Nested
  class WriteStatus {
    final List<ConditionSpec> starting =
        List.of(
            ConditionSpec.isTrue("ModelReady", "ModelResolved", "AIMModel qwen3 is ready"),
            ConditionSpec.isFalse("InferenceServiceReady", "CreatingRuntime", "Waiting"),
            ConditionSpec.isFalse(
                "Ready", "Progressing", "Component InferenceService is not ready"));

    AIMResolvedReference model =
        new AIMResolvedReference("qwen3", NS, AIMScope.Namespace, "AIMModel", "model-uid");

    StatusWrite write(
        AIMService stored,
        String status,
        List<ConditionSpec> conditions,
        Map<String, Object> fields) {
      return new StatusWrite(
          ref(stored), stored.getMetadata().getGeneration(), status, conditions, fields);
    }

    Condition condition(AIMService svc, String type) {
      return svc.getStatus().conditions.stream()
          .filter(c -> type.equals(c.getType()))
          .findFirst()
          .orElseThrow();
    }

    @Test
    void conditionTransitionsBecomeEventsWithoutDuplicates() {
      AIMService stored = storedService();
      activities.writeStatus(write(stored, "Starting", starting, Map.of()));
      activities.writeStatus(write(stored, "Starting", starting, Map.of()));
      List<ConditionSpec> running =
          List.of(
              ConditionSpec.isTrue("ModelReady", "ModelResolved", "AIMModel qwen3 is ready"),
              ConditionSpec.isTrue("InferenceServiceReady", "RuntimeReady", "ready"),
              ConditionSpec.isTrue("Ready", "AllComponentsReady", "All components are ready"));
      activities.writeStatus(write(read(stored), "Running", running, Map.of()));

      var events =
          cluster.client().v1().events().inNamespace(NS).list().getItems().stream()
              .filter(e -> stored.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
              .toList();
      assertThat(events)
          .extracting(e -> e.getType(), e -> e.getReason(), e -> e.getCount())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("Warning", "CreatingRuntime", 1),
              org.assertj.core.groups.Tuple.tuple("Warning", "Progressing", 1),
              org.assertj.core.groups.Tuple.tuple("Normal", "RuntimeReady", 1),
              org.assertj.core.groups.Tuple.tuple("Normal", "AllComponentsReady", 1));
      assertThat(events).allSatisfy(e -> assertThat(e.getInvolvedObject().getKind()).isEqualTo("AIMService"));
    }

    @Test
    void writesStatusConditionsObservedGenerationAndFields() {
      AIMService stored = storedService();

      boolean wrote =
          activities.writeStatus(
              write(stored, "Starting", starting, Map.of("resolvedModel", model)));

      AIMService after = read(stored);
      assertThat(wrote).isTrue();
      assertThat(after.getStatus().status).isEqualTo(AIMServiceStatus.ServiceStatusValue.Starting);
      assertThat(after.getStatus().observedGeneration).isEqualTo(1L);
      assertThat(after.getStatus().resolvedModel).isEqualTo(model);
      assertThat(after.getStatus().conditions)
          .extracting(
              Condition::getType,
              Condition::getStatus,
              Condition::getReason,
              Condition::getLastTransitionTime)
          .containsExactly(
              tuple("ModelReady", "True", "ModelResolved", "2026-03-01T10:00:00Z"),
              tuple("InferenceServiceReady", "False", "CreatingRuntime", "2026-03-01T10:00:00Z"),
              tuple("Ready", "False", "Progressing", "2026-03-01T10:00:00Z"));
      assertThat(after.getStatus().conditions)
          .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
      assertThat(after.getSpec().model.name).isEqualTo("qwen3");
    }

    @Test
    void aSecondIdenticalWriteChangesNothing() {
      AIMService stored = storedService();
      activities.writeStatus(write(stored, "Starting", starting, Map.of("resolvedModel", model)));
      String resourceVersion = read(stored).getMetadata().getResourceVersion();

      boolean wrote =
          activitiesAt(T2)
              .writeStatus(write(stored, "Starting", starting, Map.of("resolvedModel", model)));

      assertThat(wrote).isFalse();
      assertThat(read(stored).getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
    }

    @Test
    void aNewReasonKeepsTheTransitionTimeAndANewStatusMovesIt() {
      AIMService stored = storedService();
      activitiesAt(T1).writeStatus(write(stored, "Starting", starting, Map.of()));

      List<ConditionSpec> newReason =
          List.of(
              ConditionSpec.isTrue("ModelReady", "ModelResolved", "AIMModel qwen3 is ready"),
              ConditionSpec.isFalse("InferenceServiceReady", "PodsPending", "Waiting for pods"),
              ConditionSpec.isFalse(
                  "Ready", "Progressing", "Component InferenceService is not ready"));
      assertThat(activitiesAt(T2).writeStatus(write(stored, "Starting", newReason, Map.of())))
          .isTrue();
      AIMService afterReason = read(stored);
      assertThat(condition(afterReason, "InferenceServiceReady").getReason())
          .isEqualTo("PodsPending");
      assertThat(condition(afterReason, "InferenceServiceReady").getMessage())
          .isEqualTo("Waiting for pods");
      assertThat(condition(afterReason, "InferenceServiceReady").getLastTransitionTime())
          .isEqualTo("2026-03-01T10:00:00Z");

      List<ConditionSpec> running =
          List.of(
              ConditionSpec.isTrue("ModelReady", "ModelResolved", "AIMModel qwen3 is ready"),
              ConditionSpec.isTrue("InferenceServiceReady", "RuntimeReady", "ready"),
              ConditionSpec.isTrue("Ready", "AllComponentsReady", "All components are ready"));
      assertThat(activitiesAt(T2).writeStatus(write(stored, "Running", running, Map.of())))
          .isTrue();
      AIMService afterFlip = read(stored);
      assertThat(afterFlip.getStatus().status)
          .isEqualTo(AIMServiceStatus.ServiceStatusValue.Running);
      assertThat(condition(afterFlip, "InferenceServiceReady").getLastTransitionTime())
          .isEqualTo("2026-03-01T10:05:00Z");
      assertThat(condition(afterFlip, "Ready").getLastTransitionTime())
          .isEqualTo("2026-03-01T10:05:00Z");
      assertThat(condition(afterFlip, "ModelReady").getLastTransitionTime())
          .isEqualTo("2026-03-01T10:00:00Z");
    }

    @Test
    void aNewObservedGenerationIsAWrite() {
      AIMService stored = storedService();
      activities.writeStatus(write(stored, "Starting", starting, Map.of()));

      boolean wrote =
          activities.writeStatus(new StatusWrite(ref(stored), 2, "Starting", starting, Map.of()));

      assertThat(wrote).isTrue();
      assertThat(read(stored).getStatus().observedGeneration).isEqualTo(2L);
      assertThat(read(stored).getStatus().conditions)
          .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));
    }

    @Test
    void aFieldSetToNullIsRemoved() {
      AIMService stored = storedService();
      AIMServiceStatus.Routing routing = new AIMServiceStatus.Routing();
      routing.path = "/ml-team/qwen3-chat";
      activities.writeStatus(
          write(stored, "Running", starting, Map.of("resolvedModel", model, "routing", routing)));
      assertThat(read(stored).getStatus().routing.path).isEqualTo("/ml-team/qwen3-chat");

      Map<String, Object> withoutRouting = new HashMap<>();
      withoutRouting.put("routing", null);
      boolean wrote = activities.writeStatus(write(stored, "Running", starting, withoutRouting));

      AIMService after = read(stored);
      assertThat(wrote).isTrue();
      assertThat(after.getStatus().routing).isNull();
      assertThat(after.getStatus().resolvedModel).isEqualTo(model);
      assertThat(activities.writeStatus(write(stored, "Running", starting, withoutRouting)))
          .isFalse();
    }

    @Test
    void writingTheStatusOfAReplacedObjectFails() {
      AIMService stored = storedService();
      StatusWrite stale =
          new StatusWrite(
              ref(stored).withUid("uid-of-a-deleted-object"), 1, "Starting", starting, Map.of());

      assertThatThrownBy(() -> activities.writeStatus(stale))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> assertThat(f.getType()).isEqualTo(ErrorTypes.ResourceReplaced.name()));
      assertThat(read(stored).getStatus()).isNull();
    }

    @Test
    void statusWritesNeverTouchTheSpecOrTheGeneration() {
      AIMService stored = storedService();

      activities.writeStatus(write(stored, "Starting", starting, Map.of("resolvedModel", model)));

      AIMService after = read(stored);
      assertThat(after.getMetadata().getGeneration()).isEqualTo(1L);
      assertThat(after.getSpec().model.name).isEqualTo("qwen3");
    }

    /**
     * The artifact workflow runs the RuntimeConfig stage like every kind, and that stage returns
     * the field {@code resolvedRuntimeConfig} whenever a config resolves (for instance a
     * cluster-wide {@code default}). AIMArtifact's status has no such field, so writing it fails
     * with an IllegalArgumentException (retried, never succeeds).
     */
    @Test
    void theRuntimeConfigStageResultCanBeWrittenToAnArtifact() {
      cluster.create(Fixtures.clusterRuntimeConfig("default", new AIMRuntimeConfigCommon()));
      AIMArtifact artifact =
          cluster.create(Fixtures.artifact(NS, "a1", Fixtures.SOURCE_URI, "1Gi", null));
      StageResult stage = activities.runtimeConfig(ref(artifact));

      boolean wrote =
          activities.writeStatus(
              new StatusWrite(
                  ref(artifact),
                  1,
                  AIMStatus.Progressing.name(),
                  List.of(
                      ConditionSpec.isTrue(
                          "RuntimeConfigReady", "Resolved", "Using runtime config default")),
                  stage.statusFields()));

      assertThat(wrote).isTrue();
      assertThat(cluster.client().resource(artifact).get().getStatus().status).isNotNull();
    }
  }
}
