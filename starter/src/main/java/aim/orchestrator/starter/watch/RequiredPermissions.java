package aim.orchestrator.starter.watch;

import static aim.orchestrator.model.ApiPermission.cluster;

import aim.orchestrator.model.ApiPermission;
import java.util.List;
import java.util.Set;

/**
 * The Kubernetes API calls of the starter (the watch bridge's informers: list and watch across namespaces), as RBAC
 * permissions. k8s/deploy's starter ClusterRole must grant exactly these (DeployManifestsTest).
 */
public final class RequiredPermissions {
  private static final Set<String> LIST_WATCH = Set.of("list", "watch");

  public static List<ApiPermission> starter() {
    List<ApiPermission> rules = new java.util.ArrayList<>();
    for (String plural :
        List.of(
            "aimservices", "aimmodels", "aimclustermodels", "aimservicetemplates", "aimclusterservicetemplates",
            "aimtemplatecaches", "aimartifacts", "aimclustermodelsources", "aimruntimeconfigs", "aimclusterruntimeconfigs")) {
      rules.add(cluster("aim.eai.amd.com", plural, LIST_WATCH, "one informer per AIM kind with a workflow, and runtime configs"));
    }
    rules.add(cluster("", "nodes", LIST_WATCH, "GPU label changes wake templates and services"));
    rules.add(cluster("", "persistentvolumeclaims", LIST_WATCH, "cache PVC changes wake their artifacts"));
    rules.add(cluster("batch", "jobs", LIST_WATCH, "download and discovery Job changes wake their owners"));
    rules.add(cluster("serving.kserve.io", "inferenceservices", LIST_WATCH, "InferenceService changes wake their service"));
    rules.add(cluster("gateway.networking.k8s.io", "httproutes", LIST_WATCH, "HTTPRoute changes wake their service"));
    return List.copyOf(rules);
  }

  private RequiredPermissions() {}
}
