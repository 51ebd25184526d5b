package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.IMAGE;
import static aim.orchestrator.activities.Fixtures.MODEL;
import static aim.orchestrator.activities.Fixtures.MODEL_ID;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SERVICE;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static aim.orchestrator.activities.Fixtures.TEMPLATE;
import static aim.orchestrator.activities.Fixtures.env;
import static aim.orchestrator.activities.Fixtures.ref;
import static aim.orchestrator.activities.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMRoutingConfig;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.AIMStorageConfig;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServiceActivitiesImplTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  static final String ISVC = "qwen3-chat-a04542d9";

  final ServiceActivitiesImpl activities = new ServiceActivitiesImpl(cluster.kube());

  static ComponentHealth component(StageResult result, String name) {
    return result.components().stream().filter(c -> c.component().equals(name)).findFirst().orElseThrow();
  }

  static ComponentHealth only(StageResult result) {
    assertThat(result.components()).hasSize(1);
    return result.components().get(0);
  }

  List<AIMModel> models() {
    return cluster.client().resources(AIMModel.class).inNamespace(NS).list().getItems();
  }

  List<AIMTemplateCache> caches() {
    return cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).list().getItems();
  }

  HTTPRoute route(String name) {
    return cluster.client().resources(HTTPRoute.class).inNamespace(NS).withName(name).get();
  }

  static AIMResolvedReference reference(HasMetadata stored, AIMScope scope) {
    return new AIMResolvedReference(
        stored.getMetadata().getName(),
        stored.getMetadata().getNamespace(),
        scope,
        stored.getKind(),
        stored.getMetadata().getUid());
  }

  @Nested
  class ResolveModelByName {
    @Test
    void prefersTheNamespaceModelOverAClusterModelOfTheSameName() {
      AIMModel nsModel =
          cluster.create(Fixtures.model(NS, "qwen3", IMAGE, ResourceStatusValue.Ready));
      cluster.create(Fixtures.clusterModel("qwen3", IMAGE, ResourceStatusValue.Ready));
      AIMService svc = cluster.create(Fixtures.serviceForModel("qwen3"));

      StageResult result = activities.resolveModel(ref(svc));

      AIMResolvedReference expected =
          new AIMResolvedReference(
              "qwen3", NS, AIMScope.Namespace, "AIMModel", nsModel.getMetadata().getUid());
      ComponentHealth model = only(result);
      assertThat(model.component()).isEqualTo("Model");
      assertThat(model.state()).isEqualTo(AIMStatus.Ready);
      assertThat(model.reason()).isEqualTo("ModelResolved");
      assertThat(model.dependency()).isEqualTo(DependencyType.UPSTREAM);
      assertThat(result.resolved()).isEqualTo(expected);
      assertThat(result.statusFields()).containsExactly(entry("resolvedModel", expected));
    }

    @Test
    void fallsBackToTheClusterModel() {
      AIMClusterModel clusterModel =
          cluster.create(Fixtures.clusterModel("qwen3", IMAGE, ResourceStatusValue.Ready));
      AIMService svc = cluster.create(Fixtures.serviceForModel("qwen3"));

      StageResult result = activities.resolveModel(ref(svc));

      assertThat(only(result).reason()).isEqualTo("ModelResolved");
      assertThat(result.resolved())
          .isEqualTo(
              new AIMResolvedReference(
                  "qwen3",
                  null,
                  AIMScope.Cluster,
                  "AIMClusterModel",
                  clusterModel.getMetadata().getUid()));
    }

    @Test
    void aProgressingModelIsNotReadyAndNotWrittenAsResolved() {
      cluster.create(Fixtures.model(NS, "qwen3", IMAGE, ResourceStatusValue.Progressing));
      AIMService svc = cluster.create(Fixtures.serviceForModel("qwen3"));

      StageResult result = activities.resolveModel(ref(svc));

      assertThat(only(result).state()).isEqualTo(AIMStatus.Progressing);
      assertThat(only(result).reason()).isEqualTo("ModelNotReady");
      assertThat(only(result).error()).isNull();
      assertThat(result.statusFields()).isEmpty();
    }

    @Test
    void aFailedModelFailsTheComponent() {
      cluster.create(Fixtures.model(NS, "qwen3", IMAGE, ResourceStatusValue.Failed));
      AIMService svc = cluster.create(Fixtures.serviceForModel("qwen3"));

      assertThat(only(activities.resolveModel(ref(svc))))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Failed, "ModelNotReady");
    }

    @Test
    void aNotAvailableModelIsResolvedSoTheTemplateStageCanNameTheMissingGpu() {
      cluster.create(Fixtures.model(NS, "qwen3", IMAGE, ResourceStatusValue.NotAvailable));
      AIMService svc = cluster.create(Fixtures.serviceForModel("qwen3"));

      StageResult result = activities.resolveModel(ref(svc));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Ready, "ModelResolved");
      assertThat(only(result).message()).contains("NotAvailable");
      assertThat(result.statusFields()).containsKey("resolvedModel");
    }

    @Test
    void aMissingModelIsAMissingUpstreamDependencyAndNothingIsCreated() {
      AIMService svc = cluster.create(Fixtures.serviceForModel("qwen3"));

      StageResult result = activities.resolveModel(ref(svc));

      assertThat(only(result).error()).isEqualTo(ErrorCategory.MISSING_UPSTREAM);
      assertThat(only(result).reason()).isEqualTo("ModelNotFound");
      assertThat(result.resolved()).isNull();
      assertThat(models()).isEmpty();
      assertThat(cluster.client().resources(AIMClusterModel.class).list().getItems()).isEmpty();
    }
  }

  @Nested
  class ResolveModelByImage {
    @Test
    void createsOneSharedAutoGeneratedModelForTheImage() {
      AIMService svc = Fixtures.serviceForImage(IMAGE);
      svc.getSpec().runtimeConfigName = "gpu-team";
      svc.getSpec().serviceAccountName = "inference";
      AIMService stored = cluster.create(svc);

      StageResult result = activities.resolveModel(ref(stored));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason, ComponentHealth::dependency)
          .containsExactly(AIMStatus.Pending, "CreatingModel", DependencyType.DOWNSTREAM);
      assertThat(models())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.getMetadata().getName())
                    .isEqualTo(DerivedNames.modelForImage(IMAGE))
                    .isEqualTo(MODEL);
                assertThat(m.getMetadata().getLabels())
                    .containsExactly(entry(Aim.LABEL_ORIGIN, "auto-generated"));
                assertThat(m.getMetadata().getOwnerReferences()).isEmpty();
                assertThat(m.getSpec().image).isEqualTo(IMAGE);
                assertThat(m.getSpec().runtimeConfigName).isEqualTo("gpu-team");
                assertThat(m.getSpec().serviceAccountName).isEqualTo("inference");
              });
    }

    @Test
    void aSecondCallFindsTheModelInsteadOfCreatingAnother() {
      AIMService stored = cluster.create(Fixtures.serviceForImage(IMAGE));
      activities.resolveModel(ref(stored));

      StageResult second = activities.resolveModel(ref(stored));

      assertThat(models()).hasSize(1);
      assertThat(only(second).reason()).isEqualTo("ModelNotReady");
      assertThat(second.resolved().name).isEqualTo(MODEL);
    }

    @Test
    void usesAReadyModelWithTheSameImageWhateverItsName() {
      AIMModel existing =
          cluster.create(Fixtures.model(NS, "my-qwen", IMAGE, ResourceStatusValue.Ready));
      AIMService stored = cluster.create(Fixtures.serviceForImage("  " + IMAGE + " "));

      StageResult result = activities.resolveModel(ref(stored));

      assertThat(only(result).reason()).isEqualTo("ModelResolved");
      assertThat(result.resolved()).isEqualTo(reference(existing, AIMScope.Namespace));
      assertThat(models()).hasSize(1);
    }

    @Test
    void twoModelsWithTheImageAreAnInfrastructureErrorAndNothingIsCreated() {
      cluster.create(Fixtures.model(NS, "one", IMAGE, ResourceStatusValue.Ready));
      cluster.create(Fixtures.clusterModel("two", IMAGE, ResourceStatusValue.Ready));
      AIMService stored = cluster.create(Fixtures.serviceForImage(IMAGE));

      StageResult result = activities.resolveModel(ref(stored));

      assertThat(only(result))
          .extracting(ComponentHealth::error, ComponentHealth::reason, ComponentHealth::state)
          .containsExactly(ErrorCategory.INFRASTRUCTURE, "MultipleModelsFound", AIMStatus.Degraded);
      assertThat(models()).hasSize(1);
    }

    @Test
    void anInvalidImageReferenceIsAnInvalidSpec() {
      AIMService stored = cluster.create(Fixtures.serviceForImage("amdenterpriseai/aim-qwen:"));

      StageResult result = activities.resolveModel(ref(stored));

      assertThat(only(result))
          .extracting(ComponentHealth::error, ComponentHealth::reason)
          .containsExactly(ErrorCategory.INVALID_SPEC, "InvalidImageReference");
      assertThat(models()).isEmpty();
    }
  }

  @Nested
  class ResolveTemplate {
    AIMService serviceWithTemplate(String template) {
      AIMService svc = Fixtures.serviceForModel(MODEL);
      svc.getSpec().template = new AIMServiceSpec.AIMServiceTemplateRef();
      svc.getSpec().template.name = template;
      return cluster.create(svc);
    }

    AIMResolvedReference model() {
      return new AIMResolvedReference(MODEL, NS, AIMScope.Namespace, "AIMModel", "model-uid");
    }

    @Test
    void anExplicitNamePrefersTheNamespaceTemplate() {
      AIMServiceTemplate t =
          cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready));
      cluster.create(Fixtures.clusterTemplate(TEMPLATE, MODEL, ResourceStatusValue.Ready));
      AIMService svc = serviceWithTemplate(TEMPLATE);

      StageResult result = activities.resolveTemplate(ref(svc), model());

      AIMResolvedReference expected = reference(t, AIMScope.Namespace);
      assertThat(only(result))
          .extracting(ComponentHealth::component, ComponentHealth::state, ComponentHealth::reason)
          .containsExactly("Template", AIMStatus.Ready, "Resolved");
      assertThat(result.resolved()).isEqualTo(expected);
      assertThat(result.statusFields()).containsEntry("resolvedTemplate", expected).containsKey("templateSelection");
    }

    @Test
    void anExplicitNameFallsBackToTheClusterTemplate() {
      var t = cluster.create(Fixtures.clusterTemplate(TEMPLATE, MODEL, ResourceStatusValue.Ready));
      AIMService svc = serviceWithTemplate(TEMPLATE);

      StageResult result = activities.resolveTemplate(ref(svc), model());

      assertThat(result.resolved()).isEqualTo(reference(t, AIMScope.Cluster));
      assertThat(result.resolved().kind).isEqualTo("AIMClusterServiceTemplate");
    }

    @Test
    void aMissingExplicitTemplateIsAMissingUpstreamDependency() {
      AIMService svc = serviceWithTemplate("no-such-template");

      StageResult result = activities.resolveTemplate(ref(svc), model());

      assertThat(only(result))
          .extracting(ComponentHealth::error, ComponentHealth::reason)
          .containsExactly(ErrorCategory.MISSING_UPSTREAM, "TemplateNotFound");
      assertThat(result.resolved()).isNull();
    }

    @Test
    void aTemplateWhoseGpuIsMissingIsNotAvailable() {
      cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.NotAvailable));
      AIMService svc = serviceWithTemplate(TEMPLATE);

      assertThat(only(activities.resolveTemplate(ref(svc), model())))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.NotAvailable, "TemplateNotAvailable");
    }

    @Test
    void autoSelectionPicksTheOnlyReadyOptimizedTemplateOfTheModel() {
      // Auto-selection only considers templates whose GPU the cluster's nodes carry.
      cluster.client().nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("gpu-0").addToLabels("amd.com/gpu.device-id", "74a1").endMetadata().build()).create();
      AIMServiceTemplate chosen =
          cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready));
      cluster.create(
          Fixtures.template(NS, "still-discovering", MODEL, ResourceStatusValue.Progressing));
      cluster.create(
          Fixtures.template(NS, "other-model", "another-model", ResourceStatusValue.Ready));
      AIMService svc = cluster.create(Fixtures.serviceForModel(MODEL));

      StageResult result = activities.resolveTemplate(ref(svc), model());

      assertThat(result.resolved()).isEqualTo(reference(chosen, AIMScope.Namespace));
    }

    @Test
    void autoSelectionWithTwoCandidatesIsAmbiguous() {
      // Auto-selection only considers templates whose GPU the cluster's nodes carry.
      cluster.client().nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("gpu-0").addToLabels("amd.com/gpu.device-id", "74a1").endMetadata().build()).create();
      cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready));
      cluster.create(Fixtures.template(NS, TEMPLATE + "-b", MODEL, ResourceStatusValue.Ready));
      AIMService svc = cluster.create(Fixtures.serviceForModel(MODEL));

      StageResult result = activities.resolveTemplate(ref(svc), model());

      assertThat(only(result).reason()).isEqualTo("TemplateSelectionAmbiguous");
      assertThat(result.resolved()).isNull();
    }
  }

  @Nested
  class EnsureTemplateCache {
    AIMServiceTemplate readyTemplate() {
      AIMServiceTemplate t =
          Fixtures.template(
              NS, TEMPLATE, MODEL, ResourceStatusValue.Ready, source(MODEL_ID, SOURCE_URI, "66Gi"));
      t.getSpec().env = List.of(env("A", "template"), env("B", "template"));
      t.getSpec().caching = new AIMServiceTemplateSpec.Caching();
      t.getSpec().caching.env = List.of(env("B", "caching"), env("C", "caching"));
      return cluster.create(t);
    }

    AIMService service(AIMServiceSpec.AIMCachingMode mode) {
      AIMService svc = Fixtures.serviceForModel(MODEL);
      svc.getSpec().env = List.of(env("C", "service"), env("D", "service"));
      if (mode != null) {
        svc.getSpec().caching = new AIMServiceSpec.AIMServiceCaching();
        svc.getSpec().caching.mode = mode;
      }
      return cluster.create(svc);
    }

    @Test
    void createsASharedCacheWithoutOwnerAndWithMergedEnv() {
      AIMServiceTemplate t = readyTemplate();
      AIMService svc = service(null);

      StageResult result =
          activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace));

      assertThat(only(result))
          .extracting(ComponentHealth::component, ComponentHealth::state, ComponentHealth::reason)
          .containsExactly("Cache", AIMStatus.Progressing, "CacheCreating");
      assertThat(caches())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.getMetadata().getName())
                    .isEqualTo(DerivedNames.sharedTemplateCache(TEMPLATE, NS));
                assertThat(c.getMetadata().getOwnerReferences()).isEmpty();
                assertThat(c.getMetadata().getLabels()).containsEntry(Aim.LABEL_SERVICE, SERVICE);
                assertThat(c.getSpec().templateName).isEqualTo(TEMPLATE);
                assertThat(c.getSpec().templateScope).isEqualTo(AIMScope.Namespace);
                assertThat(c.getSpec().mode).isEqualTo(AIMTemplateCacheSpec.Mode.Shared);
                assertThat(c.getSpec().storageClassName).isEmpty();
                assertThat(c.getSpec().env)
                    .extracting(EnvVar::getName, EnvVar::getValue)
                    .containsExactly(
                        tuple("A", "template"),
                        tuple("B", "caching"),
                        tuple("C", "service"),
                        tuple("D", "service"));
              });
    }

    @Test
    void createsNothingUntilTheTemplateIsReadyWithModelSources() {
      AIMServiceTemplate discovering =
          cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Progressing));
      AIMService svc = service(null);
      AIMResolvedReference t = reference(discovering, AIMScope.Namespace);

      assertThat(only(activities.ensureTemplateCache(ref(svc), t)).reason())
          .isEqualTo("CacheCreating");
      assertThat(caches()).isEmpty();

      cluster.setStatus(
          discovering,
          Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready).getStatus());
      assertThat(only(activities.ensureTemplateCache(ref(svc), t)).state())
          .isEqualTo(AIMStatus.Progressing);
      assertThat(caches()).isEmpty();

      cluster.setStatus(
          discovering,
          Fixtures.template(
                  NS,
                  TEMPLATE,
                  MODEL,
                  ResourceStatusValue.Ready,
                  source(MODEL_ID, SOURCE_URI, "66Gi"))
              .getStatus());
      activities.ensureTemplateCache(ref(svc), t);
      assertThat(caches()).hasSize(1);
    }

    @Test
    void createsADedicatedCacheOwnedByTheService() {
      AIMServiceTemplate t = readyTemplate();
      AIMService svc = service(AIMServiceSpec.AIMCachingMode.Dedicated);

      activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace));

      assertThat(caches())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.getMetadata().getName())
                    .isEqualTo(
                        DerivedNames.dedicatedTemplateCache(
                            TEMPLATE, SERVICE, svc.getMetadata().getUid()));
                assertThat(c.getSpec().mode).isEqualTo(AIMTemplateCacheSpec.Mode.Dedicated);
                assertThat(c.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(
                        o -> {
                          assertThat(o.getUid()).isEqualTo(svc.getMetadata().getUid());
                          assertThat(o.getKind()).isEqualTo("AIMService");
                          assertThat(o.getController()).isTrue();
                        });
              });
    }

    @Test
    void theLegacyModeNeverMeansDedicated() {
      AIMServiceTemplate t = readyTemplate();
      AIMService svc = service(AIMServiceSpec.AIMCachingMode.Never);

      activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace));

      assertThat(caches())
          .singleElement()
          .satisfies(
              c -> assertThat(c.getSpec().mode).isEqualTo(AIMTemplateCacheSpec.Mode.Dedicated));
    }

    @Test
    void takesTheStorageClassFromTheRuntimeConfig() {
      AIMRuntimeConfigCommon rc = new AIMRuntimeConfigCommon();
      rc.storage = new AIMStorageConfig();
      rc.storage.defaultStorageClassName = "rwx-fast";
      cluster.create(Fixtures.clusterRuntimeConfig("default", rc));
      AIMServiceTemplate t = readyTemplate();
      AIMService svc = service(null);

      activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace));

      assertThat(caches())
          .singleElement()
          .satisfies(c -> assertThat(c.getSpec().storageClassName).isEqualTo("rwx-fast"));
    }

    @Test
    void reusesAReadySharedCacheOfTheTemplate() {
      AIMServiceTemplate t = readyTemplate();
      AIMTemplateCache existing =
          cluster.create(
              Fixtures.templateCache(
                  NS,
                  "made-for-another-service",
                  TEMPLATE,
                  AIMTemplateCacheSpec.Mode.Shared,
                  ResourceStatusValue.Ready));
      AIMService svc = service(null);

      StageResult result =
          activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace));

      AIMResolvedReference expected = reference(existing, AIMScope.Namespace);
      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Ready, "CacheReady");
      assertThat(result.resolved()).isEqualTo(expected);
      assertThat(result.statusFields()).containsKey("cache");
      assertThat(((AIMServiceStatus.Cache) result.statusFields().get("cache")).templateCacheRef)
          .isEqualTo(expected);
      assertThat(caches()).hasSize(1);
    }

    @Test
    void aSharedServiceNeverUsesAnotherServicesDedicatedCache() {
      AIMServiceTemplate t = readyTemplate();
      cluster.create(
          Fixtures.templateCache(
              NS,
              "dedicated-to-someone",
              TEMPLATE,
              AIMTemplateCacheSpec.Mode.Dedicated,
              ResourceStatusValue.Ready));
      AIMService svc = service(null);

      activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace));

      assertThat(caches())
          .extracting(c -> c.getMetadata().getName())
          .containsExactlyInAnyOrder(
              "dedicated-to-someone", DerivedNames.sharedTemplateCache(TEMPLATE, NS));
    }

    /** The service's InferenceService, as the InferenceService stage leaves it: owned, labelled with its template. */
    void runtimeFor(AIMService svc, String template) {
      GenericKubernetesResource isvc = new GenericKubernetesResource();
      isvc.setApiVersion("serving.kserve.io/v1beta1");
      isvc.setKind("InferenceService");
      isvc.setMetadata(
          new ObjectMetaBuilder()
              .withName(DerivedNames.inferenceService(SERVICE, NS))
              .withNamespace(NS)
              .withLabels(Map.of(Aim.LABEL_TEMPLATE, template))
              .withOwnerReferences(Fixtures.ownerRef("AIMService", SERVICE, svc.getMetadata().getUid()))
              .build());
      cluster.client().genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(NS).resource(isvc).create();
    }

    /** The service's status names the cache it served from (as the Cache stage wrote it). */
    AIMService usedCache(AIMService svc, String name, String uid) {
      AIMServiceStatus status = new AIMServiceStatus();
      status.cache = new AIMServiceStatus.Cache();
      status.cache.templateCacheRef = new AIMResolvedReference(name, NS, AIMScope.Namespace, "AIMTemplateCache", uid);
      return cluster.setStatus(svc, status);
    }

    @Test
    void aLostSharedCacheIsCreatedAgainAndTheServiceIsDegradedCacheLost() {
      AIMServiceTemplate t = readyTemplate();
      AIMService svc = service(null);
      String name = DerivedNames.sharedTemplateCache(TEMPLATE, NS);
      svc = usedCache(svc, name, "uid-of-the-lost-cache");
      runtimeFor(svc, TEMPLATE);

      StageResult result = activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Degraded, "CacheLost");
      assertThat(only(result).message()).contains("Shared AIMTemplateCache " + name + " was lost").contains("Created AIMTemplateCache " + name);
      // status.cache keeps naming the lost cache until the new one is Ready.
      assertThat(result.statusFields()).doesNotContainKey("cache");
      assertThat(caches()).extracting(c -> c.getMetadata().getName()).containsExactly(name);
    }

    @Test
    void aSharedCacheBeingDeletedIsNotUsedAndItsNameWaits() {
      AIMServiceTemplate t = readyTemplate();
      AIMTemplateCache doomed =
          Fixtures.templateCache(NS, DerivedNames.sharedTemplateCache(TEMPLATE, NS), TEMPLATE, AIMTemplateCacheSpec.Mode.Shared, ResourceStatusValue.Ready);
      doomed.getMetadata().setFinalizers(List.of(Aim.FINALIZER_TEMPLATE_CACHE));
      doomed = cluster.create(doomed);
      cluster.client().resource(doomed).delete();
      AIMService svc = usedCache(service(null), doomed.getMetadata().getName(), doomed.getMetadata().getUid());
      runtimeFor(svc, TEMPLATE);

      StageResult result = activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Degraded, "CacheLost");
      assertThat(only(result).message()).contains("is being deleted; a new one is created once it is gone");
      assertThat(result.resolved()).isNull();
    }

    @Test
    void aNewTemplateIsNotACacheLoss() {
      AIMServiceTemplate t = readyTemplate();
      AIMService svc = usedCache(service(null), "cache-of-the-old-template", "uid-old");
      runtimeFor(svc, "the-old-template");

      StageResult result = activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace));

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Progressing, "CacheCreating");
    }

    @Test
    void withoutARuntimeAMissingCacheIsJustCreated() {
      AIMServiceTemplate t = readyTemplate();
      AIMService svc = usedCache(service(null), DerivedNames.sharedTemplateCache(TEMPLATE, NS), "uid-gone");

      assertThat(only(activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace))))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Progressing, "CacheCreating");
    }

    @Test
    void aFailedRebuildShowsItsOwnReason() {
      AIMServiceTemplate t = readyTemplate();
      AIMTemplateCache rebuilt =
          Fixtures.templateCache(NS, DerivedNames.sharedTemplateCache(TEMPLATE, NS), TEMPLATE, AIMTemplateCacheSpec.Mode.Shared, ResourceStatusValue.Failed);
      rebuilt.getStatus().conditions =
          List.of(new ConditionBuilder().withType("ArtifactsReady").withStatus("False").withReason("StorageClassMissing")
              .withMessage("StorageClass \"fast\" does not exist").build());
      rebuilt = cluster.create(rebuilt);
      AIMService svc = usedCache(service(null), rebuilt.getMetadata().getName(), "uid-of-the-lost-cache");
      runtimeFor(svc, TEMPLATE);

      // Degraded, not Failed: the runtime still serves from its volumes (and a Failed service would be compensated).
      ComponentHealth health = only(activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace)));
      assertThat(health).extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Degraded, "StorageClassMissing");
      assertThat(health.message()).contains("was lost").contains("rebuilding failed").contains("StorageClass \"fast\" does not exist");
    }

    @Test
    void reportsTheProgressOfAnExistingCache() {
      AIMServiceTemplate t = readyTemplate();
      cluster.create(
          Fixtures.templateCache(
              NS,
              "downloading",
              TEMPLATE,
              AIMTemplateCacheSpec.Mode.Shared,
              ResourceStatusValue.Progressing));
      AIMService svc = service(null);

      assertThat(only(activities.ensureTemplateCache(ref(svc), reference(t, AIMScope.Namespace))))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Progressing, "CacheNotReady");
    }
  }

  @Nested
  class ApplyInferenceService {
    static final String ARTIFACT = "hf---qwen-qwen3-32b-c00b812b59";
    static final String PVC = "hf---qwen-qwen3-32b-c00b812b59-cache-0badc0de";

    AIMService svc;
    AIMResolvedReference model;
    AIMResolvedReference template;
    AIMResolvedReference cache;

    void readyChain() {
      AIMModel m = cluster.create(Fixtures.model(NS, MODEL, IMAGE, ResourceStatusValue.Ready));
      AIMServiceTemplate t =
          Fixtures.template(
              NS, TEMPLATE, MODEL, ResourceStatusValue.Ready, source(MODEL_ID, SOURCE_URI, "66Gi"));
      t.getStatus().resolvedNodeAffinity = TemplateActivitiesImpl.affinity(t.getSpec().hardware);
      t = cluster.create(t);
      AIMTemplateCache c =
          Fixtures.templateCache(
              NS,
              "qwen-cache",
              TEMPLATE,
              AIMTemplateCacheSpec.Mode.Shared,
              ResourceStatusValue.Ready);
      c.getStatus().artifacts = new LinkedHashMap<>();
      c.getStatus()
          .artifacts
          .put(ARTIFACT, Fixtures.artifactEntry(ARTIFACT, MODEL_ID, "Ready", PVC));
      c.getStatus()
          .artifacts
          .put(
              "hf---qwen-draft-0123456789",
              Fixtures.artifactEntry(
                  "hf---qwen-draft-0123456789", "Qwen/Draft", "Progressing", "draft-pvc"));
      c = cluster.create(c);
      svc = cluster.create(Fixtures.serviceForModel(MODEL));
      model = reference(m, AIMScope.Namespace);
      template = reference(t, AIMScope.Namespace);
      cache = reference(c, AIMScope.Namespace);
    }

    StageResult apply() {
      return activities.applyInferenceService(ref(svc), model, template, cache);
    }

    @Test
    void propagatesTheServicesLabelsTheRuntimeConfigSelects() {
      readyChain();
      var spec = new aim.orchestrator.model.AIMRuntimeConfigCommon();
      spec.labelPropagation = new aim.orchestrator.model.AIMRuntimeConfigCommon.LabelPropagation();
      spec.labelPropagation.enabled = true;
      spec.labelPropagation.match = List.of("team", "cost-*");
      cluster.create(Fixtures.clusterRuntimeConfig("default", spec));
      svc = cluster.client().resources(AIMService.class).inNamespace(NS).withName(svc.getMetadata().getName()).edit(s -> {
        s.getMetadata().setLabels(Map.of("team", "ml", "cost-center", "cc-42", "env", "prod", "aim.eai.amd.com/tier", "gold"));
        return s;
      });

      apply();

      assertThat(isvc().getMetadata().getLabels())
          .containsEntry("team", "ml")
          .containsEntry("cost-center", "cc-42")
          .containsEntry("aim.eai.amd.com/tier", "gold")
          .doesNotContainKey("env")
          .containsEntry("aim.eai.amd.com/service", svc.getMetadata().getName());
    }

    GenericKubernetesResource isvc() {
      return cluster
          .client()
          .genericKubernetesResources(Kube.INFERENCE_SERVICES)
          .inNamespace(NS)
          .withName(ISVC)
          .get();
    }

    @Test
    @SuppressWarnings("unchecked")
    void createsTheInferenceServiceTheReferenceDescribes() {
      readyChain();

      StageResult result = apply();

      assertThat(result.output()).isEqualTo(ISVC);
      GenericKubernetesResource isvc = isvc();
      assertThat(isvc.getMetadata().getLabels())
          .contains(
              entry("app.kubernetes.io/component", "inference"),
              entry("app.kubernetes.io/managed-by", "aim-engine"),
              entry(Aim.LABEL_SERVICE, SERVICE),
              entry(Aim.LABEL_TEMPLATE, TEMPLATE),
              entry(Aim.LABEL_MODEL, MODEL),
              entry(Aim.LABEL_METRIC, "latency"),
              entry(Aim.LABEL_PRECISION, "fp16"));
      assertThat(isvc.getMetadata().getAnnotations())
          .containsEntry("serving.kserve.io/autoscalerClass", "none");
      assertThat(isvc.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getApiVersion()).isEqualTo(Aim.API_VERSION);
                assertThat(o.getKind()).isEqualTo("AIMService");
                assertThat(o.getName()).isEqualTo(SERVICE);
                assertThat(o.getUid()).isEqualTo(svc.getMetadata().getUid());
                assertThat(o.getController()).isTrue();
                assertThat(o.getBlockOwnerDeletion()).isTrue();
              });
      assertThat((Integer) isvc.get("spec", "predictor", "minReplicas")).isEqualTo(1);
      assertThat((Integer) isvc.get("spec", "predictor", "maxReplicas")).isEqualTo(1);
      assertThat((List<Object>) isvc.get("spec", "predictor", "containers")).hasSize(1);
      assertThat((String) isvc.get("spec", "predictor", "containers", 0, "name"))
          .isEqualTo("kserve-container");
      assertThat((String) isvc.get("spec", "predictor", "containers", 0, "image")).isEqualTo(IMAGE);
      assertThat((List<Object>) isvc.get("spec", "predictor", "containers", 0, "ports"))
          .containsExactly(Map.of("containerPort", 8000, "name", "http", "protocol", "TCP"));
      assertThat((List<Object>) isvc.get("spec", "predictor", "containers", 0, "env"))
          .containsExactly(
              Map.of("name", "AIM_CACHE_PATH", "value", "/workspace/cache"),
              Map.of("name", "AIM_METRIC", "value", "latency"),
              Map.of("name", "AIM_PRECISION", "value", "fp16"),
              Map.of("name", "VLLM_ENABLE_METRICS", "value", "true"));
      assertThat((Map<?, ?>) isvc.get("spec", "predictor", "containers", 0, "resources"))
          .isEqualTo(
              Map.of(
                  "requests", Map.of("amd.com/gpu", "1", "cpu", "4", "memory", "32Gi"),
                  "limits", Map.of("amd.com/gpu", "1", "memory", "48Gi")));
      assertThat((List<Object>) isvc.get("spec", "predictor", "containers", 0, "volumeMounts"))
          .containsExactly(
              Map.of("name", "dshm", "mountPath", "/dev/shm"),
              Map.of(
                  "name",
                  ARTIFACT,
                  "mountPath",
                  "/workspace/cache/Qwen/Qwen3-32B",
                  "readOnly",
                  true));
      assertThat((List<Object>) isvc.get("spec", "predictor", "volumes"))
          .containsExactly(
              Map.of("name", "dshm", "emptyDir", Map.of("medium", "Memory", "sizeLimit", "8Gi")),
              Map.of(
                  "name",
                  ARTIFACT,
                  "persistentVolumeClaim",
                  Map.of("claimName", PVC, "readOnly", true)));
      assertThat(
              (List<Object>)
                  isvc.get(
                      "spec",
                      "predictor",
                      "affinity",
                      "nodeAffinity",
                      "requiredDuringSchedulingIgnoredDuringExecution",
                      "nodeSelectorTerms",
                      0,
                      "matchExpressions"))
          .containsExactly(
              Map.of(
                  "key",
                  "amd.com/gpu.device-id",
                  "operator",
                  "In",
                  "values",
                  List.of("74a1", "74a9", "74b5", "74bd")));
    }

    @Test
    void isIdempotent() {
      readyChain();
      apply();
      GenericKubernetesResource first = isvc();

      StageResult second = apply();

      assertThat(cluster.inferenceServices(NS)).hasSize(1);
      GenericKubernetesResource after = isvc();
      assertThat(after.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
      assertThat(after.getMetadata().getGeneration()).isEqualTo(1L);
      assertThat(after.getMetadata().getOwnerReferences()).hasSize(1);
      assertThat((Object) after.get("spec")).isEqualTo(first.get("spec"));
      assertThat(second.output()).isEqualTo(ISVC);
    }

    @Test
    void reportsProgressingUntilTheInferenceServiceIsReady() {
      readyChain();

      StageResult created = apply();
      // Its pods are a component of their own: none yet.
      assertThat(component(created, "InferenceServicePods").reason()).isEqualTo("PodsNotCreated");
      assertThat(component(created, "InferenceService"))
          .extracting(
              ComponentHealth::component,
              ComponentHealth::state,
              ComponentHealth::reason,
              ComponentHealth::dependency)
          .containsExactly(
              "InferenceService",
              AIMStatus.Progressing,
              "CreatingRuntime",
              DependencyType.DOWNSTREAM);

      cluster.setInferenceServiceStatus(
          NS, ISVC, Map.of("conditions", List.of(Map.of("type", "Ready", "status", "False"))));
      assertThat(component(apply(), "InferenceService").reason()).isEqualTo("CreatingRuntime");

      cluster.setInferenceServiceStatus(
          NS,
          ISVC,
          Map.of(
              "conditions",
              List.of(
                  Map.of("type", "PredictorReady", "status", "True"),
                  Map.of("type", "Ready", "status", "True"))));
      StageResult ready = apply();
      assertThat(component(ready, "InferenceService"))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Ready, "RuntimeReady");
      assertThat(ready.output()).isEqualTo(ISVC);
      AIMServiceStatus.Runtime runtime =
          (AIMServiceStatus.Runtime) ready.statusFields().get("runtime");
      assertThat(runtime.replicas).isEqualTo("1");
      assertThat(runtime.minReplicas).isEqualTo(1);
    }

    void warning(String name, String reason, String message, String uid) {
      cluster.createObject(
          new io.fabric8.kubernetes.api.model.EventBuilder()
              .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
              .withType("Warning")
              .withReason(reason)
              .withMessage(message)
              .withNewInvolvedObject().withKind("InferenceService").withName(ISVC).withNamespace(NS).withUid(uid).endInvolvedObject()
              .build());
    }

    @Test
    void kserveRejectingTheInferenceServiceFailsItButOnlyForThisObjectAndNotForAConflict() {
      readyChain();
      apply();
      String uid = isvc().getMetadata().getUid();
      warning("old", "ServerlessModeRejected", "about an earlier object of this name", "another-uid");
      warning("conflict", "InternalError", "Operation cannot be fulfilled: the object has been modified (Conflict)", uid);
      assertThat(component(apply(), "InferenceService").reason()).isEqualTo("CreatingRuntime");

      warning("rejected", "ServerlessModeRejected", "serverless mode is disabled", uid);

      assertThat(component(apply(), "InferenceService"))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Failed, "ServerlessModeRejected");
      assertThat(component(apply(), "InferenceService").message()).contains("serverless mode is disabled", "RawDeployment");
    }

    @Test
    void inferenceServiceStateTellsWhetherTheServicesOwnInferenceServiceExistsAndServes() {
      readyChain();
      var none = activities.inferenceServiceState(ref(svc));
      assertThat(none.exists()).isFalse();
      assertThat(none.name()).isEqualTo(ISVC);

      apply();
      assertThat(activities.inferenceServiceState(ref(svc)))
          .isEqualTo(new aim.orchestrator.activity.InferenceServiceState(ISVC, true, false));
      assertThat(activities.inferenceServiceState(ref(svc).withUid("a-later-service-of-this-name")).exists()).isFalse();

      cluster.setInferenceServiceStatus(NS, ISVC, Map.of("conditions", List.of(Map.of("type", "Ready", "status", "True"))));
      assertThat(activities.inferenceServiceState(ref(svc)).ready()).isTrue();
    }

    @Test
    void leavesAnInferenceServiceOfSomeoneElseAlone() {
      readyChain();
      GenericKubernetesResource foreign = new GenericKubernetesResource();
      foreign.setApiVersion("serving.kserve.io/v1beta1");
      foreign.setKind("InferenceService");
      foreign.setMetadata(
          new ObjectMetaBuilder()
              .withName(ISVC)
              .withNamespace(NS)
              .withLabels(Map.of("team", "other"))
              .build());
      foreign.setAdditionalProperty("spec", Map.of("predictor", Map.of("minReplicas", 5)));
      cluster
          .client()
          .genericKubernetesResources(Kube.INFERENCE_SERVICES)
          .inNamespace(NS)
          .resource(foreign)
          .create();

      StageResult result = apply();

      assertThat(only(result))
          .extracting(ComponentHealth::error, ComponentHealth::reason)
          .containsExactly(ErrorCategory.INVALID_SPEC, "InvalidSpec");
      assertThat((Integer) isvc().get("spec", "predictor", "minReplicas")).isEqualTo(5);
      assertThat(isvc().getMetadata().getOwnerReferences()).isEmpty();
    }
  }

  @Nested
  class ApplyHttpRoute {
    final ParentReference gateway =
        new ParentReferenceBuilder().withName("aim-gateway").withNamespace("gateways").build();

    AIMService serviceWithRouting(
        Boolean enabled, ParentReference gatewayRef, String pathTemplate) {
      AIMService svc = Fixtures.serviceForModel(MODEL);
      svc.getSpec().routing = new AIMRoutingConfig();
      svc.getSpec().routing.enabled = enabled;
      svc.getSpec().routing.gatewayRef = gatewayRef;
      svc.getSpec().routing.pathTemplate = pathTemplate;
      return cluster.create(svc);
    }

    String routeName() {
      return DerivedNames.httpRoute(SERVICE, NS);
    }

    @Test
    void withRoutingOffThereIsNoRouteAndNoComponent() {
      AIMService svc = cluster.create(Fixtures.serviceForModel(MODEL));

      StageResult result = activities.applyHttpRoute(ref(svc), ISVC);

      assertThat(result.components()).isEmpty();
      assertThat(result.statusFields()).containsEntry("routing", null);
      assertThat(cluster.client().resources(HTTPRoute.class).inNamespace(NS).list().getItems())
          .isEmpty();
    }

    @Test
    void routingWithoutAGatewayIsAnInvalidSpec() {
      AIMService svc = serviceWithRouting(true, null, null);

      StageResult result = activities.applyHttpRoute(ref(svc), ISVC);

      assertThat(only(result))
          .extracting(
              ComponentHealth::component,
              ComponentHealth::error,
              ComponentHealth::reason,
              ComponentHealth::state)
          .containsExactly(
              "HTTPRoute", ErrorCategory.INVALID_SPEC, "GatewayNotConfigured", AIMStatus.Failed);
      assertThat(route(routeName())).isNull();
    }

    @Test
    void routesTheDefaultPathToThePredictor() {
      AIMService svc = serviceWithRouting(true, gateway, null);

      StageResult result = activities.applyHttpRoute(ref(svc), ISVC);

      String path = "/" + NS + "/" + svc.getMetadata().getUid();
      assertThat(routeName()).isEqualTo(ISVC);
      HTTPRoute route = route(routeName());
      assertThat(route.getSpec().getParentRefs()).containsExactly(gateway);
      assertThat(route.getMetadata().getOwnerReferences())
          .extracting(OwnerReference::getUid)
          .containsExactly(svc.getMetadata().getUid());
      assertThat(route.getMetadata().getLabels()).containsEntry(Aim.LABEL_SERVICE, SERVICE);
      HTTPRouteRule rule = route.getSpec().getRules().get(0);
      assertThat(rule.getMatches().get(0).getPath().getType()).isEqualTo("PathPrefix");
      assertThat(rule.getMatches().get(0).getPath().getValue()).isEqualTo(path);
      assertThat(rule.getFilters())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.getType()).isEqualTo("URLRewrite");
                assertThat(f.getUrlRewrite().getPath().getType()).isEqualTo("ReplacePrefixMatch");
                assertThat(f.getUrlRewrite().getPath().getReplacePrefixMatch()).isEqualTo("/");
              });
      assertThat(rule.getBackendRefs())
          .singleElement()
          .satisfies(
              b -> {
                assertThat(b.getKind()).isEqualTo("Service");
                assertThat(b.getName()).isEqualTo(ISVC + "-predictor");
                assertThat(b.getNamespace()).isEqualTo(NS);
                assertThat(b.getPort()).isEqualTo(80);
              });
      assertThat(rule.getTimeouts()).isNull();
      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Progressing, "HTTPRoutePending");
      assertThat(((AIMServiceStatus.Routing) result.statusFields().get("routing")).path)
          .isEqualTo(path);
      assertThat(result.output()).isEqualTo(routeName());
    }

    @Test
    void rendersAPathTemplate() {
      AIMService svc = serviceWithRouting(true, gateway, "/{.metadata.namespace}/{.metadata.name}");

      activities.applyHttpRoute(ref(svc), ISVC);

      assertThat(
              route(routeName())
                  .getSpec()
                  .getRules()
                  .get(0)
                  .getMatches()
                  .get(0)
                  .getPath()
                  .getValue())
          .isEqualTo("/ml-team/qwen3-chat");
    }

    @Test
    void aPathTemplateWithAMissingLabelIsPathTemplateInvalidNamingTheExpressionAndNoRouteIsMade() {
      AIMService svc = serviceWithRouting(true, gateway, "/teams/{.metadata.labels['team']}/{.metadata.name}");

      StageResult result = activities.applyHttpRoute(ref(svc), ISVC);

      assertThat(only(result))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Degraded, "PathTemplateInvalid");
      assertThat(only(result).message()).contains("{.metadata.labels['team']}");
      assertThat(route(routeName())).isNull();
    }

    @Test
    void aLabelPathTemplateIsRenderedWithJsonPath() {
      AIMService svc = Fixtures.serviceForModel(MODEL);
      svc.getMetadata().setLabels(Map.of("app.kubernetes.io/part-of", "Chat_Apps"));
      svc.getSpec().routing = new AIMRoutingConfig();
      svc.getSpec().routing.enabled = true;
      svc.getSpec().routing.gatewayRef = gateway;
      svc.getSpec().routing.pathTemplate = "/{.metadata.labels['app.kubernetes.io/part-of']}/{.spec.model.name}";
      svc = cluster.create(svc);

      StageResult result = activities.applyHttpRoute(ref(svc), ISVC);

      String expected = "/chat-apps/" + MODEL;
      assertThat(((AIMServiceStatus.Routing) result.statusFields().get("routing")).path).isEqualTo(expected);
      assertThat(route(routeName()).getSpec().getRules().get(0).getMatches().get(0).getPath().getValue()).isEqualTo(expected);
    }

    @Test
    void takesRoutingFromTheRuntimeConfig() {
      AIMRuntimeConfigCommon rc = new AIMRuntimeConfigCommon();
      rc.routing = new AIMRoutingConfig();
      rc.routing.enabled = true;
      rc.routing.gatewayRef = gateway;
      rc.routing.requestTimeout = "120s";
      cluster.create(Fixtures.clusterRuntimeConfig("default", rc));
      AIMService svc = cluster.create(Fixtures.serviceForModel(MODEL));

      activities.applyHttpRoute(ref(svc), ISVC);

      HTTPRoute route = route(routeName());
      assertThat(route.getSpec().getParentRefs()).containsExactly(gateway);
      assertThat(route.getSpec().getRules().get(0).getTimeouts().getRequest()).isEqualTo("120s");
    }

    @Test
    void isIdempotentAndAnAcceptedRouteIsReady() {
      AIMService svc = serviceWithRouting(true, gateway, null);
      activities.applyHttpRoute(ref(svc), ISVC);
      HTTPRoute first = route(routeName());
      first.setStatus(
          new HTTPRouteStatusBuilder()
              .addNewParent()
              .withParentRef(gateway)
              .withControllerName("example.com/gateway")
              .withConditions(
                  new ConditionBuilder()
                      .withType("Accepted")
                      .withStatus("True")
                      .withReason("Accepted")
                      .withLastTransitionTime("2026-03-01T10:00:00Z")
                      .build())
              .endParent()
              .build());
      cluster.client().resource(first).updateStatus();

      StageResult second = activities.applyHttpRoute(ref(svc), ISVC);

      HTTPRoute after = route(routeName());
      assertThat(cluster.client().resources(HTTPRoute.class).inNamespace(NS).list().getItems())
          .hasSize(1);
      assertThat(after.getSpec()).isEqualTo(first.getSpec());
      assertThat(only(second))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Ready, "HTTPRouteAccepted");
    }

    /**
     * applyInferenceService refuses to take over an InferenceService it does not own;
     * applyHttpRoute has no such check, so a user's HTTPRoute with the derived name is overwritten,
     * gets the service as its owner, and is deleted with the service (by deleteHttpRoute and by
     * Kubernetes garbage collection).
     */
    @Test
    void leavesAnHttpRouteOfSomeoneElseAlone() {
      HTTPRoute foreign =
          new HTTPRouteBuilder()
              .withNewMetadata()
              .withName(routeName())
              .withNamespace(NS)
              .withLabels(Map.of("team", "other"))
              .endMetadata()
              .withNewSpec()
              .withParentRefs(new ParentReferenceBuilder().withName("their-gateway").build())
              .endSpec()
              .build();
      cluster.createObject(foreign);
      AIMService svc = serviceWithRouting(true, gateway, null);

      StageResult result = activities.applyHttpRoute(ref(svc), ISVC);

      HTTPRoute after = route(routeName());
      assertThat(after.getMetadata().getOwnerReferences()).isEmpty();
      assertThat(after.getSpec().getParentRefs())
          .extracting(ParentReference::getName)
          .containsExactly("their-gateway");
      assertThat(only(result).isReady()).isFalse();
    }

    @Test
    void turningRoutingOffRemovesTheServicesRoute() {
      AIMService svc = serviceWithRouting(true, gateway, null);
      activities.applyHttpRoute(ref(svc), ISVC);
      svc.getSpec().routing.enabled = false;
      cluster.client().resource(svc).update();

      activities.applyHttpRoute(ref(svc), ISVC);

      assertThat(route(routeName())).isNull();
    }
  }

  @Nested
  class Teardown {
    GenericKubernetesResource inferenceServiceOwnedBy(String uid) {
      GenericKubernetesResource isvc = new GenericKubernetesResource();
      isvc.setApiVersion("serving.kserve.io/v1beta1");
      isvc.setKind("InferenceService");
      isvc.setMetadata(
          new ObjectMetaBuilder()
              .withName(ISVC)
              .withNamespace(NS)
              .withOwnerReferences(Fixtures.ownerRef("AIMService", SERVICE, uid))
              .build());
      isvc.setAdditionalProperty("spec", Map.of("predictor", Map.of()));
      return cluster
          .client()
          .genericKubernetesResources(Kube.INFERENCE_SERVICES)
          .inNamespace(NS)
          .resource(isvc)
          .create();
    }

    @Test
    void deletesTheInferenceServiceOfThisService() {
      AIMService svc = cluster.create(Fixtures.serviceForModel(MODEL));
      inferenceServiceOwnedBy(svc.getMetadata().getUid());

      activities.deleteInferenceService(ref(svc));

      assertThat(cluster.inferenceServices(NS)).isEmpty();
    }

    @Test
    void keepsAnInferenceServiceOwnedByAnotherUid() {
      // The service was deleted and created again under the same name: the old life's teardown must
      // not touch it.
      inferenceServiceOwnedBy("uid-of-the-new-service");
      ResourceRef oldLife = new ResourceRef("AIMService", NS, SERVICE, "uid-of-the-old-service");

      activities.deleteInferenceService(oldLife);
      activities.deleteHttpRoute(oldLife);

      assertThat(cluster.inferenceServices(NS)).hasSize(1);
    }

    @Test
    void deletingWhatIsAlreadyGoneIsFine() {
      ResourceRef gone = new ResourceRef("AIMService", NS, SERVICE, "uid-1");

      activities.deleteHttpRoute(gone);
      activities.deleteInferenceService(gone);
      activities.deleteTemplateCaches(gone);

      assertThat(cluster.inferenceServices(NS)).isEmpty();
    }

    @Test
    void deletesTheRouteOfThisServiceOnly() {
      AIMService svc = cluster.create(Fixtures.serviceForModel(MODEL));
      svc.getSpec().routing = new AIMRoutingConfig();
      svc.getSpec().routing.enabled = true;
      svc.getSpec().routing.gatewayRef = new ParentReferenceBuilder().withName("gw").build();
      svc = cluster.client().resource(svc).update();
      activities.applyHttpRoute(ref(svc), ISVC);
      assertThat(route(DerivedNames.httpRoute(SERVICE, NS))).isNotNull();

      activities.deleteHttpRoute(ref(svc).withUid("someone-else"));
      assertThat(route(DerivedNames.httpRoute(SERVICE, NS))).isNotNull();

      activities.deleteHttpRoute(ref(svc));
      assertThat(route(DerivedNames.httpRoute(SERVICE, NS))).isNull();
    }

    @Test
    void deleteTemplateCachesKeepsReadySharedCachesOnly() {
      AIMService svc = cluster.create(Fixtures.serviceForModel(MODEL));
      String uid = svc.getMetadata().getUid();
      cluster.create(
          cacheOf(
              SERVICE,
              "shared-ready",
              AIMTemplateCacheSpec.Mode.Shared,
              ResourceStatusValue.Ready,
              null));
      cluster.create(
          cacheOf(
              SERVICE,
              "shared-failed",
              AIMTemplateCacheSpec.Mode.Shared,
              ResourceStatusValue.Failed,
              null));
      cluster.create(cacheOf(SERVICE, "shared-new", AIMTemplateCacheSpec.Mode.Shared, null, null));
      cluster.create(
          cacheOf(
              SERVICE,
              "dedicated-ready",
              AIMTemplateCacheSpec.Mode.Dedicated,
              ResourceStatusValue.Ready,
              uid));
      cluster.create(
          cacheOf(
              "another-service",
              "other-failed",
              AIMTemplateCacheSpec.Mode.Shared,
              ResourceStatusValue.Failed,
              null));

      activities.deleteTemplateCaches(ref(svc));

      assertThat(caches())
          .extracting(c -> c.getMetadata().getName())
          .containsExactlyInAnyOrder("shared-ready", "other-failed");
    }

    AIMTemplateCache cacheOf(
        String service,
        String name,
        AIMTemplateCacheSpec.Mode mode,
        ResourceStatusValue status,
        String ownerUid) {
      AIMTemplateCache c = Fixtures.templateCache(NS, name, TEMPLATE, mode, status);
      c.getMetadata().setLabels(Map.of(Aim.LABEL_SERVICE, service));
      if (ownerUid != null) {
        c.getMetadata()
            .setOwnerReferences(List.of(Fixtures.ownerRef("AIMService", service, ownerUid)));
      }
      return c;
    }
  }
}
