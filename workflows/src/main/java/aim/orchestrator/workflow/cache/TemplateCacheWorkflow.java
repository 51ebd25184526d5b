package aim.orchestrator.workflow.cache;

import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The life of an AIMTemplateCache: runtime config → its template → one AIMArtifact per model source → aggregated ArtifactsReady. */
@WorkflowInterface
public interface TemplateCacheWorkflow {
  @WorkflowMethod
  void run(ResourceRef resource);

  /** Something about the resource changed; look again. */
  @SignalMethod
  void observe(ResourceEvent event);

  @QueryMethod
  ResourceView status();
}
