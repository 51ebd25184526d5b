package aim.orchestrator.starter.api;

import aim.orchestrator.model.Aim;
import aim.orchestrator.model.AimKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Optional;

/**
 * An AIM kind as the REST API addresses it: by its plural ({@code aimservices}), namespaced or cluster-scoped.
 *
 * @param kind the kind, e.g. {@code AIMService}
 * @param plural the resource name in URLs and RBAC rules, e.g. {@code aimservices}
 * @param namespaced whether objects live in a namespace
 * @param type the model class
 */
public record AimResourceType(String kind, String plural, boolean namespaced, Class<? extends HasMetadata> type) {
  public static final List<AimResourceType> ALL =
      AimKinds.ALL.stream()
          .map(k -> new AimResourceType(HasMetadata.getKind(k), HasMetadata.getPlural(k), AimKinds.namespaced(k), k))
          .toList();

  public static Optional<AimResourceType> byPlural(String plural) {
    return ALL.stream().filter(t -> t.plural.equals(plural)).findFirst();
  }

  public static AimResourceType of(Class<? extends HasMetadata> type) {
    return ALL.stream().filter(t -> t.type == type).findFirst().orElseThrow();
  }

  /** For fabric8's generic client: the API keeps objects as they are, without the model's defaults. */
  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(Aim.GROUP)
        .withVersion(Aim.VERSION)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  /** The object's path under {@code /api/v1}. */
  public String path(String namespace, String name) {
    String collection = namespaced ? "/namespaces/" + namespace + "/" + plural : "/" + plural;
    return name == null ? collection : collection + "/" + name;
  }
}
