package aim.orchestrator.workflow.model;

import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The life of an AIMModel or AIMClusterModel (IDs {@code AIMModel/<ns>/<name>}, {@code AIMClusterModel/<name>}): runtime config → image metadata → its templates, aggregated. */
@WorkflowInterface
public interface ModelWorkflow {
  @WorkflowMethod
  void run(ResourceRef resource);

  /** Something about the resource changed; look again. */
  @SignalMethod
  void observe(ResourceEvent event);

  @QueryMethod
  ResourceView status();
}
