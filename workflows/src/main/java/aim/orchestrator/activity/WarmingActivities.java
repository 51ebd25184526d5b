package aim.orchestrator.activity;

import aim.orchestrator.workflow.warming.CacheWarmingRequest;
import io.temporal.activity.ActivityInterface;

/** Cache warming's Kubernetes side. */
@ActivityInterface(namePrefix = "Warming")
public interface WarmingActivities {
  /**
   * Selects the templates, makes sure each Ready one has a template cache (a namespaced template with {@code
   * caching.enabled} its own; otherwise a Shared cache, named as a service would name it, so services find it), and
   * lists the artifacts of those caches.
   */
  WarmingPlan ensureCaches(CacheWarmingRequest request);
}
