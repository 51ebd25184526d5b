package aim.orchestrator.dev.kube;

import aim.orchestrator.dev.kube.ResourceType.Subresource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The built-in kinds the dev API advertises in discovery. The CRUD store accepts any path; this
 * table only exists so that kubectl (which maps kinds and short names through discovery) and
 * fabric8's generic clients see the same resources a real cluster offers for what the orchestrator
 * and the cluster simulator touch.
 */
final class BuiltinResources {

  /** Groups kube-apiserver serves that are not CRD-backed, with their preferred version first. */
  static final List<List<String>> GROUP_VERSIONS =
      List.of(
          List.of("apps", "v1"),
          List.of("batch", "v1"),
          List.of("autoscaling", "v2", "v1"),
          List.of("coordination.k8s.io", "v1"),
          List.of("authentication.k8s.io", "v1"),
          List.of("authorization.k8s.io", "v1"),
          List.of("events.k8s.io", "v1"),
          List.of("rbac.authorization.k8s.io", "v1"),
          List.of("storage.k8s.io", "v1"),
          List.of("networking.k8s.io", "v1"),
          List.of("policy", "v1"),
          List.of("apiextensions.k8s.io", "v1"));

  static final List<ResourceType> ALL = build();

  private BuiltinResources() {}

  private static List<ResourceType> build() {
    List<ResourceType> out = new ArrayList<>();
    // core/v1
    out.add(
        res(
            "",
            "v1",
            "namespaces",
            "Namespace",
            false,
            List.of("create", "delete", "get", "list", "patch", "update", "watch"),
            names("ns"),
            names(),
            "status",
            "finalize"));
    out.add(
        res(
            "",
            "v1",
            "nodes",
            "Node",
            false,
            ResourceType.ALL_VERBS,
            names("no"),
            names(),
            "status"));
    out.add(
        withLog(
            res(
                "",
                "v1",
                "pods",
                "Pod",
                true,
                ResourceType.ALL_VERBS,
                names("po"),
                names("all"),
                "status")));
    out.add(
        res(
            "",
            "v1",
            "services",
            "Service",
            true,
            ResourceType.ALL_VERBS,
            names("svc"),
            names("all"),
            "status"));
    out.add(
        res(
            "",
            "v1",
            "endpoints",
            "Endpoints",
            true,
            ResourceType.ALL_VERBS,
            names("ep"),
            names()));
    out.add(
        res(
            "",
            "v1",
            "configmaps",
            "ConfigMap",
            true,
            ResourceType.ALL_VERBS,
            names("cm"),
            names()));
    out.add(res("", "v1", "secrets", "Secret", true, ResourceType.ALL_VERBS, names(), names()));
    out.add(res("", "v1", "events", "Event", true, ResourceType.ALL_VERBS, names("ev"), names()));
    out.add(
        res(
            "",
            "v1",
            "persistentvolumeclaims",
            "PersistentVolumeClaim",
            true,
            ResourceType.ALL_VERBS,
            names("pvc"),
            names(),
            "status"));
    out.add(
        res(
            "",
            "v1",
            "persistentvolumes",
            "PersistentVolume",
            false,
            ResourceType.ALL_VERBS,
            names("pv"),
            names(),
            "status"));
    out.add(
        res(
            "",
            "v1",
            "serviceaccounts",
            "ServiceAccount",
            true,
            ResourceType.ALL_VERBS,
            names("sa"),
            names()));
    // apps/v1
    out.add(
        withScale(
            res(
                "apps",
                "v1",
                "deployments",
                "Deployment",
                true,
                ResourceType.ALL_VERBS,
                names("deploy"),
                names("all"),
                "status")));
    out.add(
        withScale(
            res(
                "apps",
                "v1",
                "statefulsets",
                "StatefulSet",
                true,
                ResourceType.ALL_VERBS,
                names("sts"),
                names("all"),
                "status")));
    out.add(
        withScale(
            res(
                "apps",
                "v1",
                "replicasets",
                "ReplicaSet",
                true,
                ResourceType.ALL_VERBS,
                names("rs"),
                names("all"),
                "status")));
    out.add(
        res(
            "apps",
            "v1",
            "daemonsets",
            "DaemonSet",
            true,
            ResourceType.ALL_VERBS,
            names("ds"),
            names("all"),
            "status"));
    // batch/v1
    out.add(
        res(
            "batch",
            "v1",
            "jobs",
            "Job",
            true,
            ResourceType.ALL_VERBS,
            names(),
            names("all"),
            "status"));
    out.add(
        res(
            "batch",
            "v1",
            "cronjobs",
            "CronJob",
            true,
            ResourceType.ALL_VERBS,
            names("cj"),
            names("all"),
            "status"));
    // autoscaling
    out.add(
        res(
            "autoscaling",
            "v2",
            "horizontalpodautoscalers",
            "HorizontalPodAutoscaler",
            true,
            ResourceType.ALL_VERBS,
            names("hpa"),
            names("all"),
            "status"));
    out.add(
        res(
            "autoscaling",
            "v1",
            "horizontalpodautoscalers",
            "HorizontalPodAutoscaler",
            true,
            ResourceType.ALL_VERBS,
            names("hpa"),
            names("all"),
            "status"));
    // others
    out.add(
        res(
            "coordination.k8s.io",
            "v1",
            "leases",
            "Lease",
            true,
            ResourceType.ALL_VERBS,
            names(),
            names()));
    out.add(
        res(
            "events.k8s.io",
            "v1",
            "events",
            "Event",
            true,
            ResourceType.ALL_VERBS,
            names("ev"),
            names()));
    out.add(
        res(
            "rbac.authorization.k8s.io",
            "v1",
            "roles",
            "Role",
            true,
            ResourceType.ALL_VERBS,
            names(),
            names()));
    out.add(
        res(
            "rbac.authorization.k8s.io",
            "v1",
            "rolebindings",
            "RoleBinding",
            true,
            ResourceType.ALL_VERBS,
            names(),
            names()));
    out.add(
        res(
            "rbac.authorization.k8s.io",
            "v1",
            "clusterroles",
            "ClusterRole",
            false,
            ResourceType.ALL_VERBS,
            names(),
            names()));
    out.add(
        res(
            "rbac.authorization.k8s.io",
            "v1",
            "clusterrolebindings",
            "ClusterRoleBinding",
            false,
            ResourceType.ALL_VERBS,
            names(),
            names()));
    out.add(
        res(
            "storage.k8s.io",
            "v1",
            "storageclasses",
            "StorageClass",
            false,
            ResourceType.ALL_VERBS,
            names("sc"),
            names()));
    out.add(
        res(
            "networking.k8s.io",
            "v1",
            "ingresses",
            "Ingress",
            true,
            ResourceType.ALL_VERBS,
            names("ing"),
            names(),
            "status"));
    out.add(
        res(
            "policy",
            "v1",
            "poddisruptionbudgets",
            "PodDisruptionBudget",
            true,
            ResourceType.ALL_VERBS,
            names("pdb"),
            names(),
            "status"));
    out.add(
        res(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "CustomResourceDefinition",
            false,
            ResourceType.ALL_VERBS,
            names("crd", "crds"),
            names("api-extensions"),
            "status"));
    // reviews: answered, never stored
    List<String> create = List.of("create");
    out.add(
        res(
            "authentication.k8s.io",
            "v1",
            "tokenreviews",
            "TokenReview",
            false,
            create,
            names(),
            names()));
    out.add(
        res(
            "authentication.k8s.io",
            "v1",
            "selfsubjectreviews",
            "SelfSubjectReview",
            false,
            create,
            names(),
            names()));
    out.add(
        res(
            "authorization.k8s.io",
            "v1",
            "subjectaccessreviews",
            "SubjectAccessReview",
            false,
            create,
            names(),
            names()));
    out.add(
        res(
            "authorization.k8s.io",
            "v1",
            "selfsubjectaccessreviews",
            "SelfSubjectAccessReview",
            false,
            create,
            names(),
            names()));
    out.add(
        res(
            "authorization.k8s.io",
            "v1",
            "localsubjectaccessreviews",
            "LocalSubjectAccessReview",
            true,
            create,
            names(),
            names()));
    return List.copyOf(out);
  }

