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
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record Observation(
    boolean exists, String uid, long generation, boolean deleting, boolean paused, java.util.List<String> finalizers) {
  public static Observation gone() {
    return new Observation(false, null, 0, false, false, java.util.List.of());
  }

  public boolean hasFinalizer(String finalizer) {
    return finalizers != null && finalizers.contains(finalizer);
  }
}
