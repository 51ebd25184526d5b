package aim.orchestrator.dev.kube;

import java.util.List;

/**
 * One served resource as discovery describes it: built-in kinds come from {@link BuiltinResources},
 * custom kinds from the CRDs stored in the dev API.
 *
 * @param group API group, "" for the core group
 * @param version API version
 * @param plural resource name in URLs
 * @param singular singular name ("" where kube-apiserver leaves it empty)
 * @param kind object kind
 * @param namespaced whether objects live in a namespace
 * @param verbs allowed verbs
 * @param shortNames kubectl short names
 * @param categories categories such as "all"
 * @param subresources subresources ("status", "scale", "log")
 */
record ResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> verbs,
    List<String> shortNames,
    List<String> categories,
    List<Subresource> subresources) {

  /** Verbs of an ordinary resource. */
  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** Verbs of a status-like subresource. */
  static final List<String> SUB_VERBS = List.of("get", "patch", "update");

  /**
   * A subresource: {@code responseGroup/responseVersion/responseKind} name what it answers with
   * (Scale for "scale", the parent kind otherwise).
   */
  record Subresource(
      String name,
      String responseGroup,
      String responseVersion,
      String responseKind,
      List<String> verbs) {}

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
