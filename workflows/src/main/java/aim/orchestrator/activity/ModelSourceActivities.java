package aim.orchestrator.activity;

import aim.orchestrator.workflow.ResourceRef;
import io.temporal.activity.ActivityInterface;

/** AIMClusterModelSource stages. */
@ActivityInterface(namePrefix = "ModelSource")
public interface ModelSourceActivities {
  /**
   * Syncs a model source once: lists the registry per filter, creates the AIMClusterModels that do not exist yet
   * (append-only: existing ones are never changed or deleted) up to {@code maxModels}, and reports components
   * {@code ExistingModels} and {@code Filters}, condition {@code MaxModelsLimitReached} and status fields
   * {@code lastSyncTime}, {@code discoveredModels}, {@code availableModels}, {@code modelsLimitReached}. Registry
   * errors are reported per filter, not thrown; an invalid {@code syncInterval} is an invalid spec.
   */
  ModelSourceSync sync(ResourceRef source);
}
