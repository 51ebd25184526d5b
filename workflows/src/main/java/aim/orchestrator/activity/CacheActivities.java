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

  /** Size and PVC of an artifact: component {@code CachePvc}. */
  StageResult artifactStorage(ResourceRef artifact);

  /** The download Job of an artifact: components {@code DownloadJob}; fields progress, download. */
  StageResult artifactDownload(ResourceRef artifact);
}
