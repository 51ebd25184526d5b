package aim.orchestrator.workflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import aim.orchestrator.activity.InferenceServiceState;
import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.ResourceActivities;
import aim.orchestrator.activity.ServiceActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.StatusWrite;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.Aim;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/**
 * Compensation of a deployment that fails terminally (docs/deletion.md): Temporal's test environment with time
 * skipping; the activities are mocks whose observe answer reflects the status the workflow wrote, as the object's
 * status would.
 */
@org.junit.jupiter.api.Timeout(60)
class ServiceCompensationTest {
  private static final ResourceRef SVC = new ResourceRef("AIMService", "ml-team", "qwen3-chat", "uid-1");
  private static final String ISVC = "qwen3-chat-a04542d9";
  private static final AIMResolvedReference MODEL =
      new AIMResolvedReference("qwen3", "ml-team", AIMScope.Namespace, "AIMModel", "m-uid");
  private static final AIMResolvedReference TEMPLATE =
      new AIMResolvedReference("qwen3-mi300x", "ml-team", AIMScope.Namespace, "AIMServiceTemplate", "t-uid");
  private static final AIMResolvedReference CACHE =
      new AIMResolvedReference("qwen3-mi300x-abcd1234", "ml-team", AIMScope.Namespace, "AIMTemplateCache", "c-uid");
  private static final StageResult REJECTED =
      StageResult.of(
          ComponentHealth.of(
              "InferenceService",
              AIMStatus.Failed,
              "ServerlessModeRejected",
              "InferenceService " + ISVC + " was rejected: serverless mode is off",
              DependencyType.DOWNSTREAM));

  @RegisterExtension
  static final TestWorkflowExtension temporal = TestWorkflowExtension.newBuilder().setDoNotStart(true).build();

  private final ResourceActivities resources = mock(ResourceActivities.class, withSettings().withoutAnnotations());
  private final ServiceActivities service = mock(ServiceActivities.class, withSettings().withoutAnnotations());
  private final List<StatusWrite> writes = new CopyOnWriteArrayList<>();
  private final AtomicLong generation = new AtomicLong(3);

  @BeforeEach
  void activities(TestWorkflowEnvironment env) {
    aim.orchestrator.workflow.AimSearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(ServiceWorkflowImpl.class);
    Worker k8s = env.newWorker(TaskQueues.KUBERNETES);
    k8s.registerActivitiesImplementations(resources, service);
    // The object: its generation, and the Compensated condition of the last status write (as the API would keep it).
    when(resources.observe(any()))
        .thenAnswer(
            inv -> {
              Long compensated = null;
              if (!writes.isEmpty()) {
                StatusWrite last = writes.get(writes.size() - 1);
                ConditionSpec c = condition(last, Aim.CONDITION_COMPENSATED);
                compensated = c != null && c.status().equals("True") ? last.observedGeneration() : null;
              }
              return new Observation(true, "uid-1", generation.get(), false, false, List.of(Aim.FINALIZER_SERVICE), compensated);
            });
    when(resources.runtimeConfig(any())).thenReturn(StageResult.none());
    when(resources.writeStatus(any()))
        .thenAnswer(
            inv -> {
              writes.add(inv.getArgument(0));
              return true;
            });
    when(service.resolveModel(any())).thenReturn(ready("Model", MODEL, null));
    when(service.resolveTemplate(any(), any())).thenReturn(ready("Template", TEMPLATE, null));
    when(service.ensureTemplateCache(any(), any())).thenReturn(ready("Cache", CACHE, null));
    when(service.applyHttpRoute(any(), any())).thenReturn(StageResult.none());
    when(service.inferenceServiceState(any())).thenReturn(new InferenceServiceState(ISVC, true, false, true));
  }

