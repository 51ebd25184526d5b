package aim.orchestrator.activities.workflow;

import static aim.orchestrator.activities.Fixtures.IMAGE;
import static aim.orchestrator.activities.Fixtures.MODEL_ID;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SERVICE;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.impl.ResourceActivitiesImpl;
import aim.orchestrator.activities.impl.ServiceActivitiesImpl;
import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMRoutingConfig;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.service.ServiceWorkflow;
import aim.orchestrator.workflow.service.ServiceWorkflowImpl;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service's life after resolution with the real workflow and the real activities against the fabric8 CRUD mock,
 * in Temporal's test environment (time skipped): scaling updates, deletion (also with the worker killed in the
 * middle of the teardown), and compensation of a deployment that fails terminally. Upstream objects are frozen
 * (their status set by the test); the test also plays KServe, KEDA and the gateway where the service needs them.
 */
@org.junit.jupiter.api.Timeout(120)
class ServiceLifecycleWorkflowTest {
  private static final String MODEL = "qwen3";
  private static final String TEMPLATE = "qwen3-mi300x";
  private static final String ARTIFACT = "hf---qwen-qwen3-32b-c00b812b59";
  private static final String ISVC = DerivedNames.inferenceService(SERVICE, NS);

  @RegisterExtension static final MockCluster cluster = new MockCluster();

  private TestWorkflowEnvironment env;
  /** Sticky execution off, as against any Java test server: a killed worker's sticky queue is never served. */
  private static final WorkerOptions NOT_STICKY =
      WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    aim.orchestrator.workflow.AimSearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private void startWorker(ServiceActivitiesImpl serviceActivities) {
    env.newWorker(TaskQueues.WORKFLOWS, NOT_STICKY).registerWorkflowImplementationTypes(ServiceWorkflowImpl.class);
    env.newWorker(TaskQueues.KUBERNETES, NOT_STICKY)
        .registerActivitiesImplementations(new ResourceActivitiesImpl(cluster.kube(), Clock.systemUTC()), serviceActivities);
    env.start();
  }

  // ---- scaling -------------------------------------------------------------------------------------------------

