package aim.orchestrator.starter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.model.AIMService;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.service.ServiceWorkflow;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Waking a resource's workflow and reading its status query, against Temporal's in-memory test server. */
class ResourceWorkflowsTest {
  static final List<ResourceEvent> EVENTS = new CopyOnWriteArrayList<>();

  /** Stands in for the real ServiceWorkflow: records its signals, answers a fixed status. */
  public static class RecordingServiceWorkflow implements ServiceWorkflow {
    private ResourceRef ref;
    private boolean deleted;

    @Override
    public void run(ResourceRef service) {
      ref = service;
      Workflow.await(() -> deleted);
    }

    @Override
    public void observe(ResourceEvent event) {
      EVENTS.add(event);
      deleted = event.deleting();
    }

    @Override
    public ResourceView status() {
      return new ResourceView(
          ref, "Running", List.of(ComponentHealth.ready("Model", "ModelFound", "found", DependencyType.UPSTREAM)), 2, "waiting", 7);
    }
  }

  private TestWorkflowEnvironment env;
  private ResourceWorkflows workflows;

  @BeforeEach
  void start() {
    EVENTS.clear();
    env = TestWorkflowEnvironment.newInstance();
    env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(RecordingServiceWorkflow.class);
    env.start();
    workflows = new ResourceWorkflows(env.getWorkflowClient(), new ApiProperties(true, Duration.ZERO, "", Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void wakesWithSignalWithStartAndReadsTheStatusQuery() {
    AIMService service = new AIMService();
    service.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName("chat").withUid("u1").withGeneration(3L).build());

    workflows.wake(service);
    workflows.wake(service);

    await().atMost(Duration.ofSeconds(10)).until(() -> EVENTS.size() == 2);
    assertThat(EVENTS).containsOnly(new ResourceEvent("u1", 3, false));
    ResourceWorkflows.Lifecycle lifecycle = workflows.status("AIMService", "ml", "chat");
    assertThat(lifecycle.workflowId()).isEqualTo("AIMService/ml/chat");
    assertThat(lifecycle.unavailable()).isNull();
    assertThat(lifecycle.view().ref()).isEqualTo(new ResourceRef("AIMService", "ml", "chat", "u1"));
    assertThat(lifecycle.view().passes()).isEqualTo(7);
    assertThat(lifecycle.view().components()).extracting(ComponentHealth::component).containsExactly("Model");
  }

  @Test
  void saysWhenThereIsNoWorkflow() {
    ResourceWorkflows.Lifecycle lifecycle = workflows.status("AIMService", "ml", "nothing");

    assertThat(lifecycle.view()).isNull();
    assertThat(lifecycle.unavailable()).isEqualTo("no workflow AIMService/ml/nothing (not started yet, or its history is gone)");
  }
}