  private static List<String> names(String... names) {
    return Arrays.asList(names);
  }

  private static ResourceType res(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> verbs,
      List<String> shortNames,
      List<String> categories,
      String... statusLike) {
    List<Subresource> subs = new ArrayList<>();
    for (String s : statusLike) {
      subs.add(
          new Subresource(
              s,
              group,
              version,
              kind,
              s.equals("finalize") ? List.of("update") : ResourceType.SUB_VERBS));
    }
    return new ResourceType(
        group,
        version,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        kind,
        namespaced,
        List.copyOf(verbs),
        List.copyOf(shortNames),
        List.copyOf(categories),
        List.copyOf(subs));
  }

  private static ResourceType withScale(ResourceType t) {
    List<Subresource> subs = new ArrayList<>(t.subresources());
    subs.add(new Subresource("scale", "autoscaling", "v1", "Scale", ResourceType.SUB_VERBS));
    return copyWithSubs(t, subs);
  }

  private static ResourceType withLog(ResourceType t) {
    List<Subresource> subs = new ArrayList<>(t.subresources());
    subs.add(new Subresource("log", "", "v1", "Pod", List.of("get")));
    return copyWithSubs(t, subs);
  }

  private static ResourceType copyWithSubs(ResourceType t, List<Subresource> subs) {
    return new ResourceType(
        t.group(),
        t.version(),
        t.plural(),
        t.singular(),
        t.kind(),
        t.namespaced(),
        t.verbs(),
        t.shortNames(),
        t.categories(),
        List.copyOf(subs));
  }
}
