package aim.orchestrator.activities.kube;

import aim.orchestrator.config.RuntimeConfigMerge;
import aim.orchestrator.model.AIMClusterRuntimeConfig;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMRuntimeConfig;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.Aim;

/** Reads the runtime config a resource names: the namespace config merged over the cluster config. */
public final class RuntimeConfigs {
  private final Kube kube;

  public RuntimeConfigs(Kube kube) {
    this.kube = kube;
  }

  /**
   * The outcome of a lookup.
   *
   * @param name the name looked up
   * @param merged the merged config (empty when neither exists)
   * @param found whether at least one of the two exists
   * @param reference what was resolved, for status
   */
  public record Resolved(String name, AIMRuntimeConfigCommon merged, boolean found, AIMResolvedReference reference) {
    /** A missing config is fine only when it is the default one. */
    public boolean missingButRequired() {
      return !found && !Aim.DEFAULT_RUNTIME_CONFIG.equals(name);
    }
  }

  public Resolved resolve(String requestedName, String namespace) {
    String name = requestedName == null || requestedName.isEmpty() ? Aim.DEFAULT_RUNTIME_CONFIG : requestedName;
    AIMRuntimeConfig ns =
        namespace == null || namespace.isEmpty()
            ? null
            : kube.aim(AIMRuntimeConfig.class).inNamespace(namespace).withName(name).get();
    AIMClusterRuntimeConfig cluster = kube.aim(AIMClusterRuntimeConfig.class).withName(name).get();
    AIMRuntimeConfigCommon merged =
        RuntimeConfigMerge.merge(cluster == null ? null : cluster.getSpec(), ns == null ? null : ns.getSpec());
    AIMResolvedReference ref = null;
    if (ns != null || cluster != null) {
      AIMScope scope = ns != null && cluster != null ? AIMScope.Merged : ns != null ? AIMScope.Namespace : AIMScope.Cluster;
      ref =
          new AIMResolvedReference(
              name,
              ns != null ? namespace : null,
              scope,
              ns != null ? "AIMRuntimeConfig" : "AIMClusterRuntimeConfig",
              ns != null ? ns.getMetadata().getUid() : cluster.getMetadata().getUid());
    }
    return new Resolved(name, merged, ns != null || cluster != null, ref);
  }
}
