package aim.orchestrator.workflow.artifact;

import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The life of an AIMArtifact: runtime config → size and PVC → download Job → verified → Ready. */
@WorkflowInterface
public interface ArtifactWorkflow {
  @WorkflowMethod
  void run(ResourceRef resource);

  /** Something about the resource changed; look again. */
  @SignalMethod
  void observe(ResourceEvent event);

  @QueryMethod
  ResourceView status();
}
