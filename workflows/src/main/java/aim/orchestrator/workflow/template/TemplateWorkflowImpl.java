package aim.orchestrator.workflow.template;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;

/** See {@link TemplateWorkflow}. */
public class TemplateWorkflowImpl extends ReconcilingWorkflow implements TemplateWorkflow {
  private final aim.orchestrator.activity.TemplateActivities template = ActivityStubs.template();

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
}
