package aim.orchestrator.activity;

import aim.orchestrator.workflow.ResourceRef;
import io.temporal.activity.ActivityInterface;

/** AIMModel / AIMClusterModel stages. */
@ActivityInterface(namePrefix = "Model")
public interface ModelActivities {
  /** Image metadata (from the spec, when given): component {@code ImageMetadata}; fields imageMetadata, sourceType. */
  StageResult imageMetadata(ResourceRef model);

  /** The model's templates, aggregated: component {@code ServiceTemplates} / {@code ClusterServiceTemplates}. */
  StageResult templates(ResourceRef model);
}
