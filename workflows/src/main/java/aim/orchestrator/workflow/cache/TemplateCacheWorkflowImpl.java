package aim.orchestrator.workflow.cache;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;

/** See {@link TemplateCacheWorkflow}. */
public class TemplateCacheWorkflowImpl extends ReconcilingWorkflow implements TemplateCacheWorkflow {
  private final aim.orchestrator.activity.CacheActivities cache = ActivityStubs.cache();

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
}
