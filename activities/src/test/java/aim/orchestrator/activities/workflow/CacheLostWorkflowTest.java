package aim.orchestrator.activities.workflow;

import static aim.orchestrator.activities.Fixtures.IMAGE;
import static aim.orchestrator.activities.Fixtures.MODEL;
import static aim.orchestrator.activities.Fixtures.MODEL_ID;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SERVICE;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static aim.orchestrator.activities.Fixtures.TEMPLATE;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.impl.ResourceActivitiesImpl;
import aim.orchestrator.activities.impl.ServiceActivitiesImpl;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheStatus;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.service.ServiceWorkflow;
import aim.orchestrator.workflow.service.ServiceWorkflowImpl;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A running service loses its template cache: the real ServiceWorkflow and its activities against the fabric8 mock,
 * time skipped by Temporal's test environment. The service's upstream objects are frozen (their status is set by the
 * test, as no other workflow runs), and the test plays the cache's own workflow and KServe: it marks caches Ready and
 * the InferenceService and its Pod ready.
 *
 * <p>The InferenceService stays (same UID, never deleted) while the service is Degraded {@code CacheLost} with the
 * cache's name; the service re-creates the cache, and once that is Ready it is Running again and its {@code
 * status.cache} names the new cache.
 */
class CacheLostWorkflowTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  /** Longer than a steady service waits before it looks again (60 s and up to 10 s of jitter). */
  private static final Duration STEADY = Duration.ofSeconds(75);

  private TestWorkflowEnvironment env;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    aim.orchestrator.workflow.AimSearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(ServiceWorkflowImpl.class);
    env.newWorker(TaskQueues.KUBERNETES)
        .registerActivitiesImplementations(
            new ResourceActivitiesImpl(cluster.kube(), Clock.systemUTC()), new ServiceActivitiesImpl(cluster.kube()));
    env.start();
    cluster.create(Fixtures.model(NS, MODEL, IMAGE, ResourceStatusValue.Ready));
    cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready, Fixtures.source(MODEL_ID, SOURCE_URI, "1Gi")));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aDeletedSharedCacheDegradesTheServiceUntilItIsRebuiltAndNeverTouchesTheRuntime() {
    AIMService svc = startService(null);
    String cacheName = DerivedNames.sharedTemplateCache(TEMPLATE, NS);
    AIMTemplateCache first = runUntilRunning(svc, cacheName);
    GenericKubernetesResource isvc = isvc();

    // A finalizer holds the deletion, as the cache's own workflow does while it removes its unready artifacts.
    cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName(cacheName).edit(c -> {
      c.getMetadata().setFinalizers(List.of(Aim.FINALIZER_TEMPLATE_CACHE));
      return c;
    });
    cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName(cacheName).delete();
    // No watch bridge here: the steady service notices at its next re-observation (60-70 s).
    env.sleep(STEADY);

    AIMService deleting = service();
    assertThat(deleting.getStatus().status.name()).isEqualTo("Degraded");
    Condition lost = condition(deleting, "CacheReady");
    assertThat(lost.getReason()).isEqualTo("CacheLost");
    assertThat(lost.getMessage()).contains("Shared AIMTemplateCache " + cacheName + " was lost").contains("is being deleted");
    assertThat(condition(deleting, "Ready").getReason()).isEqualTo("CacheLost");
    // The service still names the cache it lost.
    assertThat(deleting.getStatus().cache.templateCacheRef.uid).isEqualTo(first.getMetadata().getUid());

    // The deletion completes: the service creates the cache again and stays Degraded while it downloads.
    cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName(cacheName).edit(c -> {
      c.getMetadata().setFinalizers(List.of());
      return c;
    });
    env.sleep(Duration.ofSeconds(10));

    AIMTemplateCache rebuilt = cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName(cacheName).get();
    assertThat(rebuilt).isNotNull();
    assertThat(rebuilt.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    cluster.setStatus(rebuilt, cacheStatus(ResourceStatusValue.Progressing));
    env.sleep(Duration.ofSeconds(10));
    AIMService rebuilding = service();
    assertThat(rebuilding.getStatus().status.name()).isEqualTo("Degraded");
    assertThat(condition(rebuilding, "CacheReady").getReason()).isEqualTo("CacheLost");
    assertThat(condition(rebuilding, "CacheReady").getMessage()).contains("rebuilding in AIMTemplateCache " + cacheName + " is Progressing");

    // The rebuilt cache is Ready: Running again, on the very same InferenceService.
    cluster.setStatus(rebuilt, cacheStatus(ResourceStatusValue.Ready));
    env.sleep(Duration.ofSeconds(10));
    AIMService running = service();
    assertThat(running.getStatus().status.name()).isEqualTo("Running");
    assertThat(condition(running, "CacheReady").getReason()).isEqualTo("CacheReady");
    assertThat(running.getStatus().cache.templateCacheRef.uid).isEqualTo(rebuilt.getMetadata().getUid());
    assertThat(isvc().getMetadata().getUid()).isEqualTo(isvc.getMetadata().getUid());
    assertThat(cluster.inferenceServices(NS)).hasSize(1);
  }

  @Test
  void aDeletedDedicatedCacheIsRecreatedUnderItsNameWhileTheRuntimeKeepsServing() {
    AIMService svc = startService(AIMServiceSpec.AIMCachingMode.Dedicated);
    String cacheName = DerivedNames.dedicatedTemplateCache(TEMPLATE, SERVICE, svc.getMetadata().getUid());
    runUntilRunning(svc, cacheName);
    GenericKubernetesResource isvc = isvc();

    cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName(cacheName).delete();
    env.sleep(STEADY);

    AIMTemplateCache recreated = cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName(cacheName).get();
    assertThat(recreated).isNotNull();
    assertThat(recreated.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(svc.getMetadata().getUid()));
    AIMService degraded = service();
    assertThat(degraded.getStatus().status.name()).isEqualTo("Degraded");
    // As the reference: a lost Dedicated cache is Degraded CacheCreating (it is the service's own, re-created).
    assertThat(condition(degraded, "CacheReady").getReason()).isEqualTo("CacheCreating");
    assertThat(condition(degraded, "CacheReady").getMessage()).contains("Dedicated AIMTemplateCache " + cacheName + " was lost");

    cluster.setStatus(recreated, cacheStatus(ResourceStatusValue.Ready));
    env.sleep(Duration.ofSeconds(10));
    assertThat(service().getStatus().status.name()).isEqualTo("Running");
    assertThat(isvc().getMetadata().getUid()).isEqualTo(isvc.getMetadata().getUid());
  }

  @Test
  void deletingTheServiceTakesItsDedicatedCacheAndKeepsAReadySharedOne() {
    AIMTemplateCache shared =
        cluster.create(Fixtures.templateCache(NS, "shared-by-all", TEMPLATE, aim.orchestrator.model.AIMTemplateCacheSpec.Mode.Shared, ResourceStatusValue.Ready));
    cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName("shared-by-all").edit(c -> {
      c.getMetadata().setLabels(Map.of(Aim.LABEL_SERVICE, SERVICE));
      return c;
    });
    AIMService svc = startService(AIMServiceSpec.AIMCachingMode.Dedicated);
    String dedicated = DerivedNames.dedicatedTemplateCache(TEMPLATE, SERVICE, svc.getMetadata().getUid());
    runUntilRunning(svc, dedicated);

    cluster.client().resources(AIMService.class).inNamespace(NS).withName(SERVICE).delete();
    env.sleep(STEADY);

    assertThat(cluster.client().resources(AIMService.class).inNamespace(NS).withName(SERVICE).get()).isNull();
    assertThat(cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).list().getItems())
        .extracting(c -> c.getMetadata().getUid())
        .containsExactly(shared.getMetadata().getUid());
    assertThat(cluster.inferenceServices(NS)).isEmpty();
  }

  private AIMService startService(AIMServiceSpec.AIMCachingMode mode) {
    AIMService spec = Fixtures.serviceForModel(MODEL);
    spec.getSpec().template = new AIMServiceSpec.AIMServiceTemplateRef();
    spec.getSpec().template.name = TEMPLATE;
    if (mode != null) {
      spec.getSpec().caching = new AIMServiceSpec.AIMServiceCaching();
      spec.getSpec().caching.mode = mode;
    }
    AIMService stored = cluster.create(spec);
    ResourceRef ref = Fixtures.ref(stored);
    ServiceWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                ServiceWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(WorkflowIds.of(ref)).setTaskQueue(TaskQueues.WORKFLOWS).build());
    WorkflowClient.start(wf::run, ref);
    return stored;
  }

  /** Plays the cache's workflow and KServe until the service is Running; returns the cache it uses. */
  private AIMTemplateCache runUntilRunning(AIMService svc, String cacheName) {
    env.sleep(Duration.ofSeconds(5));
    AIMTemplateCache cache = cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName(cacheName).get();
    assertThat(cache).as("the service created its cache " + cacheName).isNotNull();
    cluster.setStatus(cache, cacheStatus(ResourceStatusValue.Ready));
    env.sleep(Duration.ofSeconds(10));
    String isvcName = DerivedNames.inferenceService(SERVICE, NS);
    assertThat(isvc()).as("the InferenceService").isNotNull();
    cluster.setInferenceServiceStatus(NS, isvcName, Map.of("conditions", List.of(Map.of("type", "Ready", "status", "True"))));
    Pod pod =
        new PodBuilder()
            .withNewMetadata().withName(isvcName + "-predictor-0").withNamespace(NS)
            .addToLabels("serving.kserve.io/inferenceservice", isvcName).endMetadata()
            .withNewSpec().addNewContainer().withName("kserve-container").withImage(IMAGE).endContainer().endSpec()
            .build();
    Pod created = cluster.client().resource(pod).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            .addNewContainerStatus().withName("kserve-container").withReady(true).endContainerStatus()
            .build());
    cluster.client().resource(created).updateStatus();
    env.sleep(Duration.ofSeconds(10));
    AIMService running = service();
    assertThat(running.getStatus().status.name()).as("status of " + SERVICE).isEqualTo("Running");
    return cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName(cacheName).get();
  }

  private static AIMTemplateCacheStatus cacheStatus(ResourceStatusValue value) {
    AIMTemplateCacheStatus s = new AIMTemplateCacheStatus();
    s.status = value;
    return s;
  }

  private static GenericKubernetesResource isvc() {
    return cluster.client().genericKubernetesResources(aim.orchestrator.activities.kube.Kube.INFERENCE_SERVICES)
        .inNamespace(NS).withName(DerivedNames.inferenceService(SERVICE, NS)).get();
  }

  private static AIMService service() {
    return cluster.client().resources(AIMService.class).inNamespace(NS).withName(SERVICE).get();
  }

  private static Condition condition(AIMService svc, String type) {
    Condition c = Conditions.find(svc.getStatus().conditions, type);
    assertThat(c).as(type).isNotNull();
    return c;
  }
}
