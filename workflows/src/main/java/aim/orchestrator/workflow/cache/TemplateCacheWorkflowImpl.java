package aim.orchestrator.workflow.cache;

import aim.orchestrator.activity.CacheActivities;
import aim.orchestrator.activity.Observation;
import aim.orchestrator.model.Aim;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;
import io.temporal.workflow.Workflow;

/** See {@link TemplateCacheWorkflow}. */
public class TemplateCacheWorkflowImpl extends ReconcilingWorkflow implements TemplateCacheWorkflow {
  /**
   * Change ID: the cache carries the finalizer {@code aim.eai.amd.com/artifactcleanup}; deleting it removes its
   * artifacts that are not Ready (docs/workflows.md, change-ID log).
   */
  static final String ARTIFACT_CLEANUP = "template-cache-artifact-cleanup";

  private final CacheActivities cache = ActivityStubs.cache();

  @Override
  protected String finalizer() {
    return Workflow.getVersion(ARTIFACT_CLEANUP, Workflow.DEFAULT_VERSION, 1) >= 1 ? Aim.FINALIZER_TEMPLATE_CACHE : null;
  }

  @Override
  protected void teardown() {
    cache.cacheDeleteArtifacts(ref);
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
}
