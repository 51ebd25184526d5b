package aim.orchestrator.starter.api;

/**
 * The answer to a request that started work (HTTP 202): what was asked, of which resource, and where to watch it
 * (the {@code Location} header names the resource or schedule to poll).
 *
 * @param action what was requested, e.g. {@code delete}, {@code rediscover}, {@code retry}, {@code trigger}
 * @param kind the AIM kind (or {@code CacheWarmingSchedule})
 * @param namespace the namespace, null for cluster-scoped resources
 * @param name the name
 * @param workflowId the Temporal workflow (or schedule) that does the work, if any
 * @param requestedBy the caller
 * @param requestedAt when, RFC 3339
 * @param message what happens next
 */
public record Accepted(
    String action,
    String kind,
    String namespace,
    String name,
    String workflowId,
    String requestedBy,
    String requestedAt,
    String message) {}
