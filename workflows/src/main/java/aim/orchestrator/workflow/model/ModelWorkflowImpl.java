package aim.orchestrator.workflow.model;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;

/** See {@link ModelWorkflow}. */
public class ModelWorkflowImpl extends ReconcilingWorkflow implements ModelWorkflow {
  private final aim.orchestrator.activity.ModelActivities model = ActivityStubs.model();

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
}
