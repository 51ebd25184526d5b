package aim.orchestrator.workflow.modelsource;

import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The life of an AIMClusterModelSource (ID {@code AIMClusterModelSource/<name>}): sync the registry into
 * AIMClusterModels at once, then every {@code spec.syncInterval}, and at once again after a spec change.
 */
@WorkflowInterface
public interface ModelSourceWorkflow {
  @WorkflowMethod
  void run(ResourceRef resource);

  /** Something about the resource changed; look again. */
  @SignalMethod
  void observe(ResourceEvent event);

  @QueryMethod
  ResourceView status();
}