  @Test
  void aRejectedInferenceServiceIsCompensatedInReverseOrderAndTheServiceStaysFailed(TestWorkflowEnvironment env) {
    when(service.applyInferenceService(any(), any(), any(), any())).thenReturn(REJECTED);
    env.start();
    start(env);

    // Failed, but not yet for the grace period: nothing is removed.
    env.sleep(ServiceWorkflowImpl.TERMINAL_AFTER.minusSeconds(10));
    assertThat(last().status()).isEqualTo("Failed");
    verify(service, never()).deleteInferenceService(any());

    env.sleep(Duration.ofSeconds(30));
    InOrder order = inOrder(service);
    order.verify(service).inferenceServiceState(SVC);
    order.verify(service).deleteHttpRoute(SVC);
    order.verify(service).deleteInferenceService(SVC);
    order.verify(service).deleteDedicatedTemplateCaches(SVC);
    order.verify(service).deleteDerivedTemplates(SVC);
    verify(resources, never()).removeFinalizer(any(), any());

    StatusWrite last = last();
    assertThat(last.status()).isEqualTo("Failed");
    assertThat(last.observedGeneration()).isEqualTo(3);
    assertThat(condition(last, "InferenceServiceReady").reason()).isEqualTo("ServerlessModeRejected");
    assertThat(condition(last, "Ready").reason()).isEqualTo("ServerlessModeRejected");
    ConditionSpec compensated = condition(last, Aim.CONDITION_COMPENSATED);
    assertThat(compensated.status()).isEqualTo("True");
    assertThat(compensated.reason()).isEqualTo(Aim.REASON_TERMINAL_FAILURE);
    assertThat(compensated.message()).contains("Generation 3", "ServerlessModeRejected", "Change the spec");

    // Halted at this generation: an hour of wake-ups neither re-creates nor deletes anything, nor rewrites status.
    int applies = org.mockito.Mockito.mockingDetails(service).getInvocations().stream()
        .filter(i -> i.getMethod().getName().equals("applyInferenceService")).toList().size();
    int statusWrites = writes.size();
    ServiceWorkflow wf = env.getWorkflowClient().newWorkflowStub(ServiceWorkflow.class, WorkflowIds.of(SVC));
    wf.observe(new ResourceEvent("uid-1", 3, false));
    env.sleep(Duration.ofHours(1));
    verify(service, times(applies)).applyInferenceService(any(), any(), any(), any());
    verify(service, times(1)).deleteInferenceService(any());
    assertThat(writes).hasSize(statusWrites);
    assertThat(wf.status().phase()).isEqualTo("halted");
    assertThat(wf.status().status()).isEqualTo("Failed");
  }

  @Test
  void aNewGenerationDeploysAgainAndDropsTheCompensatedCondition(TestWorkflowEnvironment env) {
    // Generation 3's spec cannot serve; generation 4's can.
    when(service.applyInferenceService(any(), any(), any(), any()))
        .thenAnswer(inv -> generation.get() >= 4 ? ready("InferenceService", null, ISVC) : REJECTED);
    env.start();
    ServiceWorkflow wf = start(env);
    env.sleep(Duration.ofMinutes(2));
    assertThat(condition(last(), Aim.CONDITION_COMPENSATED)).isNotNull();

    // The user changes the spec: generation 4 is a new deployment.
    generation.set(4);
    wf.observe(new ResourceEvent("uid-1", 4, false));
    env.sleep(Duration.ofSeconds(30));

    StatusWrite last = last();
    assertThat(last.observedGeneration()).isEqualTo(4);
    assertThat(last.status()).isEqualTo("Running");
    assertThat(condition(last, Aim.CONDITION_COMPENSATED)).isNull();
    assertThat(wf.status().phase()).isNotEqualTo("halted");
  }

  @Test
  void aFailureBeforeTheInferenceServiceExistsIsOnlyStatusAndFixingTheCauseIsPickedUp(TestWorkflowEnvironment env) {
    StageResult missing =
        StageResult.of(
            ComponentHealth.error(
                "Model", ErrorCategory.MISSING_UPSTREAM, "ModelNotFound", "AIMModel \"qwen3\" not found", DependencyType.UPSTREAM));
    when(service.resolveModel(any())).thenReturn(missing);
    when(service.inferenceServiceState(any())).thenReturn(new InferenceServiceState(ISVC, false, false));
    when(service.applyInferenceService(any(), any(), any(), any())).thenReturn(ready("InferenceService", null, ISVC));
    env.start();
    start(env);
    env.sleep(Duration.ofMinutes(3));

    assertThat(last().status()).isEqualTo("Failed");
    verify(service, atLeastOnce()).inferenceServiceState(SVC);
    verify(service, never()).deleteHttpRoute(any());
    verify(service, never()).deleteInferenceService(any());
    verify(service, never()).deleteTemplateCaches(any());
    assertThat(writes).allSatisfy(w -> assertThat(condition(w, Aim.CONDITION_COMPENSATED)).isNull());

    // Someone creates the model; no spec change is needed.
    when(service.resolveModel(any())).thenReturn(ready("Model", MODEL, null));
    env.sleep(Duration.ofSeconds(10));
    assertThat(last().status()).isEqualTo("Running");
  }

  @Test
  void aServingInferenceServiceIsNeverRemovedForAFailureElsewhere(TestWorkflowEnvironment env) {
    when(service.applyInferenceService(any(), any(), any(), any())).thenReturn(ready("InferenceService", null, ISVC));
    when(service.applyHttpRoute(any(), any()))
        .thenReturn(
            StageResult.of(
                ComponentHealth.error(
                    "HTTPRoute", ErrorCategory.INVALID_SPEC, "GatewayNotConfigured", "no gatewayRef", DependencyType.DOWNSTREAM)));
    when(service.inferenceServiceState(any())).thenReturn(new InferenceServiceState(ISVC, true, true));
    env.start();
    start(env);
    env.sleep(Duration.ofMinutes(3));

    assertThat(last().status()).isEqualTo("Failed");
    assertThat(condition(last(), "HTTPRouteReady").reason()).isEqualTo("GatewayNotConfigured");
    verify(service, atLeastOnce()).inferenceServiceState(SVC);
    verify(service, never()).deleteInferenceService(any());
    verify(service, never()).deleteHttpRoute(any());
  }

