package aim.orchestrator.workflow.model;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import io.temporal.workflow.Workflow;

/** See {@link ModelWorkflow}. */
public class ModelWorkflowImpl extends ReconcilingWorkflow implements ModelWorkflow {
  private final aim.orchestrator.activity.ModelActivities model = ActivityStubs.model();

  @Override
  public void run(ResourceRef resource) {
    runLoop(resource);
  }

  @Override
  protected void reconcile(Observation observation) {
    if (!stage("RuntimeConfig", () -> resources.runtimeConfig(ref))) {
      return;
    }
    if (!stage("ImageMetadata", () -> model.imageMetadata(ref))) {
      return;
    }
    if (!stage(
        "AIMClusterModel".equals(ref.kind()) ? "ClusterServiceTemplates" : "ServiceTemplates",
        () -> model.templates(ref))) {
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
