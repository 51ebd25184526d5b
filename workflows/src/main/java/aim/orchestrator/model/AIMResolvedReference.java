package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A reference to the resource a field resolved to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMResolvedReference {
  public String name;
  public String namespace;
  public AIMScope scope;
  public String kind;
  public String uid;

  public AIMResolvedReference() {}

  public AIMResolvedReference(String name, String namespace, AIMScope scope, String kind, String uid) {
    this.name = name;
    this.namespace = namespace;
    this.scope = scope;
    this.kind = kind;
    this.uid = uid;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AIMResolvedReference r
        && java.util.Objects.equals(name, r.name)
        && java.util.Objects.equals(namespace, r.namespace)
        && scope == r.scope
        && java.util.Objects.equals(kind, r.kind)
        && java.util.Objects.equals(uid, r.uid);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, namespace, scope, kind, uid);
  }

  @Override
  public String toString() {
    return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
  }
}
