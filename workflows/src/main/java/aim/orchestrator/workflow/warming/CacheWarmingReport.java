package aim.orchestrator.workflow.warming;

import aim.orchestrator.activity.ArtifactVerification;
import aim.orchestrator.activity.WarmingPlan;
import java.util.List;

/**
 * What one cache-warming run did.
 *
 * @param namespace the namespace warmed
 * @param labelSelector the selector used
 * @param templates the templates selected, {@code <Kind>/<name>} (with why one was skipped, if it was)
 * @param caches one entry per template cache: created, or found
 * @param artifacts one entry per artifact: verified, repaired, failed, or not Ready yet (its own workflow downloads
 *     it)
 * @param summary one line for humans
 */
public record CacheWarmingReport(
    String namespace,
    String labelSelector,
    List<String> templates,
    List<WarmingPlan.CacheAction> caches,
    List<ArtifactVerification> artifacts,
    String summary) {}
