package aim.orchestrator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import java.util.List;

/** Every AIM kind, in one place, so CRD generation, the watch bridge and the dev API agree. */
public final class AimKinds {
  public static final List<Class<? extends HasMetadata>> ALL =
      List.of(
          AIMService.class,
          AIMModel.class,
          AIMClusterModel.class,
          AIMServiceTemplate.class,
          AIMClusterServiceTemplate.class,
          AIMTemplateCache.class,
          AIMArtifact.class,
          AIMRuntimeConfig.class,
          AIMClusterRuntimeConfig.class,
          AIMClusterModelSource.class);

  public static boolean namespaced(Class<? extends HasMetadata> kind) {
    return Namespaced.class.isAssignableFrom(kind);
  }

  public static Class<? extends HasMetadata> byKind(String kind) {
    for (Class<? extends HasMetadata> k : ALL) {
      if (HasMetadata.getKind(k).equals(kind)) {
        return k;
      }
    }
    throw new IllegalArgumentException("not an AIM kind: " + kind);
  }

  private AimKinds() {}
}
