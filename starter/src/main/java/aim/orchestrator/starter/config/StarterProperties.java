package aim.orchestrator.starter.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Starter settings under {@code aim.starter}.
 *
 * <p>The Temporal connection is {@code aim.temporal.*} ({@link aim.orchestrator.temporal.TemporalProperties}).
 *
 * @param kubeconfig path of a kubeconfig; empty means the usual discovery
 * @param watch run the Kubernetes watch bridge
 * @param resync how often the bridge re-delivers every object
 */
@ConfigurationProperties("aim.starter")
public record StarterProperties(
    @DefaultValue("") String kubeconfig,
    @DefaultValue("true") boolean watch,
    @DefaultValue("5m") Duration resync) {}
