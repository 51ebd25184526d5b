package aim.orchestrator.workflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/** ServiceWorkflow against Temporal's test environment with mocked activities and time skipping. */
@org.junit.jupiter.api.Timeout(60)
class ServiceWorkflowTest {
  private static final ResourceRef SVC = new ResourceRef("AIMService", "ml-team", "qwen3-chat", "uid-1");
  private static final AIMResolvedReference MODEL =
      new AIMResolvedReference("qwen3", "ml-team", AIMScope.Namespace, "AIMModel", "m-uid");
  private static final AIMResolvedReference TEMPLATE =
      new AIMResolvedReference("qwen3-mi300x", "ml-team", AIMScope.Namespace, "AIMServiceTemplate", "t-uid");
  private static final AIMResolvedReference CACHE =
      new AIMResolvedReference("qwen3-mi300x-abcd1234", "ml-team", AIMScope.Namespace, "AIMTemplateCache", "c-uid");

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      TestWorkflowExtension.newBuilder().setDoNotStart(true).build();

  private final ResourceActivities resources = mock(ResourceActivities.class, withSettings().withoutAnnotations());
  private final ServiceActivities service = mock(ServiceActivities.class, withSettings().withoutAnnotations());
  private final List<StatusWrite> writes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void activities(TestWorkflowEnvironment env) {
    aim.orchestrator.workflow.AimSearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(ServiceWorkflowImpl.class);
    Worker k8s = env.newWorker(TaskQueues.KUBERNETES);
    k8s.registerActivitiesImplementations(resources, service);
    when(resources.observe(any()))
        .thenReturn(new Observation(true, "uid-1", 3, false, false, List.of(Aim.FINALIZER_SERVICE)));
    when(resources.runtimeConfig(any())).thenReturn(StageResult.none());
    when(resources.writeStatus(any()))
        .thenAnswer(
            inv -> {
              writes.add(inv.getArgument(0));
              return true;
            });
    when(service.resolveModel(any())).thenReturn(ready("Model", "ModelResolved", MODEL, null));
    when(service.resolveTemplate(any(), any())).thenReturn(ready("Template", "Resolved", TEMPLATE, null));
    when(service.ensureTemplateCache(any(), any())).thenReturn(ready("Cache", "CacheReady", CACHE, null));
    when(service.applyHttpRoute(any(), any())).thenReturn(StageResult.none());
  }

  @Test
  void runsTheStagesInOrderAndEndsRunning(TestWorkflowEnvironment env) {
    when(service.applyInferenceService(any(), any(), any(), any()))
        .thenReturn(progressing("InferenceService", "CreatingRuntime"))
        .thenReturn(ready("InferenceService", "RuntimeReady", null, "qwen3-chat-a04542d9"));
    env.start();
    start(env);
    env.sleep(Duration.ofSeconds(30));

    InOrder order = inOrder(resources, service);
    order.verify(resources).observe(SVC);
    order.verify(resources).runtimeConfig(SVC);
    order.verify(service).resolveModel(SVC);
    order.verify(service).resolveTemplate(SVC, MODEL);
    order.verify(service).ensureTemplateCache(SVC, TEMPLATE);
    order.verify(service).applyInferenceService(SVC, MODEL, TEMPLATE, CACHE);
    order.verify(service).applyHttpRoute(SVC, "qwen3-chat-a04542d9");

    assertThat(writes).isNotEmpty();
    assertThat(writes).allSatisfy(w -> assertThat(w.observedGeneration()).isEqualTo(3));
    // Status follows the stages: Starting while the InferenceService comes up, never Running before it is Ready.
    List<String> statuses = writes.stream().map(StatusWrite::status).distinct().toList();
    assertThat(statuses).containsSubsequence("Starting", "Running");
    StatusWrite last = writes.get(writes.size() - 1);
    assertThat(last.status()).isEqualTo("Running");
    assertThat(condition(last, "Ready").status()).isEqualTo("True");
    assertThat(condition(last, "ModelReady").reason()).isEqualTo("ModelResolved");
    assertThat(condition(last, "InferenceServiceReady").reason()).isEqualTo("RuntimeReady");
    assertThat(last.fields()).containsKey("resolvedModel");
    StatusWrite beforeReady =
        writes.stream().filter(w -> condition(w, "InferenceServiceReady") != null).findFirst().orElseThrow();
    assertThat(beforeReady.status()).isEqualTo("Starting");
  }

