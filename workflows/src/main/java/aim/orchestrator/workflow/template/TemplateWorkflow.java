package aim.orchestrator.workflow.template;

import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The life of an AIMServiceTemplate or AIMClusterServiceTemplate: runtime config → model → GPU availability → profile and model sources (inline, or discovery) → Ready / NotAvailable. */
@WorkflowInterface
public interface TemplateWorkflow {
  @WorkflowMethod
  void run(ResourceRef resource);

  /** Something about the resource changed; look again. */
  @SignalMethod
  void observe(ResourceEvent event);

  @QueryMethod
  ResourceView status();
}
