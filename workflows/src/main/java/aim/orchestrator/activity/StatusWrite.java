package aim.orchestrator.activity;

import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.workflow.ResourceRef;
import java.util.List;
import java.util.Map;

/**
 * A status to write to a resource: the status value, conditions (timestamps are added by the writer) and
 * kind-specific fields. The writer compares with what is stored first and writes only a difference.
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record StatusWrite(
    ResourceRef ref, long observedGeneration, String status, List<ConditionSpec> conditions, Map<String, Object> fields) {}
