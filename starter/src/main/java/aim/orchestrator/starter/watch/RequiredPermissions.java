package aim.orchestrator.starter.watch;

import static aim.orchestrator.model.ApiPermission.cluster;

import aim.orchestrator.model.ApiPermission;
import java.util.List;
import java.util.Set;

/**
 * The Kubernetes API calls of the starter (the watch bridge's informers: list and watch across namespaces; the REST
 * API's reads, writes and reviews), as RBAC permissions. k8s/deploy's starter ClusterRole must grant exactly these (DeployManifestsTest).
 */
public final class RequiredPermissions {
  private static final Set<String> LIST_WATCH = Set.of("list", "watch");

  /** The REST API's reads and writes of AIM resources (what callers may do is checked per request by SAR). */
  private static final Set<String> API_CRUD = Set.of("get", "list", "watch", "create", "patch", "delete");

  public static List<ApiPermission> starter() {
    List<ApiPermission> rules = new java.util.ArrayList<>();
    for (String plural :
        List.of(
            "aimservices", "aimmodels", "aimclustermodels", "aimservicetemplates", "aimclusterservicetemplates",
            "aimtemplatecaches", "aimartifacts", "aimclustermodelsources", "aimruntimeconfigs", "aimclusterruntimeconfigs")) {
      rules.add(cluster("aim.eai.amd.com", plural, API_CRUD,
          "informers per AIM kind (list, watch); the REST API's get, create, merge patch and delete, and action annotations"));
    }
    for (String status : List.of("aimservicetemplates/status", "aimclusterservicetemplates/status", "aimartifacts/status")) {
      rules.add(cluster("aim.eai.amd.com", status, Set.of("patch"), "REST actions: re-run discovery, re-verify a cache, retry an artifact"));
    }
    rules.add(cluster("", "nodes", LIST_WATCH, "GPU label changes wake templates and services"));
    rules.add(cluster("", "persistentvolumeclaims", LIST_WATCH, "cache PVC changes wake their artifacts"));
    rules.add(cluster("batch", "jobs", Set.of("list", "watch", "delete"),
        "download and discovery Job changes wake their owners; REST actions delete discovery and download Jobs"));
    rules.add(cluster("serving.kserve.io", "inferenceservices", LIST_WATCH, "InferenceService changes wake their service"));
    rules.add(cluster("gateway.networking.k8s.io", "httproutes", LIST_WATCH, "HTTPRoute changes wake their service"));
    rules.add(cluster("authentication.k8s.io", "tokenreviews", Set.of("create"), "REST API: who the bearer token belongs to"));
    rules.add(cluster("authorization.k8s.io", "subjectaccessreviews", Set.of("create"), "REST API: may the caller do this"));
    return List.copyOf(rules);
  }

  private RequiredPermissions() {}
}
