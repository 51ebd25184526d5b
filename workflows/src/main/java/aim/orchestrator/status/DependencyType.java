package aim.orchestrator.status;

/** Upstream components (what a resource needs) make it Pending; downstream ones (what it makes) Progressing. */
public enum DependencyType {
  UPSTREAM,
  DOWNSTREAM
}
