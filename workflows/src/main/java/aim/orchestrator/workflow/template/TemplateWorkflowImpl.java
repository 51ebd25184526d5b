package aim.orchestrator.workflow.template;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import io.temporal.workflow.Workflow;

/** See {@link TemplateWorkflow}. */
public class TemplateWorkflowImpl extends ReconcilingWorkflow implements TemplateWorkflow {
  private final aim.orchestrator.activity.TemplateActivities template = ActivityStubs.template();

  @Override
  public void run(ResourceRef resource) {
    runLoop(resource);
  }

  @Override
  protected void reconcile(Observation observation) {
    if (!stage("RuntimeConfig", () -> resources.runtimeConfig(ref))) {
      return;
    }
    if (!stage(
        "AIMClusterServiceTemplate".equals(ref.kind()) ? "ClusterModel" : "Model", () -> template.model(ref))) {
      return;
    }
    if (!stage("GPU", () -> template.gpu(ref))) {
      return;
    }
    if (!stage("Discovery", () -> template.discovery(ref))) {
      return;
    }
    done();
  }

  @Override
  protected void continueAsNew(ResourceRef next) {
    Workflow.continueAsNew(next);
  }

  @Override
  public void observe(ResourceEvent event) {
    onEvent(event);
  }

  @Override
  public ResourceView status() {
    return view();
  }
}
