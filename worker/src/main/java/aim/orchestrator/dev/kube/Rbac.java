package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Kubernetes RBAC evaluated over the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings
 * stored in the dev API: the answer of a SubjectAccessReview. Subjects match by User name, Group
 * (of the reviewed user) and ServiceAccount ({@code system:serviceaccount:<ns>:<name>}); rules by
 * verbs, apiGroups, resources ({@code resource/subresource}, {@code *}, {@code *}{@code
 * /subresource}), resourceNames and, from ClusterRoles bound cluster-wide, nonResourceURLs (exact
 * or ending in {@code *}). ClusterRoles with an {@code aggregationRule} collect the rules of the
 * ClusterRoles matching its {@code matchLabels}. Members of {@code system:masters} may do anything.
 */
final class Rbac {

  static final String RBAC_PATH = "/apis/rbac.authorization.k8s.io/v1";
  static final String MASTERS = "system:masters";

  /** What is asked: either resource attributes or a non-resource path. */
  record Request(
      String user,
      List<String> groups,
      String verb,
      String namespace,
      String apiGroup,
      String resource,
      String subresource,
      String name,
      String nonResourcePath) {}

  /** The answer: allowed or not, with kube-apiserver's style of reason. */
  record Decision(boolean allowed, String reason) {}

  /** Lists stored objects by collection path ({@code items} of the list). */
  private final Function<String, List<JsonNode>> lister;

  Rbac(Function<String, List<JsonNode>> lister) {
    this.lister = lister;
  }

  Decision authorize(Request request) {
    if (request.groups().contains(MASTERS)) {
      return new Decision(true, "[dev-api] " + MASTERS + " may do anything");
    }
    for (JsonNode binding : lister.apply(RBAC_PATH + "/clusterrolebindings")) {
      Optional<String> subject = matchingSubject(binding, request, null);
      if (subject.isEmpty()
          || !"ClusterRole".equals(binding.path("roleRef").path("kind").asText())) {
        continue;
      }
      String role = binding.path("roleRef").path("name").asText();
      if (allows(clusterRoleRules(role), request, true)) {
        return new Decision(
            true,
            "RBAC: allowed by ClusterRoleBinding \""
                + binding.path("metadata").path("name").asText()
                + "\" of ClusterRole \""
                + role
                + "\" to "
                + subject.get());
      }
    }
    if (request.namespace() != null && !request.namespace().isEmpty()) {
      String ns = request.namespace();
      for (JsonNode binding : lister.apply(RBAC_PATH + "/namespaces/" + ns + "/rolebindings")) {
        Optional<String> subject = matchingSubject(binding, request, ns);
        if (subject.isEmpty()) {
          continue;
        }
        String kind = binding.path("roleRef").path("kind").asText();
        String role = binding.path("roleRef").path("name").asText();
        List<JsonNode> rules =
            kind.equals("ClusterRole")
                ? clusterRoleRules(role)
                : rules(fetch(RBAC_PATH + "/namespaces/" + ns + "/roles", role));
        if (allows(rules, request, false)) {
          return new Decision(
              true,
              "RBAC: allowed by RoleBinding \""
                  + binding.path("metadata").path("name").asText()
                  + "/"
                  + ns
                  + "\" of "
                  + kind
                  + " \""
                  + role
                  + "\" to "
                  + subject.get());
        }
      }
    }
    return new Decision(false, "");
  }

  private JsonNode fetch(String collection, String name) {
    for (JsonNode item : lister.apply(collection)) {
      if (item.path("metadata").path("name").asText().equals(name)) {
        return item;
      }
    }
    return null;
  }

  private List<JsonNode> clusterRoleRules(String name) {
    JsonNode role = fetch(RBAC_PATH + "/clusterroles", name);
    if (role == null) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>(rules(role));
    for (JsonNode selector : role.path("aggregationRule").path("clusterRoleSelectors")) {
      for (JsonNode other : lister.apply(RBAC_PATH + "/clusterroles")) {
        if (other != role && labelsMatch(other, selector.path("matchLabels"))) {
          out.addAll(rules(other));
        }
      }
    }
    return out;
  }

  private static boolean labelsMatch(JsonNode object, JsonNode matchLabels) {
    if (!matchLabels.isObject() || matchLabels.isEmpty()) {
      return false;
    }
    JsonNode labels = object.path("metadata").path("labels");
    for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
      if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  private static List<JsonNode> rules(JsonNode role) {
    List<JsonNode> out = new ArrayList<>();
    if (role != null) {
      role.path("rules").forEach(out::add);
    }
    return out;
  }

  /** The subject of the binding that the request's user is, printed like kube-apiserver does. */
  private static Optional<String> matchingSubject(
      JsonNode binding, Request request, String bindingNamespace) {
    for (JsonNode subject : binding.path("subjects")) {
      String kind = subject.path("kind").asText();
      String name = subject.path("name").asText();
      switch (kind) {
        case "User":
          if (name.equals(request.user())) {
            return Optional.of("User \"" + name + "\"");
          }
          break;
        case "Group":
          if (request.groups().contains(name)) {
            return Optional.of("Group \"" + name + "\"");
          }
          break;
        case "ServiceAccount":
          String ns =
              subject.path("namespace").asText(bindingNamespace == null ? "" : bindingNamespace);
          if (("system:serviceaccount:" + ns + ":" + name).equals(request.user())) {
            return Optional.of("ServiceAccount \"" + name + "/" + ns + "\"");
          }
          break;
        default:
          break;
      }
    }
    return Optional.empty();
  }

  private static boolean allows(List<JsonNode> rules, Request request, boolean clusterWide) {
    for (JsonNode rule : rules) {
      if (!contains(rule.path("verbs"), request.verb())) {
        continue;
      }
      if (request.nonResourcePath() != null) {
        if (clusterWide
            && nonResourceMatches(rule.path("nonResourceURLs"), request.nonResourcePath())) {
          return true;
        }
        continue;
      }
      if (!contains(rule.path("apiGroups"), request.apiGroup())) {
        continue;
      }
      if (!resourceMatches(rule.path("resources"), request.resource(), request.subresource())) {
        continue;
      }
      JsonNode names = rule.path("resourceNames");
      if (names.isArray() && !names.isEmpty()) {
        if (request.name() == null
            || request.name().isEmpty()
            || !contains(names, request.name())) {
          continue;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean contains(JsonNode values, String value) {
    String v = value == null ? "" : value;
    for (JsonNode n : values) {
      if (n.asText().equals("*") || n.asText().equals(v)) {
        return true;
      }
    }
    return false;
  }

  private static boolean resourceMatches(JsonNode resources, String resource, String subresource) {
    String wanted =
        subresource == null || subresource.isEmpty() ? resource : resource + "/" + subresource;
    for (JsonNode n : resources) {
      String r = n.asText();
      if (r.equals("*") || r.equals(wanted)) {
        return true;
      }
      if (subresource != null && !subresource.isEmpty() && r.equals("*/" + subresource)) {
        return true;
      }
    }
    return false;
  }

  private static boolean nonResourceMatches(JsonNode urls, String path) {
    for (JsonNode n : urls) {
      String u = n.asText();
      if (u.equals("*") || u.equals(path)) {
        return true;
      }
      if (u.endsWith("*") && path.startsWith(u.substring(0, u.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
