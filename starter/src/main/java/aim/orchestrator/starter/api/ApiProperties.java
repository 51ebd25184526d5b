package aim.orchestrator.starter.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * REST API settings under {@code aim.starter.api}.
 *
 * @param authEnabled check every caller's bearer token with a TokenReview and every request with a
 *     SubjectAccessReview; false serves everyone with the starter's own Kubernetes permissions (only behind another
 *     gate)
 * @param authCacheTtl how long a TokenReview or SubjectAccessReview answer is reused for the same token or question
 * @param gatewayBaseUrl base URL of the inference gateway; a service's endpoint URL is this plus its
 *     {@code status.routing.path}. Empty: the view shows the path only
 * @param queryTimeout how long the view waits for a workflow's {@code status} query
 */
@ConfigurationProperties("aim.starter.api")
public record ApiProperties(
    @DefaultValue("true") boolean authEnabled,
    @DefaultValue("30s") Duration authCacheTtl,
    @DefaultValue("") String gatewayBaseUrl,
    @DefaultValue("3s") Duration queryTimeout) {}
