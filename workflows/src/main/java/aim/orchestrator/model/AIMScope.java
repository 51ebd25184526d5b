package aim.orchestrator.model;

/** Where a referenced resource lives. */
public enum AIMScope {
  Namespace,
  Cluster,
  Merged,
  Unknown
}
