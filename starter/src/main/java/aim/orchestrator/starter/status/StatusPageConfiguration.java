package aim.orchestrator.starter.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The status page's reader over the starter's Kubernetes and Temporal clients. */
@Configuration(proxyBeanMethods = false)
class StatusPageConfiguration {
  /** A workflow that does not answer within this time (no worker polling) shows as unavailable. */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

  @Bean(destroyMethod = "close")
  ServiceStatusReader serviceStatusReader(KubernetesClient kubernetes, WorkflowClient temporal) {
    return new ServiceStatusReader(kubernetes, temporal, QUERY_TIMEOUT);
  }
}
