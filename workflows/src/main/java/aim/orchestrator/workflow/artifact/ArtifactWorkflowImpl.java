package aim.orchestrator.workflow.artifact;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;

/** See {@link ArtifactWorkflow}. */
public class ArtifactWorkflowImpl extends ReconcilingWorkflow implements ArtifactWorkflow {
  private final aim.orchestrator.activity.CacheActivities cache = ActivityStubs.cache();

  @Override
  protected void reconcile(Observation observation) {
    if (!stage("RuntimeConfig", () -> resources.runtimeConfig(ref))) {
      return;
    }
    if (!stage("CachePvc", () -> cache.artifactStorage(ref))) {
      return;
    }
    if (!stage("DownloadJob", () -> cache.artifactDownload(ref))) {
      return;
    }
    done();
  }
}
