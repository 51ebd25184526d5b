package aim.orchestrator.activities.kube;

/**
 * How objects are written. A real API server gets server-side apply (field manager {@code aim-orchestrator}, no
 * force, as the reference). The dev/test API (fabric8's mock) has no server-side apply, so it gets create, or a
 * JSON merge patch of what we own when the object exists.
 */
public enum ApplyMode {
  SERVER_SIDE,
  CREATE_OR_MERGE_PATCH
}
