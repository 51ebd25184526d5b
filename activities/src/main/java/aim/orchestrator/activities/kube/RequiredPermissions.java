package aim.orchestrator.activities.kube;

import static aim.orchestrator.model.ApiPermission.cluster;

import aim.orchestrator.model.ApiPermission;
import java.util.List;
import java.util.Set;

/**
 * The Kubernetes API calls of the worker's activities and of the model downloader, as RBAC permissions. Keep this in
 * step with the code: k8s/deploy's ClusterRoles must grant exactly these (DeployManifestsTest). "Apply" is server-side
 * apply (patch, and create when the object is new) or create-or-merge-patch against the dev API.
 */
public final class RequiredPermissions {
  private static final String AIM = "aim.eai.amd.com";
  private static final Set<String> GET = Set.of("get");

  /** What the worker process calls. Leases live in the operator namespace only. */
  public static List<ApiPermission> worker(String operatorNamespace) {
    return List.of(
        cluster(AIM, "aimservices", Set.of("get", "create", "patch"),
            "observe; create from a CLI input; finalizer edits"),
        cluster(AIM, "aimmodels", Set.of("get", "list", "create", "patch"),
            "observe, model resolution; create from CLI input or model.image; finalizers"),
        cluster(AIM, "aimclustermodels", Set.of("get", "list", "create", "patch"),
            "observe, model resolution; model source sync creates them; finalizers"),
        cluster(AIM, "aimservicetemplates", Set.of("get", "list", "create", "patch", "delete"),
            "observe, selection; auto-created and derived templates (apply); teardown deletes derived ones"),
        cluster(AIM, "aimclusterservicetemplates", Set.of("get", "list", "create", "patch"),
            "observe, selection; auto-created templates of cluster models (apply)"),
        cluster(AIM, "aimtemplatecaches", Set.of("get", "list", "create", "patch", "delete"),
            "observe; a service's cache (apply); teardown deletes dedicated ones"),
        cluster(AIM, "aimartifacts", Set.of("get", "list", "create", "patch", "delete"),
            "observe; a cache's artifacts (apply); the cache finalizer deletes its artifacts that are not Ready"),
        cluster(AIM, "aimclustermodelsources", Set.of("get", "create", "patch"), "observe; create from CLI input; finalizers"),
        cluster(AIM, "aimruntimeconfigs", GET, "runtime config resolution"),
        cluster(AIM, "aimclusterruntimeconfigs", GET, "runtime config resolution"),
        cluster(AIM, "aimservices/status", Set.of("update"), "status writes"),
        cluster(AIM, "aimmodels/status", Set.of("update"), "status writes"),
        cluster(AIM, "aimclustermodels/status", Set.of("update"), "status writes"),
        cluster(AIM, "aimservicetemplates/status", Set.of("update"), "status writes"),
        cluster(AIM, "aimclusterservicetemplates/status", Set.of("update"), "status writes"),
        cluster(AIM, "aimtemplatecaches/status", Set.of("update"), "status writes"),
        cluster(AIM, "aimartifacts/status", Set.of("update"), "status writes"),
        cluster(AIM, "aimclustermodelsources/status", Set.of("update"), "status writes"),
        cluster("", "secrets", GET, "image pull secrets of models and model sources; credentials size checks read"),
        cluster("", "configmaps", GET, "settings an artifact's env names by configMapKeyRef (size checks)"),
        cluster("", "namespaces", GET, "the template cache finalizer skips a terminating namespace"),
        cluster("storage.k8s.io", "storageclasses", Set.of("get", "list"), "a pending PVC's class; the default class"),
        cluster("", "nodes", Set.of("list"), "GPU inventory from node labels"),
        cluster("", "pods", Set.of("get", "list"), "predictor pods of a service; discovery, download and verify Job pods"),
        cluster("", "pods/log", GET, "the discovery Job's output; download progress lines"),
        cluster("", "persistentvolumeclaims", Set.of("get", "create"), "artifact PVCs"),
        cluster("", "events", Set.of("get", "list", "create", "update"),
            "condition transitions as Events (deduplicated); a pending PVC's Events"),
        cluster("batch", "jobs", Set.of("get", "list", "create", "delete"), "download and discovery Jobs"),
        cluster("autoscaling", "horizontalpodautoscalers", GET, "the KEDA HPA of a service (status.runtime)"),
        cluster("serving.kserve.io", "inferenceservices", Set.of("get", "create", "patch", "delete"),
            "a service's InferenceService (apply, teardown)"),
        cluster("gateway.networking.k8s.io", "httproutes", Set.of("get", "create", "patch", "delete"),
            "a service's HTTPRoute (apply, teardown)"),
        new ApiPermission("coordination.k8s.io", "leases", Set.of("get", "create", "update"), operatorNamespace,
            "the installation-wide discovery slots"));
  }

  /**
   * What a download Job's downloader calls ({@code ArtifactStatusReporter}): progress on its artifact's status. It
   * runs as the Job's service account in the artifact's namespace.
   */
  public static List<ApiPermission> downloader() {
    return List.of(cluster(AIM, "aimartifacts/status", Set.of("patch"), "download progress"));
  }

  private RequiredPermissions() {}
}
