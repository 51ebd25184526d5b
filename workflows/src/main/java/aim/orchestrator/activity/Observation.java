package aim.orchestrator.activity;

/**
 * What a workflow needs to know about its resource before a pass.
 *
 * @param exists false when the object is gone
 * @param uid current UID (a different one means the object was deleted and re-created)
 * @param generation {@code metadata.generation}
 * @param deleting {@code metadata.deletionTimestamp} is set
 * @param paused the {@code aim.eai.amd.com/reconciliation-paused: "true"} annotation is set
 * @param finalizers the finalizers the object carries now
 * @param compensatedGeneration the generation whose deployment failed terminally and was compensated: the
 *     {@code observedGeneration} of a {@code Compensated=True} condition in the object's status, or null. Kept on
 *     the object so that the decision survives continue-as-new and new runs (docs/deletion.md)
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record Observation(
    boolean exists,
    String uid,
    long generation,
    boolean deleting,
    boolean paused,
    java.util.List<String> finalizers,
    Long compensatedGeneration) {

  /** An observation without a compensated generation. */
  public Observation(
      boolean exists, String uid, long generation, boolean deleting, boolean paused, java.util.List<String> finalizers) {
    this(exists, uid, generation, deleting, paused, finalizers, null);
  }

  public static Observation gone() {
    return new Observation(false, null, 0, false, false, java.util.List.of());
  }

  public boolean hasFinalizer(String finalizer) {
    return finalizers != null && finalizers.contains(finalizer);
  }

  /** True when the deployment of the current generation failed terminally and was compensated. */
  public boolean compensated() {
    return exists && compensatedGeneration != null && compensatedGeneration == generation;
  }
}
