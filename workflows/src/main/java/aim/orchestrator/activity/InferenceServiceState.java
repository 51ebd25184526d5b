package aim.orchestrator.activity;

/**
 * Whether a service's InferenceService exists (owned by the service's UID) and serves: what ServiceWorkflow needs to
 * decide whether a failed deployment is terminal (docs/deletion.md).
 *
 * @param name the InferenceService's name, or null when the service's name cannot make one
 * @param exists an InferenceService of that name exists and is owned by the service
 * @param ready it reports {@code Ready=True}
 * @param rejected KServe refused it ({@code ServerlessModeRejected}): it will never serve as it is. Absent (false) in
 *     results recorded before change {@code compensate-rejected-only}
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record InferenceServiceState(String name, boolean exists, boolean ready, boolean rejected) {
  public InferenceServiceState(String name, boolean exists, boolean ready) {
    this(name, exists, ready, false);
  }
}
