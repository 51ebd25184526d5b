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
}
