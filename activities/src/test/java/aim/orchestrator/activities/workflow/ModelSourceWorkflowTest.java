package aim.orchestrator.activities.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.impl.ModelSourceActivitiesImpl;
import aim.orchestrator.activities.impl.ResourceActivitiesImpl;
import aim.orchestrator.activities.registry.LocalRegistry;
import aim.orchestrator.activities.registry.RegistryClient;
import aim.orchestrator.activities.registry.RegistrySettings;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterModelSource;
import aim.orchestrator.model.AIMClusterModelSourceSpec;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.modelsource.ModelSourceWorkflow;
import aim.orchestrator.workflow.modelsource.ModelSourceWorkflowImpl;
import io.fabric8.kubernetes.api.model.Condition;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The model-source workflow with its real activities, the fabric8 mock and a real registry on loopback: the first
 * sync, the status it writes, no registry listing before {@code syncInterval} has passed, and an immediate sync after
 * a spec change. Time is skipped by Temporal's test environment.
 */
class ModelSourceWorkflowTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();
  @RegisterExtension static final LocalRegistry registry = new LocalRegistry();

  private TestWorkflowEnvironment env;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    aim.orchestrator.workflow.AimSearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(ModelSourceWorkflowImpl.class);
    env.newWorker(TaskQueues.KUBERNETES)
        .registerActivitiesImplementations(
            new ResourceActivitiesImpl(cluster.kube(), Clock.systemUTC()),
            new ModelSourceActivitiesImpl(cluster.kube(), new RegistryClient(RegistrySettings.defaults()), Clock.systemUTC()));
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void syncsAtOnceThenEverySyncIntervalAndAfterASpecChange() {
    registry.push("aim/qwen", "1.0.0", Map.of());
    AIMClusterModelSource source = new AIMClusterModelSource();
    source.getMetadata().setName("amd-models");
    source.setSpec(new AIMClusterModelSourceSpec());
    source.getSpec().registry = registry.host();
    source.getSpec().syncInterval = "10m";
    AIMClusterModelSourceSpec.Filter filter = new AIMClusterModelSourceSpec.Filter();
    filter.image = "aim/qwen";
    source.getSpec().filters = List.of(filter);
    AIMClusterModelSource stored = cluster.create(source);
    ResourceRef ref = Fixtures.ref(stored);
    ModelSourceWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                ModelSourceWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(WorkflowIds.of(ref)).setTaskQueue(TaskQueues.WORKFLOWS).build());
    WorkflowClient.start(wf::run, ref);

    env.sleep(Duration.ofSeconds(20));
    AIMClusterModelSource synced = current(stored);
    assertThat(modelImages()).containsExactly(registry.host() + "/aim/qwen:1.0.0");
    assertThat(synced.getStatus().status).isEqualTo("Ready");
    assertThat(synced.getStatus().discoveredModels).isEqualTo(1);
    assertThat(synced.getStatus().availableModels).isEqualTo(1);
    assertThat(synced.getStatus().modelsLimitReached).isFalse();
    assertThat(synced.getStatus().lastSyncTime).isNotNull();
    assertThat(synced.getStatus().observedGeneration).isEqualTo(synced.getMetadata().getGeneration());
    assertCondition(synced, "ExistingModelsReady", "True", "Listed");
    assertCondition(synced, "FiltersReady", "True", "AllFiltersSucceeded");
    assertCondition(synced, "MaxModelsLimitReached", "False", "WithinLimit");
    assertCondition(synced, "Ready", "True", "AllComponentsReady");
    assertThat(wf.status().status()).isEqualTo("Ready");

    registry.push("aim/qwen", "1.1.0", Map.of());
    wf.observe(new ResourceEvent(stored.getMetadata().getUid(), stored.getMetadata().getGeneration(), false));
    env.sleep(Duration.ofMinutes(5));
    assertThat(modelImages()).as("a wake-up before syncInterval does not list the registry").hasSize(1);

    env.sleep(Duration.ofMinutes(6));
    assertThat(modelImages()).containsExactly(registry.host() + "/aim/qwen:1.0.0", registry.host() + "/aim/qwen:1.1.0");

    registry.push("aim/qwen", "1.2.0", Map.of());
    AIMClusterModelSource changed = current(stored);
    changed.getSpec().maxModels = 50;
    changed = cluster.client().resource(changed).update();
    wf.observe(new ResourceEvent(changed.getMetadata().getUid(), changed.getMetadata().getGeneration(), false));
    env.sleep(Duration.ofSeconds(10));
    assertThat(modelImages()).as("a spec change syncs at once").hasSize(3);
    assertThat(current(stored).getStatus().observedGeneration).isEqualTo(changed.getMetadata().getGeneration());
  }

  private AIMClusterModelSource current(AIMClusterModelSource stored) {
    return cluster.client().resources(AIMClusterModelSource.class).withName(stored.getMetadata().getName()).get();
  }

  private List<String> modelImages() {
    return cluster.client().resources(AIMClusterModel.class).list().getItems().stream().map(m -> m.getSpec().image).sorted().toList();
  }

  private static void assertCondition(AIMClusterModelSource src, String type, String status, String reason) {
    Condition c = Conditions.find(src.getStatus().conditions, type);
    assertThat(c).as(type).isNotNull();
    assertThat(c.getStatus()).as(type + " status").isEqualTo(status);
    assertThat(c.getReason()).as(type + " reason").isEqualTo(reason);
  }
}
