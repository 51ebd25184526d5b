package aim.orchestrator.model;

import java.util.Set;

/**
 * One Kubernetes API permission a component of this project needs: what RBAC must grant. The components keep their
 * lists next to the code that makes the calls ({@code RequiredPermissions} in activities and starter), and a test
 * checks the deployment's RBAC (k8s/deploy) grants exactly these.
 *
 * @param apiGroup API group ("" for the core group)
 * @param resource plural resource, with {@code /subresource} where one is used
 * @param verbs RBAC verbs
 * @param namespace null for a cluster-wide grant, else the one namespace the calls go to (a Role there)
 * @param why the calls that need it
 */
public record ApiPermission(String apiGroup, String resource, Set<String> verbs, String namespace, String why) {
  public static ApiPermission cluster(String apiGroup, String resource, Set<String> verbs, String why) {
    return new ApiPermission(apiGroup, resource, verbs, null, why);
  }
}
