package aim.orchestrator.activity;

import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.workflow.ResourceRef;
import io.temporal.activity.ActivityInterface;

/** The AIMService lifecycle stages. Each reads what it needs from Kubernetes and is safe to run twice. */
@ActivityInterface(namePrefix = "Service")
public interface ServiceActivities {
  /** Finds (or, for {@code model.image}, creates) the service's model: component {@code Model}. */
  StageResult resolveModel(ResourceRef service);

  /** Finds the service's template for the resolved model: component {@code Template}. */
  StageResult resolveTemplate(ResourceRef service, AIMResolvedReference model);

  /**
   * Finds or creates the service's AIMTemplateCache for the template: component {@code Cache}. A cache the running
   * service used that is gone (deleted, being deleted, or replaced by one not Ready yet) is created again and reported
   * Degraded {@code CacheLost} (Dedicated: {@code CacheCreating}) until the new one is Ready; the stage is not Ready
   * meanwhile, so the InferenceService is left as it is.
   */
  StageResult ensureTemplateCache(ResourceRef service, AIMResolvedReference template);

  /**
   * Applies the InferenceService once model, template and cache are Ready, and reports its readiness: component
   * {@code InferenceService}; output = the InferenceService name.
   */
  StageResult applyInferenceService(
      ResourceRef service, AIMResolvedReference model, AIMResolvedReference template, AIMResolvedReference cache);

  /** Applies (or removes, when routing is off) the HTTPRoute: component {@code HTTPRoute} when routing is on. */
  StageResult applyHttpRoute(ResourceRef service, String inferenceService);

  /** Teardown: deletes the service's HTTPRoute, if it owns one. */
  void deleteHttpRoute(ResourceRef service);

  /** Teardown: deletes the service's InferenceService, if it owns one. */
  void deleteInferenceService(ResourceRef service);

  /** Teardown: deletes the service's dedicated caches and its template caches that are not Ready. */
  void deleteTemplateCaches(ResourceRef service);

  /**
   * Compensation: deletes only the service's dedicated caches (owned by its UID). A Shared cache, Ready or not, may
   * serve other services of its template and is left alone.
   */
  void deleteDedicatedTemplateCaches(ResourceRef service);

  /** Teardown: deletes the templates derived for the service's overrides (owned by it). */
  void deleteDerivedTemplates(ResourceRef service);

  /**
   * Whether the service's own InferenceService exists and is Ready: asked before compensating a failed deployment,
   * which only happens when the InferenceService exists and does not serve. Read-only.
   */
  InferenceServiceState inferenceServiceState(ResourceRef service);
}
