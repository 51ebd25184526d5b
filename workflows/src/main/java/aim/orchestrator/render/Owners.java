package aim.orchestrator.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Owner references: a controller reference to the AIM object that made the child. */
public final class Owners {
  private Owners() {}

  public static OwnerReference controller(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** True when {@code child} has an owner reference to the object with this UID. */
  public static boolean ownedBy(HasMetadata child, String uid) {
    if (child == null || child.getMetadata().getOwnerReferences() == null) {
      return false;
    }
    return child.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid != null && uid.equals(o.getUid()));
  }
}
