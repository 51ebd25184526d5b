package aim.orchestrator.starter.config;

import aim.orchestrator.starter.watch.WatchBridge;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import aim.orchestrator.temporal.TemporalConfiguration;
import aim.orchestrator.temporal.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Beans of the starter: the Kubernetes client, the Temporal clients ({@code aim.temporal.*}, {@link
 * TemporalConfiguration}), cache-warming schedules and the watch bridge.
 */
@Configuration(proxyBeanMethods = false)
@Import(TemporalConfiguration.class)
public class StarterConfiguration {
  @Bean(destroyMethod = "close")
  KubernetesClient kubernetesClient(StarterProperties props) throws java.io.IOException {
    Config config =
        props.kubeconfig().isEmpty()
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(null, Files.readString(Path.of(props.kubeconfig())), props.kubeconfig());
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Temporal Schedules (cache warming); the Java test server of the dev mode does not implement them. */
  @Bean
  ScheduleClient scheduleClient(WorkflowServiceStubs stubs, TemporalConnection temporal) {
    return ScheduleClient.newInstance(stubs, temporal.scheduleClientOptions());
  }

  /** Cache-warming schedules (Temporal Schedules; cron workflows where the server lacks them). */
  @Bean
  aim.orchestrator.starter.schedule.CacheWarmingSchedules warmingSchedules(ScheduleClient schedules, WorkflowClient temporal) {
    return new aim.orchestrator.starter.schedule.CacheWarmingSchedules(schedules, temporal);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(prefix = "aim.starter", name = "watch", havingValue = "true", matchIfMissing = true)
  WatchBridge watchBridge(KubernetesClient kubernetes, WorkflowClient temporal, StarterProperties props) {
    return new WatchBridge(kubernetes, temporal, props.resync()).start();
  }
}
