package aim.orchestrator.activity;

import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.status.ComponentHealth;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one lifecycle stage: the health of the components it looked at, the status fields it decided,
 * and what the next stage needs. Small by design: it goes into the workflow history.
 *
 * @param components health of each component the stage covers
 * @param statusFields top-level status fields to write (e.g. {@code resolvedModel}); values are JSON-like
 * @param resolved the object this stage resolved (model, template, cache), or null
 * @param output a name the next stage needs (e.g. the InferenceService name), or null
 * @param conditions extra conditions the stage sets besides its components' {@code <Component>Ready} ones
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record StageResult(
    List<ComponentHealth> components,
    Map<String, Object> statusFields,
    AIMResolvedReference resolved,
    String output,
    List<aim.orchestrator.status.ConditionSpec> conditions) {

  /** A result without extra conditions. */
  public StageResult(
      List<ComponentHealth> components, Map<String, Object> statusFields, AIMResolvedReference resolved, String output) {
    this(components, statusFields, resolved, output, List.of());
  }

  /** The same result with extra conditions beyond the {@code <Component>Ready} ones (e.g. {@code Discovered}). */
  public StageResult withConditions(aim.orchestrator.status.ConditionSpec... extra) {
    return new StageResult(components, statusFields, resolved, output, List.of(extra));
  }

  public static StageResult of(ComponentHealth... components) {
    return new StageResult(List.of(components), Map.of(), null, null);
  }

  public static StageResult none() {
    return new StageResult(List.of(), Map.of(), null, null);
  }

  /** The same result with these status fields. */
  public StageResult withFields(Map<String, Object> fields) {
    return new StageResult(components, fields, resolved, output, conditions);
  }

  public boolean ready() {
    for (ComponentHealth c : components) {
      if (!c.isReady()) {
        return false;
      }
    }
    return true;
  }
}