  @Test
  void anUpdateOfMinAndMaxReplicasReachesTheInferenceServiceTheHpaAndStatusRuntime() {
    startWorker(new ServiceActivitiesImpl(cluster.kube()));
    readyUpstream(AIMTemplateCacheSpec.Mode.Shared);
    AIMService spec = Fixtures.serviceForModel(MODEL);
    spec.getSpec().minReplicas = 1;
    spec.getSpec().maxReplicas = 3;
    ResourceRef ref = run(spec);
    env.sleep(Duration.ofSeconds(5));
    playKServe(1);
    playKeda(1, 3, 1);
    signal(ref);
    env.sleep(Duration.ofSeconds(5));

    AIMService svc = service();
    assertThat(svc.getStatus().status.name()).isEqualTo("Running");
    assertThat(svc.getStatus().runtime.replicas).isEqualTo("1/1 (1-3)");
    assertThat(isvc().getMetadata().getAnnotations()).containsEntry("serving.kserve.io/autoscalerClass", "keda");
    assertThat(predictor()).containsEntry("minReplicas", 1).containsEntry("maxReplicas", 3);

    // The user scales: min 2, max 5 (a new generation). KEDA follows the InferenceService; the HPA reports 2.
    cluster.client().resources(AIMService.class).inNamespace(NS).withName(SERVICE).edit(s -> {
      s.getSpec().minReplicas = 2;
      s.getSpec().maxReplicas = 5;
      return s;
    });
    signal(ref);
    env.sleep(Duration.ofSeconds(3));
    assertThat(predictor()).containsEntry("minReplicas", 2).containsEntry("maxReplicas", 5);
    playKeda(2, 5, 2);
    signal(ref);
    env.sleep(Duration.ofSeconds(3));

    svc = service();
    assertThat(svc.getStatus().observedGeneration).isEqualTo(svc.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(svc.getStatus().runtime.minReplicas).isEqualTo(2);
    assertThat(svc.getStatus().runtime.maxReplicas).isEqualTo(5);
    assertThat(svc.getStatus().runtime.currentReplicas).isEqualTo(2);
    assertThat(svc.getStatus().runtime.replicas).isEqualTo("2/2 (2-5)");
    assertThat(Conditions.find(svc.getStatus().conditions, "HPAReady").getReason()).isEqualTo("HPAOperational");
    assertThat(svc.getStatus().status.name()).isEqualTo("Running");
  }

  // ---- deletion ------------------------------------------------------------------------------------------------

  /**
   * The worker dies while the teardown deletes the template caches (after the route and the InferenceService are
   * gone); another worker finishes it. What remains is exactly what a deletion keeps.
   */
  @Test
  void deletionRemovesExactlyTheServicesObjectsAlsoWhenTheWorkerIsKilledDuringTheTeardown() throws Exception {
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    startWorker(
        new ServiceActivitiesImpl(cluster.kube()) {
          @Override
          public void deleteTemplateCaches(ResourceRef service) {
            reached.countDown();
            try {
              never.await(); // the worker is killed here
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("worker killed", e);
            }
          }
        });
    routingRuntimeConfig();
    readyUpstream(AIMTemplateCacheSpec.Mode.Shared);
    // An auto-created model (by image) that another service could use as well.
    AIMModel autoModel = Fixtures.model(NS, "auto-created", IMAGE, ResourceStatusValue.Ready);
    autoModel.getMetadata().setLabels(Map.of(Aim.LABEL_ORIGIN, "auto-generated"));
    cluster.create(autoModel);
    ResourceRef ref = run(Fixtures.serviceForModel(MODEL));
    env.sleep(Duration.ofSeconds(5));
    playKServe(1);
    signal(ref);
    env.sleep(Duration.ofSeconds(5));
    String uid = ref.uid();
    // What else the service made in its life: a derived template, a Dedicated cache, a Shared cache that never got
    // Ready. And a cache of another service.
    AIMServiceTemplate derived = Fixtures.template(NS, TEMPLATE + "-ovr-1a2b3c4d", MODEL, ResourceStatusValue.Ready);
    derived.getMetadata().setOwnerReferences(List.of(Fixtures.ownerRef("AIMService", SERVICE, uid)));
    cluster.create(derived);
    cluster.create(cache("dedicated", AIMTemplateCacheSpec.Mode.Dedicated, ResourceStatusValue.Ready, SERVICE, uid));
    cluster.create(cache("shared-not-ready", AIMTemplateCacheSpec.Mode.Shared, ResourceStatusValue.Failed, SERVICE, null));
    cluster.create(cache("other-service", AIMTemplateCacheSpec.Mode.Shared, ResourceStatusValue.Failed, "other", null));
    assertThat(isvc()).isNotNull();
    assertThat(route()).isNotNull();

    cluster.client().resources(AIMService.class).inNamespace(NS).withName(SERVICE).delete();
    signal(ref);
    assertThat(reached.await(30, TimeUnit.SECONDS)).isTrue();
    // Mid-way: route and InferenceService are gone, the caches not yet, the finalizer holds the service.
    assertThat(route()).isNull();
    assertThat(isvc()).isNull();
    assertThat(service().getMetadata().getFinalizers()).contains(Aim.FINALIZER_SERVICE);
    assertThat(caches()).contains("dedicated", "shared-not-ready");

    WorkerFactory killed = env.getWorkerFactory();
    killed.shutdownNow();
    killed.awaitTermination(10, TimeUnit.SECONDS);
    WorkerFactory next = WorkerFactory.newInstance(env.getWorkflowClient());
    next.newWorker(TaskQueues.WORKFLOWS, NOT_STICKY).registerWorkflowImplementationTypes(ServiceWorkflowImpl.class);
    next.newWorker(TaskQueues.KUBERNETES, NOT_STICKY)
        .registerActivitiesImplementations(
            new ResourceActivitiesImpl(cluster.kube(), Clock.systemUTC()), new ServiceActivitiesImpl(cluster.kube()));
    next.start();
    try {
      // The lost attempt times out (start-to-close 60 s, skipped) and is retried on the new worker.
      env.sleep(Duration.ofMinutes(2));
      await().atMost(Duration.ofSeconds(30)).until(() -> service() == null);
      env.getWorkflowClient().newUntypedWorkflowStub(WorkflowIds.of(ref)).getResult(10, TimeUnit.SECONDS, Void.class);
    } finally {
      next.shutdownNow();
    }

    assertThat(isvc()).isNull();
    assertThat(route()).isNull();
    assertThat(caches()).containsExactlyInAnyOrder("shared-ready", "other-service");
    assertThat(cluster.client().resources(AIMServiceTemplate.class).inNamespace(NS).list().getItems())
        .extracting(t -> t.getMetadata().getName())
        .containsExactly(TEMPLATE);
    assertThat(cluster.client().resources(AIMModel.class).inNamespace(NS).list().getItems())
        .extracting(m -> m.getMetadata().getName())
        .containsExactlyInAnyOrder(MODEL, "auto-created");
  }

  // ---- compensation --------------------------------------------------------------------------------------------

  /**
   * KServe rejects the InferenceService (a Warning Event {@code ServerlessModeRejected}): after the grace period the
   * deployment is compensated like a deletion, the service stays Failed with the cause and keeps its finalizer, and
   * nothing comes back until the spec changes.
   */
  @Test
  void aRejectedInferenceServiceIsCompensatedAndTheServiceEndsFailedWithTheCause() {
    startWorker(new ServiceActivitiesImpl(cluster.kube()));
    routingRuntimeConfig();
    readyUpstream(AIMTemplateCacheSpec.Mode.Dedicated);
    ResourceRef ref = run(Fixtures.serviceForModel(MODEL));
    env.sleep(Duration.ofSeconds(5));
    // The service's Dedicated cache (the workflow created it; the test makes it Ready with the artifact).
    AIMTemplateCache dedicated =
        cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).list().getItems().stream()
            .filter(c -> c.getSpec().mode == AIMTemplateCacheSpec.Mode.Dedicated)
            .findFirst()
            .orElseThrow();
    makeReady(dedicated);
    signal(ref);
    env.sleep(Duration.ofSeconds(5));
    GenericKubernetesResource created = isvc();
    assertThat(created).isNotNull();
    cluster.client().v1().events().inNamespace(NS).resource(
        new EventBuilder()
            .withNewMetadata().withName(ISVC + ".rejected").withNamespace(NS).endMetadata()
            .withType("Warning")
            .withReason("ServerlessModeRejected")
            .withMessage("serverless mode is disabled; use RawDeployment")
            .withNewInvolvedObject()
            .withKind("InferenceService")
            .withApiVersion("serving.kserve.io/v1beta1")
            .withName(ISVC)
            .withNamespace(NS)
            .withUid(created.getMetadata().getUid())
            .endInvolvedObject()
            .build())
        .create();
    signal(ref);
    env.sleep(Duration.ofSeconds(5));
    assertThat(service().getStatus().status.name()).isEqualTo("Failed");
    assertThat(isvc()).as("still inside the grace period").isNotNull();

    env.sleep(Duration.ofMinutes(1));

    AIMService svc = service();
    assertThat(svc.getStatus().status.name()).isEqualTo("Failed");
    assertThat(Conditions.find(svc.getStatus().conditions, "InferenceServiceReady").getReason()).isEqualTo("ServerlessModeRejected");
    assertThat(Conditions.find(svc.getStatus().conditions, "Ready").getReason()).isEqualTo("ServerlessModeRejected");
    var compensated = Conditions.find(svc.getStatus().conditions, Aim.CONDITION_COMPENSATED);
    assertThat(compensated.getStatus()).isEqualTo("True");
    assertThat(compensated.getReason()).isEqualTo(Aim.REASON_TERMINAL_FAILURE);
    assertThat(compensated.getObservedGeneration()).isEqualTo(1L);
    assertThat(svc.getMetadata().getFinalizers()).contains(Aim.FINALIZER_SERVICE);
    assertThat(isvc()).isNull();
    assertThat(route()).isNull();
    assertThat(caches()).as("the Dedicated cache is removed, the Shared Ready one kept").containsExactly("shared-ready");
    assertThat(cluster.client().resources(AIMModel.class).inNamespace(NS).withName(MODEL).get()).isNotNull();

    // Halted: passes do not re-create anything while the generation stays.
    signal(ref);
    env.sleep(Duration.ofMinutes(5));
    assertThat(isvc()).isNull();
    assertThat(caches()).containsExactly("shared-ready");

    // A spec change is a new deployment: the InferenceService comes back and the Compensated condition goes.
    cluster.client().resources(AIMService.class).inNamespace(NS).withName(SERVICE).edit(s -> {
      s.getSpec().caching = null;
      return s;
    });
    signal(ref);
    env.sleep(Duration.ofSeconds(10));
    assertThat(isvc()).isNotNull();
    assertThat(Conditions.find(service().getStatus().conditions, Aim.CONDITION_COMPENSATED)).isNull();
    assertThat(service().getStatus().observedGeneration).isEqualTo(2L);
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  /** Model and template Ready; a Shared template cache Ready with the artifact; the default runtime config. */
  private void readyUpstream(AIMTemplateCacheSpec.Mode mode) {
    cluster.createObject(Fixtures.node("gpu-0", Map.of("amd.com/gpu.device-id", "74a1")));
    cluster.create(Fixtures.model(NS, MODEL, IMAGE, ResourceStatusValue.Ready));
    cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready, Fixtures.source(MODEL_ID, SOURCE_URI, "1Gi")));
    AIMTemplateCache shared = cache("shared-ready", AIMTemplateCacheSpec.Mode.Shared, ResourceStatusValue.Ready, SERVICE, null);
    shared.getStatus().artifacts = new LinkedHashMap<>();
    shared.getStatus().artifacts.put(ARTIFACT, Fixtures.artifactEntry(ARTIFACT, MODEL_ID, "Ready", ARTIFACT + "-cache-0badc0de"));
    cluster.create(shared);
    this.cachingMode = mode;
  }

  private AIMTemplateCacheSpec.Mode cachingMode = AIMTemplateCacheSpec.Mode.Shared;

  private void routingRuntimeConfig() {
    AIMRuntimeConfigCommon rc = new AIMRuntimeConfigCommon();
    rc.routing = new AIMRoutingConfig();
    rc.routing.enabled = true;
    rc.routing.gatewayRef = new ParentReferenceBuilder().withName("aim-gateway").withNamespace("gateways").build();
    rc.routing.pathTemplate = "/{.metadata.namespace}/{.metadata.labels['app.kubernetes.io/name']}";
    cluster.create(Fixtures.clusterRuntimeConfig("default", rc));
  }

  private AIMTemplateCache cache(String name, AIMTemplateCacheSpec.Mode mode, ResourceStatusValue status, String service, String ownerUid) {
    AIMTemplateCache c = Fixtures.templateCache(NS, name, TEMPLATE, mode, status);
    c.getMetadata().setLabels(Map.of(Aim.LABEL_SERVICE, service));
    if (ownerUid != null) {
      c.getMetadata().setOwnerReferences(List.of(Fixtures.ownerRef("AIMService", service, ownerUid)));
    }
    return c;
  }

  private void makeReady(AIMTemplateCache cache) {
    var status = new aim.orchestrator.model.AIMTemplateCacheStatus();
    status.status = ResourceStatusValue.Ready;
    status.artifacts = new LinkedHashMap<>();
    status.artifacts.put(ARTIFACT, Fixtures.artifactEntry(ARTIFACT, MODEL_ID, "Ready", ARTIFACT + "-cache-dedicated"));
    cluster.setStatus(cache, status);
  }

  private ResourceRef run(AIMService spec) {
    spec.getMetadata().setLabels(Map.of("app.kubernetes.io/name", "chat"));
    if (cachingMode == AIMTemplateCacheSpec.Mode.Dedicated) {
      spec.getSpec().caching = new AIMServiceSpec.AIMServiceCaching();
      spec.getSpec().caching.mode = AIMServiceSpec.AIMCachingMode.Dedicated;
    }
    AIMService stored = cluster.create(spec);
    ResourceRef ref = Fixtures.ref(stored);
    ServiceWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                ServiceWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(WorkflowIds.of(ref)).setTaskQueue(TaskQueues.WORKFLOWS).build());
    WorkflowClient.start(wf::run, ref);
    return ref;
  }

  /** What the watch bridge does on a spec change, a deletion, or an owned object's change. */
  private void signal(ResourceRef ref) {
    AIMService s = service();
    env.getWorkflowClient()
        .newWorkflowStub(ServiceWorkflow.class, WorkflowIds.of(ref))
        .observe(new ResourceEvent(ref.uid(), s == null ? 0 : s.getMetadata().getGeneration(), s != null && s.getMetadata().getDeletionTimestamp() != null));
  }

  /** KServe and the kubelet: the InferenceService Ready and {@code replicas} running, ready predictor Pods. */
  private void playKServe(int replicas) {
    cluster.setInferenceServiceStatus(NS, ISVC, Map.of("conditions", List.of(Map.of("type", "Ready", "status", "True"))));
    for (int i = 0; i < replicas; i++) {
      cluster.createObject(
          new PodBuilder()
              .withNewMetadata().withName(ISVC + "-predictor-" + i).withNamespace(NS)
              .withLabels(Map.of("serving.kserve.io/inferenceservice", ISVC)).endMetadata()
              .withNewStatus().withPhase("Running")
              .addNewContainerStatus().withName("kserve-container").withReady(true).endContainerStatus()
              .endStatus()
              .build());
    }
  }

  /** KEDA: the HPA of the predictor with the InferenceService's min/max and the current replica count. */
  private void playKeda(int min, int max, int current) {
    HorizontalPodAutoscaler hpa =
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata().withName("keda-hpa-" + ISVC + "-predictor").withNamespace(NS)
            .withLabels(Map.of(Aim.LABEL_SERVICE, SERVICE)).endMetadata()
            .withNewSpec().withMinReplicas(min).withMaxReplicas(max)
            .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(ISVC + "-predictor").endScaleTargetRef()
            .endSpec()
            .withNewStatus().withCurrentReplicas(current).withDesiredReplicas(current)
            .addNewCondition().withType("AbleToScale").withStatus("True").endCondition()
            .addNewCondition().withType("ScalingActive").withStatus("True").endCondition()
            .endStatus()
            .build();
    var hpas = cluster.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS);
    if (hpas.withName(hpa.getMetadata().getName()).get() != null) {
      hpas.withName(hpa.getMetadata().getName()).delete();
    }
    cluster.createObject(hpa);
  }

  private AIMService service() {
    return cluster.client().resources(AIMService.class).inNamespace(NS).withName(SERVICE).get();
  }

  private GenericKubernetesResource isvc() {
    return cluster.client().genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(NS).withName(ISVC).get();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> predictor() {
    return (Map<String, Object>) isvc().get("spec", "predictor");
  }

  private HTTPRoute route() {
    return cluster.client().resources(HTTPRoute.class).inNamespace(NS).withName(DerivedNames.httpRoute(SERVICE, NS)).get();
  }

  private List<String> caches() {
    return cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).list().getItems().stream()
        .map(c -> c.getMetadata().getName())
        .toList();
  }
}
