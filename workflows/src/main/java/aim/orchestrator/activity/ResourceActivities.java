package aim.orchestrator.activity;

import aim.orchestrator.workflow.ResourceRef;
import io.temporal.activity.ActivityInterface;

/** Kind-independent Kubernetes steps every resource workflow uses. All are idempotent. */
@ActivityInterface(namePrefix = "Resource")
public interface ResourceActivities {
  /** Reads the object's identity and lifecycle flags; never writes. */
  Observation observe(ResourceRef ref);

  /**
   * Creates the object from the reference's {@code spec} and {@code labels} unless an object of that name exists
   * (which is left untouched). Returns true if it created the object. An invalid spec fails with {@code
   * InvalidSpec}. Only starts from the Temporal CLI carry a spec (docs/temporal-cli.md).
   */
  boolean createIfAbsent(ResourceRef ref);

  /** Adds a finalizer if absent. Fails with {@code ResourceReplaced} if the UID differs. */
  void addFinalizer(ResourceRef ref, String finalizer);

  /** Removes a finalizer if present; a missing object is fine. */
  void removeFinalizer(ResourceRef ref, String finalizer);

  /**
   * Resolves the runtime config the resource names ({@code spec.runtimeConfigName}, default {@code default}):
   * the namespace config merged over the cluster config of the same name. A missing {@code default} is fine (no
   * component); a missing named config is a {@code RuntimeConfig} component failing with {@code ConfigNotFound}.
   */
  StageResult runtimeConfig(ResourceRef ref);

  /** Writes status, conditions and fields if they differ from what is stored. Returns true if it wrote. */
  boolean writeStatus(StatusWrite write);
}
