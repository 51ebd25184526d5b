package aim.orchestrator.workflow.cache;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import io.temporal.workflow.Workflow;

/** See {@link TemplateCacheWorkflow}. */
public class TemplateCacheWorkflowImpl extends ReconcilingWorkflow implements TemplateCacheWorkflow {
  private final aim.orchestrator.activity.CacheActivities cache = ActivityStubs.cache();

  @Override
  public void run(ResourceRef resource) {
    runLoop(resource);
  }

  @Override
  protected void reconcile(Observation observation) {
    if (!stage("RuntimeConfig", () -> resources.runtimeConfig(ref))) {
      return;
    }
    if (!stage("ServiceTemplate", () -> cache.cacheTemplate(ref))) {
      return;
    }
    if (!stage("Artifacts", () -> cache.cacheArtifacts(ref))) {
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
