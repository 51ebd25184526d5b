package aim.orchestrator.activity;

/**
 * Whether a service's InferenceService exists (owned by the service's UID) and serves: what ServiceWorkflow needs to
 * decide whether a failed deployment is terminal (docs/deletion.md).
 *
 * @param name the InferenceService's name, or null when the service's name cannot make one
 * @param exists an InferenceService of that name exists and is owned by the service
 * @param ready it reports {@code Ready=True}
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record InferenceServiceState(String name, boolean exists, boolean ready) {}
