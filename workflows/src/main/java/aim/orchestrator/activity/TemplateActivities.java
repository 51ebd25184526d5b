package aim.orchestrator.activity;

import aim.orchestrator.workflow.ResourceRef;
import io.temporal.activity.ActivityInterface;

/** AIMServiceTemplate / AIMClusterServiceTemplate stages. */
@ActivityInterface(namePrefix = "Template")
public interface TemplateActivities {
  /** The template's model: component {@code Model} / {@code ClusterModel}. */
  StageResult model(ResourceRef template);

  /** GPU availability from node labels: component {@code GPU}, absent when no GPU is needed. */
  StageResult gpu(ResourceRef template);

  /** Profile and model sources (inline sources, or discovery): fields profile, modelSources, resolvedHardware. */
  StageResult discovery(ResourceRef template);

  /**
   * Template-level caching (namespaced templates with {@code caching.enabled}, once their model sources are known):
   * the AIMTemplateCache named like the template and owned by it (spec §3.4). Reports no component, as the
   * reference does: the cache has its own status.
   */
  StageResult ensureCache(ResourceRef template);
}
