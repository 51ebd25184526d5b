package aim.orchestrator.activity;

import aim.orchestrator.workflow.ResourceRef;
import io.temporal.activity.ActivityInterface;

/** AIMTemplateCache and AIMArtifact stages. */
@ActivityInterface(namePrefix = "Cache")
public interface CacheActivities {
  /** The cache's template: component {@code ServiceTemplate}. */
  StageResult cacheTemplate(ResourceRef cache);

  /** One artifact per model source, found or created: component {@code Artifacts}; field artifacts. */
  StageResult cacheArtifacts(ResourceRef cache);

  /**
   * Teardown of a deleted template cache (finalizer {@code aim.eai.amd.com/artifactcleanup}): deletes the artifacts
   * labelled with the cache's name that are not Ready. Does nothing while the namespace is being deleted, so the
   * finalizer never holds a namespace back.
   */
  void cacheDeleteArtifacts(ResourceRef cache);

  /**
   * Size and PVC of an artifact: component {@code CachePvc}. The PVC is created when missing (also after a deletion by
   * hand), its hand-edited labels and owner reference are put back, and its size is never changed.
   */
  StageResult artifactStorage(ResourceRef artifact);

  /**
   * The download Job of an artifact (runs of the workflow before change {@code artifact-download-attempts} only):
   * components {@code DownloadJob}; fields progress, download.
   */
  StageResult artifactDownload(ResourceRef artifact);

  /**
   * Starts or inspects the artifact's download Job without waiting for it: components {@code DownloadJob} and
   * {@code DownloadJobPods}, condition {@code DownloadComplete}. The output names the Job when it runs (then
   * {@link TransferActivities#awaitDownload} follows it); null when there is nothing to wait for — verified, or
   * failed and not to be retried yet. A Job that wrote into an earlier PVC (deleted by hand since) does not count:
   * it is replaced and the artifact downloads again.
   */
  StageResult artifactStartDownload(ResourceRef artifact);
}
