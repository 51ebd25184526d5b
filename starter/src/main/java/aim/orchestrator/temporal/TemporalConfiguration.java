package aim.orchestrator.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Temporal connection beans of the worker and the starter (both {@code @Import} this): the checked
 * {@link TemporalConnection} of {@code aim.temporal.*}, the service stubs and the workflow client.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TemporalProperties.class)
public class TemporalConfiguration {
  private static final Logger log = LoggerFactory.getLogger(TemporalConfiguration.class);

  /** Settings of earlier versions and what replaced them. */
  static final List<String[]> RENAMED =
      List.of(
          new String[] {"aim.worker.temporal-target", "aim.temporal.target"},
          new String[] {"aim.worker.temporal-namespace", "aim.temporal.namespace"},
          new String[] {"aim.starter.temporal-target", "aim.temporal.target"},
          new String[] {"aim.starter.temporal-namespace", "aim.temporal.namespace"});

  @Bean
  TemporalConnection temporalConnection(TemporalProperties props, Environment environment) {
    List<String> renamed =
        RENAMED.stream()
            .filter(r -> environment.containsProperty(r[0]))
            .map(r -> r[0] + " is no longer read: set " + r[1] + " instead")
            .toList();
    if (!renamed.isEmpty()) {
      throw new TemporalSettingsException(renamed);
    }
    TemporalConnection connection = TemporalConnection.of(props);
    log.info("{}", connection);
    return connection;
  }

  @Bean(destroyMethod = "shutdown")
  WorkflowServiceStubs workflowServiceStubs(TemporalConnection connection) {
    return connection.newServiceStubs();
  }

  @Bean
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalConnection connection) {
    return connection.newClient(stubs);
  }
}
