package aim.orchestrator.workflow.warming;

/**
 * What to warm: the templates of a namespace that a label selector picks (namespaced AIMServiceTemplates there, and
 * AIMClusterServiceTemplates, whose caches are made in that namespace).
 *
 * @param namespace the namespace whose caches are warmed
 * @param labelSelector a Kubernetes label selector ({@code team=ml,tier in (gold)}); empty or null selects every
 *     template
 */
public record CacheWarmingRequest(String namespace, String labelSelector) {}
