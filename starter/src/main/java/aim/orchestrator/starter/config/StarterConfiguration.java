package aim.orchestrator.starter.config;

import aim.orchestrator.starter.watch.WatchBridge;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans of the starter: the Kubernetes client, the Temporal clients, cache-warming schedules and the watch bridge. */
@Configuration(proxyBeanMethods = false)
public class StarterConfiguration {
  @Bean(destroyMethod = "close")
  KubernetesClient kubernetesClient(StarterProperties props) throws java.io.IOException {
    Config config =
        props.kubeconfig().isEmpty()
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(null, Files.readString(Path.of(props.kubeconfig())), props.kubeconfig());
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Bean(destroyMethod = "shutdown")
  WorkflowServiceStubs workflowServiceStubs(StarterProperties props) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(props.temporalTarget()).build());
  }

  @Bean
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, StarterProperties props) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(props.temporalNamespace()).build());
  }

  /** Temporal Schedules (cache warming); the Java test server of the dev mode does not implement them. */
  @Bean
  ScheduleClient scheduleClient(WorkflowServiceStubs stubs, StarterProperties props) {
    return ScheduleClient.newInstance(
        stubs, ScheduleClientOptions.newBuilder().setNamespace(props.temporalNamespace()).build());
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