  @Test
  void aFailedServiceWhoseInferenceServiceIsOnlyNotReadyIsNeverRolledBack(TestWorkflowEnvironment env) {
    // Failed because of the route, while the InferenceService restarts (not Ready) without KServe rejecting it.
    when(service.applyInferenceService(any(), any(), any(), any())).thenReturn(REJECTED);
    when(service.inferenceServiceState(any())).thenReturn(new InferenceServiceState(ISVC, true, false, false));
    env.start();
    start(env);
    env.sleep(Duration.ofMinutes(3));

    assertThat(last().status()).isEqualTo("Failed");
    verify(service, atLeastOnce()).inferenceServiceState(SVC);
    verify(service, never()).deleteInferenceService(any());
    verify(service, never()).deleteDedicatedTemplateCaches(any());
    assertThat(condition(last(), Aim.CONDITION_COMPENSATED)).isNull();
  }

  @Test
  void aCompensationStepThatKeepsFailingIsRunAgainFromTheStartUntilItCompletes(TestWorkflowEnvironment env) {
    when(service.applyInferenceService(any(), any(), any(), any())).thenReturn(REJECTED);
    // Four attempts (the whole retry policy) fail, as when the API server is down or the worker dies each time.
    org.mockito.Mockito.doThrow(ApplicationFailure.newFailure("Code: 503", "Infrastructure"))
        .doThrow(ApplicationFailure.newFailure("Code: 503", "Infrastructure"))
        .doThrow(ApplicationFailure.newFailure("Code: 503", "Infrastructure"))
        .doThrow(ApplicationFailure.newFailure("Code: 503", "Infrastructure"))
        .doNothing()
        .when(service)
        .deleteDedicatedTemplateCaches(any());
    env.start();
    start(env);
    env.sleep(Duration.ofMinutes(3));

    // The first round stopped at the caches; the second ran every (idempotent) step again and finished. Meanwhile
    // the generation was halted: the stages never applied the InferenceService again.
    verify(service, times(2)).deleteHttpRoute(SVC);
    verify(service, times(2)).deleteInferenceService(SVC);
    verify(service, times(5)).deleteDedicatedTemplateCaches(SVC);
    verify(service, times(1)).deleteDerivedTemplates(SVC);
    verify(service, never()).deleteTemplateCaches(any());
    org.mockito.InOrder order = org.mockito.Mockito.inOrder(service);
    order.verify(service).deleteInferenceService(SVC);
    order.verify(service, never()).applyInferenceService(any(), any(), any(), any());
    assertThat(condition(last(), Aim.CONDITION_COMPENSATED).status()).isEqualTo("True");
    assertThat(last().status()).isEqualTo("Failed");
  }

  @Test
  void deletingACompensatedServiceStillTearsDownAndReleasesTheFinalizer(TestWorkflowEnvironment env) {
    when(service.applyInferenceService(any(), any(), any(), any())).thenReturn(REJECTED);
    env.start();
    ServiceWorkflow wf = start(env);
    env.sleep(Duration.ofMinutes(2));
    assertThat(condition(last(), Aim.CONDITION_COMPENSATED)).isNotNull();

    when(resources.observe(any()))
        .thenReturn(new Observation(true, "uid-1", 3, true, false, List.of(Aim.FINALIZER_SERVICE), 3L))
        .thenReturn(Observation.gone());
    wf.observe(new ResourceEvent("uid-1", 3, true));
    env.getWorkflowClient().newUntypedWorkflowStub(WorkflowIds.of(SVC)).getResult(Void.class);
    captureHistory(env, "compensate-then-delete");

    verify(service, times(2)).deleteInferenceService(SVC);
    verify(resources).removeFinalizer(SVC, Aim.FINALIZER_SERVICE);
  }

  /** As ServiceWorkflowTest: writes a replay fixture only with {@code -Daim.histories.capture=true}. */
  private static void captureHistory(TestWorkflowEnvironment env, String scenario) {
    if (!Boolean.getBoolean("aim.histories.capture")) {
      return;
    }
    try {
      java.nio.file.Path out = java.nio.file.Path.of("src/test/resources/histories/service-workflow", scenario + ".json");
      java.nio.file.Files.createDirectories(out.getParent());
      java.nio.file.Files.writeString(out, env.getWorkflowClient().fetchHistory(WorkflowIds.of(SVC)).toJson(true));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private StatusWrite last() {
    return writes.get(writes.size() - 1);
  }

  private static ServiceWorkflow start(TestWorkflowEnvironment env) {
    ServiceWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                ServiceWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(WorkflowIds.of(SVC)).setTaskQueue(TaskQueues.WORKFLOWS).build());
    WorkflowClient.start(wf::run, SVC);
    return wf;
  }

  private static StageResult ready(String component, AIMResolvedReference resolved, String output) {
    return new StageResult(
        List.of(ComponentHealth.ready(component, "Ready", "", DependencyType.UPSTREAM)), Map.of(), resolved, output);
  }

  private static ConditionSpec condition(StatusWrite w, String type) {
    return w.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }
}
