package aim.orchestrator.worker;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import aim.orchestrator.temporal.TemporalConfiguration;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * Beans of the worker: one Kubernetes client, the Temporal connection ({@code aim.temporal.*}, {@link
 * TemporalConfiguration}: the same stubs, client and payload codec as the starter's), the worker factory and its
 * health.
 */
@Configuration(proxyBeanMethods = false)
@Import(TemporalConfiguration.class)
public class WorkerConfiguration {
  private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

  @Bean(destroyMethod = "close")
  KubernetesClient kubernetesClient(WorkerProperties props) throws java.io.IOException {
    Config config =
        props.kubeconfig().isEmpty()
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(null, Files.readString(Path.of(props.kubeconfig())), props.kubeconfig());
    config.setRequestRetryBackoffLimit(3);
    config.setMaxConcurrentRequests(props.kubernetesMaxConcurrentRequests());
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Bean(destroyMethod = "shutdown")
  WorkerFactory workerFactory(WorkflowClient client, KubernetesClient kubernetes, WorkerProperties props) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    AimWorkers.register(
        factory,
        kubernetes,
        props.applyMode(),
        new AimWorkers.Sizing(
            props.workflowTasks(), props.kubernetesActivities(), props.stickyExecution(), props.transferActivities()),
        Clock.systemUTC(),
        props.registry().settings(),
        props.sourceOverrides());
    return factory;
  }

  /** Workers start polling once the application is ready (not in a runner, which would block startup). */
  @EventListener(ApplicationReadyEvent.class)
  public void startWorkers(ApplicationReadyEvent event) {
    WorkerFactory factory = event.getApplicationContext().getBean(WorkerFactory.class);
    factory.start();
    log.info("AIM workers polling task queues");
  }

  @Bean
  HealthIndicator temporalWorkers(WorkerFactory factory) {
    return () ->
        factory.isStarted() && !factory.isShutdown()
            ? Health.up().withDetail("taskQueues", java.util.List.of(aim.orchestrator.workflow.TaskQueues.WORKFLOWS, aim.orchestrator.workflow.TaskQueues.KUBERNETES, aim.orchestrator.workflow.TaskQueues.TRANSFERS)).build()
            : Health.outOfService().build();
  }
}
