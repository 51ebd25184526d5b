package aim.orchestrator.workflow;

/**
 * Names one AIM resource. Workflow inputs carry this reference, never the resource's spec (which may hold secrets
 * users typed inline) — activities read the object themselves.
 *
 * @param kind AIM kind, e.g. {@code AIMService}
 * @param namespace namespace, or null for cluster-scoped kinds
 * @param name object name
 * @param uid the object's UID; null lets the workflow adopt the UID it finds (a start from the Temporal CLI)
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceRef(String kind, String namespace, String name, String uid) {
  public ResourceRef withUid(String newUid) {
    return new ResourceRef(kind, namespace, name, newUid);
  }

  public boolean clusterScoped() {
    return namespace == null || namespace.isEmpty();
  }

  @Override
  public String toString() {
    return WorkflowIds.of(this) + (uid == null ? "" : "@" + uid);
  }
}