  @Test
  void retriesAnActivityThatFailsTwiceWithA500(TestWorkflowEnvironment env) {
    when(service.applyInferenceService(any(), any(), any(), any()))
        .thenThrow(ApplicationFailure.newFailure("Failure executing: PUT ... Code: 500", "Infrastructure"))
        .thenThrow(ApplicationFailure.newFailure("Failure executing: PUT ... Code: 500", "Infrastructure"))
        .thenReturn(ready("InferenceService", "RuntimeReady", null, "qwen3-chat-a04542d9"));
    env.start();
    start(env);
    env.sleep(Duration.ofSeconds(20));

    verify(service, times(3)).applyInferenceService(SVC, MODEL, TEMPLATE, CACHE);
    assertThat(writes.get(writes.size() - 1).status()).isEqualTo("Running");
    // The retries happened inside the activity call: no Degraded status on the way.
    assertThat(writes).noneMatch(w -> w.status().equals("Degraded"));
  }

  @Test
  void missingModelFailsTheServiceAndCreatesNothing(TestWorkflowEnvironment env) {
    when(service.resolveModel(any()))
        .thenReturn(
            StageResult.of(
                ComponentHealth.error(
                    "Model",
                    ErrorCategory.MISSING_UPSTREAM,
                    "ModelNotFound",
                    "AIMModel or AIMClusterModel \"nope\" not found",
                    DependencyType.UPSTREAM)));
    env.start();
    start(env);
    env.sleep(Duration.ofSeconds(10));

    StatusWrite last = writes.get(writes.size() - 1);
    assertThat(last.status()).isEqualTo("Failed");
    assertThat(condition(last, "ModelReady").status()).isEqualTo("False");
    assertThat(condition(last, "ModelReady").reason()).isEqualTo("ModelNotFound");
    assertThat(condition(last, "ConfigValid").reason()).isEqualTo("ReferenceNotFound");
    verify(service, never()).resolveTemplate(any(), any());
    verify(service, never()).ensureTemplateCache(any(), any());
    verify(service, never()).applyInferenceService(any(), any(), any(), any());
  }

  @Test
  void tearsDownInReverseOrderAndReleasesTheFinalizer(TestWorkflowEnvironment env) {
    when(service.applyInferenceService(any(), any(), any(), any()))
        .thenReturn(ready("InferenceService", "RuntimeReady", null, "qwen3-chat-a04542d9"));
    when(resources.observe(any()))
        .thenReturn(new Observation(true, "uid-1", 3, false, false, List.of(Aim.FINALIZER_SERVICE)))
        .thenReturn(new Observation(true, "uid-1", 3, true, false, List.of(Aim.FINALIZER_SERVICE)))
        .thenReturn(Observation.gone());
    env.start();
    ServiceWorkflow wf = start(env);
    env.sleep(Duration.ofSeconds(5));
    wf.observe(new aim.orchestrator.workflow.ResourceEvent("uid-1", 3, true));
    env.getWorkflowClient().newUntypedWorkflowStub(WorkflowIds.of(SVC))
        .getResult(Void.class);
    captureHistory(env, "create-run-delete");

    InOrder order = inOrder(service, resources);
    order.verify(service).deleteHttpRoute(SVC);
    order.verify(service).deleteInferenceService(SVC);
    order.verify(service).deleteTemplateCaches(SVC);
    order.verify(service).deleteDerivedTemplates(SVC);
    order.verify(resources).removeFinalizer(eq(SVC), eq(Aim.FINALIZER_SERVICE));
  }

  /**
   * Writes the finished workflow's history as a replay fixture, only when asked
   * ({@code -Daim.histories.capture=true}); {@link ServiceWorkflowReplayTest} replays the committed files.
   */
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

  private static ServiceWorkflow start(TestWorkflowEnvironment env) {
    ServiceWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                ServiceWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.of(SVC))
                    .setTaskQueue(TaskQueues.WORKFLOWS)
                    .build());
    WorkflowClient.start(wf::run, SVC);
    return wf;
  }

  private static StageResult ready(String component, String reason, AIMResolvedReference resolved, String output) {
    Map<String, Object> fields = new java.util.LinkedHashMap<>();
    if (resolved != null && component.equals("Model")) {
      fields.put("resolvedModel", resolved);
    }
    return new StageResult(
        List.of(ComponentHealth.ready(component, reason, "", DependencyType.UPSTREAM)), fields, resolved, output);
  }

  private static StageResult progressing(String component, String reason) {
    return StageResult.of(ComponentHealth.of(component, AIMStatus.Progressing, reason, "", DependencyType.DOWNSTREAM));
  }

  private static ConditionSpec condition(StatusWrite w, String type) {
    for (ConditionSpec c : new ArrayList<>(w.conditions())) {
      if (c.type().equals(type)) {
        return c;
      }
    }
    return null;
  }
}
