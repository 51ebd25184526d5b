package aim.orchestrator.workflow;

import aim.orchestrator.status.ComponentHealth;
import java.util.List;

/**
 * The {@code status} query answer of every resource workflow: what the workflow last concluded.
 *
 * @param ref the resource
 * @param status the status value written to the resource
 * @param components the health of each component
 * @param observedGeneration generation the status describes
 * @param phase what the workflow is doing: {@code reconciling}, {@code waiting}, {@code paused}, {@code deleting}
 * @param passes reconcile passes in this run
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceView(
    ResourceRef ref,
    String status,
    List<ComponentHealth> components,
    long observedGeneration,
    String phase,
    int passes) {}
