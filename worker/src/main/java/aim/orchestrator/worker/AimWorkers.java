package aim.orchestrator.worker;

import aim.orchestrator.activities.impl.CacheActivitiesImpl;
import aim.orchestrator.activities.impl.ModelActivitiesImpl;
import aim.orchestrator.activities.impl.ModelSourceActivitiesImpl;
import aim.orchestrator.activities.impl.ResourceActivitiesImpl;
import aim.orchestrator.activities.impl.ServiceActivitiesImpl;
import aim.orchestrator.activities.impl.TemplateActivitiesImpl;
import aim.orchestrator.activities.impl.TransferActivitiesImpl;
import aim.orchestrator.activities.impl.WarmingActivitiesImpl;
import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activities.registry.RegistryClient;
import aim.orchestrator.activities.registry.RegistrySettings;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.Workflows;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The one place that says which workflows and activities run on which task queue, used by the Spring worker and
 * by tests alike.
 */
public final class AimWorkers {
  private AimWorkers() {}

  /**
   * Sizing of the pools.
   *
   * @param workflowTasks concurrent workflow tasks on the workflow queue
   * @param kubernetesActivities concurrent Kubernetes activities
   * @param stickyExecution keep sticky execution on (production); off only against Temporal's Java test server,
   *     which cannot hand a dead worker's sticky queue to another worker
   * @param transfers concurrent transfer-following activities (each mostly sleeps between reads of a Job)
   */
  public record Sizing(int workflowTasks, int kubernetesActivities, boolean stickyExecution, int transfers) {
    public Sizing(int workflowTasks, int kubernetesActivities, boolean stickyExecution) {
      this(workflowTasks, kubernetesActivities, stickyExecution, 100);
    }

    public static Sizing defaults() {
      return new Sizing(50, 20, true, 100);
    }
  }

  /** Registers every workflow and activity on the factory's workers, without source overrides. */
  public static void register(
      WorkerFactory factory, KubernetesClient client, ApplyMode applyMode, Sizing sizing, Clock clock, RegistrySettings registrySettings) {
    register(factory, client, applyMode, sizing, clock, registrySettings, Map.of());
  }

  /** Registers every workflow and activity on the factory's workers, with the default registry settings. */
  public static void register(
      WorkerFactory factory, KubernetesClient client, ApplyMode applyMode, Sizing sizing, Clock clock) {
    register(factory, client, applyMode, sizing, clock, RegistrySettings.defaults(), Map.of());
  }

  /**
   * Registers every workflow and activity on the factory's workers.
   *
   * @param registrySettings how container registries are reached (image labels, model-source listings)
   * @param sourceOverrides env values that replace an artifact's own when an activity reaches a model source itself
   *     (size checks): the dev mode's local endpoints; empty in production
   */
  public static void register(
      WorkerFactory factory,
      KubernetesClient client,
      ApplyMode applyMode,
      Sizing sizing,
      Clock clock,
      RegistrySettings registrySettings,
      Map<String, String> sourceOverrides) {
    // Workflows upsert the Aim* search attributes; a server rejects unregistered ones (docs/temporal-cli.md).
    SearchAttributeRegistration.ensure(
        factory.getWorkflowClient().getWorkflowServiceStubs(), factory.getWorkflowClient().getOptions().getNamespace());
    Kube kube = new Kube(client, applyMode);
    RegistryClient registry = new RegistryClient(registrySettings);
    var workflowWorker = factory.newWorker(TaskQueues.WORKFLOWS, options(sizing).setMaxConcurrentWorkflowTaskExecutionSize(sizing.workflowTasks()).build());
    workflowWorker.registerWorkflowImplementationTypes(Workflows.IMPLEMENTATIONS.toArray(Class<?>[]::new));
    var k8sWorker =
        factory.newWorker(
            TaskQueues.KUBERNETES, options(sizing).setMaxConcurrentActivityExecutionSize(sizing.kubernetesActivities()).build());
    k8sWorker.registerActivitiesImplementations(
        new ResourceActivitiesImpl(kube, clock),
        new ServiceActivitiesImpl(kube),
        new ModelActivitiesImpl(kube, registry, registrySettings.operatorNamespace()),
        new TemplateActivitiesImpl(kube, clock, registrySettings.operatorNamespace(), TemplateActivitiesImpl.DISCOVERY_LIMIT),
        new CacheActivitiesImpl(kube, sourceOverrides),
        new ModelSourceActivitiesImpl(kube, registry, clock),
        new WarmingActivitiesImpl(kube));
    // Following download Jobs is mostly waiting: many at once, on their own queue so they never starve the
    // Kubernetes calls of the workflows.
    var transferWorker =
        factory.newWorker(TaskQueues.TRANSFERS, options(sizing).setMaxConcurrentActivityExecutionSize(sizing.transfers()).build());
    transferWorker.registerActivitiesImplementations(new TransferActivitiesImpl(kube));
  }

  private static WorkerOptions.Builder options(Sizing sizing) {
    WorkerOptions.Builder b = WorkerOptions.newBuilder();
    if (!sizing.stickyExecution()) {
      b.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    return b;
  }
}
