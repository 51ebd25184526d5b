package aim.orchestrator.starter.watch;

import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.Workflows;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;

/**
 * The two ways the starter reaches a resource's workflow: signal-with-start of {@code observe} (starts the workflow
 * when it is not running) and a plain signal (only a running workflow). Used by the watch bridge and the REST API.
 */
public final class WorkflowSignals {
  private WorkflowSignals() {}

  /**
   * Signals {@code observe} to the resource's workflow, starting it first if it is not running.
   *
   * @throws IllegalArgumentException when the kind has no workflow
   */
  public static void signalWithStart(WorkflowClient temporal, ResourceRef ref, ResourceEvent event) {
    Class<?> workflow = Workflows.forKind(ref.kind());
    if (workflow == null) {
      throw new IllegalArgumentException(ref.kind() + " has no workflow");
    }
    WorkflowStub stub =
        temporal.newUntypedWorkflowStub(
            workflow.getSimpleName(),
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.of(ref))
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build());
    stub.signalWithStart("observe", new Object[] {event}, new Object[] {ref});
  }

  /**
   * Signals {@code observe} to the resource's running workflow.
   *
   * @throws io.temporal.client.WorkflowNotFoundException when no workflow of that ID is running
   */
  public static void signal(WorkflowClient temporal, ResourceRef ref, ResourceEvent event) {
    temporal.newUntypedWorkflowStub(WorkflowIds.of(ref)).signal("observe", event);
  }
}
