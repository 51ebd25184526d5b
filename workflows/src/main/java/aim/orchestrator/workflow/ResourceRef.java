package aim.orchestrator.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Names one AIM resource. Workflow inputs carry this reference, never the resource's spec (which may hold secrets
 * users typed inline) — activities read the object themselves.
 *
 * <p>One exception, for starts from the Temporal CLI or Web UI (docs/temporal-cli.md): the input may carry a
 * {@code spec} (and {@code labels}) for a resource that does not exist yet. The workflow then creates the resource
 * first and drops both fields before anything else sees the reference, so they appear only in the start event.
 *
 * @param kind AIM kind, e.g. {@code AIMService}
 * @param namespace namespace, or null for cluster-scoped kinds
 * @param name object name
 * @param uid the object's UID; null lets the workflow adopt the UID it finds (a start from the Temporal CLI)
 * @param spec optional: the spec to create the object with when it does not exist (CLI starts only)
 * @param labels optional: labels for an object created from {@code spec}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceRef(
    String kind,
    String namespace,
    String name,
    String uid,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> spec,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> labels) {

  /** A plain reference (no spec), as the watch bridge and every workflow-to-activity payload carry it. */
  public ResourceRef(String kind, String namespace, String name, String uid) {
    this(kind, namespace, name, uid, null, null);
  }

  public ResourceRef withUid(String newUid) {
    return new ResourceRef(kind, namespace, name, newUid, spec, labels);
  }

  /** The reference without the optional creation fields. */
  public ResourceRef withoutSpec() {
    return new ResourceRef(kind, namespace, name, uid);
  }

  /** True when the reference carries a spec to create the object from. */
  public boolean hasSpec() {
    return spec != null;
  }

  public boolean clusterScoped() {
    return namespace == null || namespace.isEmpty();
  }

  @Override
  public String toString() {
    return WorkflowIds.of(this) + (uid == null ? "" : "@" + uid);
  }
}
