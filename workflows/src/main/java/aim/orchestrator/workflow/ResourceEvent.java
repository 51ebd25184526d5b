package aim.orchestrator.workflow;

/**
 * A wake-up sent by the watch bridge when a resource is created, its spec changes (a new generation) or it is
 * being deleted. Workflows treat it as a hint and re-read the object: state lives in Kubernetes, so duplicate or
 * reordered events are harmless.
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceEvent(String uid, long generation, boolean deleting) {}
