package aim.orchestrator.status;

import aim.orchestrator.model.AIMStatus;
import java.util.List;

/**
 * What the status engine concluded: the root status and every condition.
 *
 * @param status root status in the framework's vocabulary (before the AIMService mapping)
 * @param conditions conditions in a stable order: framework ones, then one per component, then {@code Ready}
 * @param blocked true when an auth, invalid-spec or missing-reference error forbids writing child objects
 */
public record Evaluation(AIMStatus status, List<ConditionSpec> conditions, boolean blocked) {}
