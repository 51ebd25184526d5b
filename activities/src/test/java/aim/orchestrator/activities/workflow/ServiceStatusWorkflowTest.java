package aim.orchestrator.activities.workflow;

import static aim.orchestrator.activities.Fixtures.IMAGE;
import static aim.orchestrator.activities.Fixtures.MODEL_ID;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.impl.ResourceActivitiesImpl;
import aim.orchestrator.activities.impl.ServiceActivitiesImpl;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.service.ServiceWorkflow;
import aim.orchestrator.workflow.service.ServiceWorkflowImpl;
import io.fabric8.kubernetes.api.model.Condition;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AIMService status the real workflow and real activities produce against the fabric8 mock, for each way
 * resolution can end. Upstream objects are "frozen": their status is set by the test, as the reference's e2e tests
 * do, so only the service's workflow runs. Time is skipped by Temporal's test environment.
 */
class ServiceStatusWorkflowTest {
  private static final String TEMPLATE = "qwen3-mi300x";
  private static final String MODEL = "qwen3";

  @RegisterExtension static final MockCluster cluster = new MockCluster();

  private TestWorkflowEnvironment env;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    aim.orchestrator.workflow.AimSearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(ServiceWorkflowImpl.class);
    env.newWorker(TaskQueues.KUBERNETES)
        .registerActivitiesImplementations(
            new ResourceActivitiesImpl(cluster.kube(), Clock.systemUTC()), new ServiceActivitiesImpl(cluster.kube()));
    env.start();
    cluster.createObject(Fixtures.node("gpu-0", Map.of("amd.com/gpu.device-id", "74a1")));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void modelMissing() {
    AIMService svc = run(service(MODEL, TEMPLATE));
    assertThat(svc.getStatus().status.name()).isEqualTo("Failed");
    assertCondition(svc, "ModelReady", "False", "ModelNotFound");
    assertCondition(svc, "ConfigValid", "False", "ReferenceNotFound");
    assertThat(svc.getStatus().resolvedModel).isNull();
  }

  @Test
  void modelFailed() {
    cluster.create(Fixtures.model(NS, MODEL, IMAGE, ResourceStatusValue.Failed));
    AIMService svc = run(service(MODEL, TEMPLATE));
    assertThat(svc.getStatus().status.name()).isEqualTo("Failed");
    assertCondition(svc, "ModelReady", "False", "ModelNotReady");
    assertThat(svc.getStatus().resolvedModel).isNull();
  }

  @Test
  void modelProgressing() {
    cluster.create(Fixtures.model(NS, MODEL, IMAGE, ResourceStatusValue.Progressing));
    AIMService svc = run(service(MODEL, TEMPLATE));
    assertThat(svc.getStatus().status.name()).isEqualTo("Pending");
    assertCondition(svc, "ModelReady", "False", "ModelNotReady");
    assertThat(svc.getStatus().resolvedModel).isNull();
  }

  @Test
  void noTemplateForTheModel() {
    cluster.create(Fixtures.model(NS, MODEL, IMAGE, ResourceStatusValue.Ready));
    AIMService svc = run(service(MODEL, null));
    assertThat(svc.getStatus().status.name()).isEqualTo("Pending");
    assertCondition(svc, "ModelReady", "True", "ModelResolved");
    assertCondition(svc, "TemplateReady", "False", "TemplateNotFound");
    assertThat(svc.getStatus().resolvedModel.name).isEqualTo(MODEL);
    assertThat(svc.getStatus().resolvedTemplate).isNull();
    assertThat(svc.getStatus().templateSelection.outcome).isEqualTo("NoCandidates");
  }

  @Test
  void templateFailed() {
    cluster.create(Fixtures.model(NS, MODEL, IMAGE, ResourceStatusValue.Ready));
    cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Failed));
    AIMService svc = run(service(MODEL, TEMPLATE));
    assertThat(svc.getStatus().status.name()).isEqualTo("Failed");
    assertCondition(svc, "TemplateReady", "False", "TemplateNotReady");
    assertThat(svc.getStatus().resolvedTemplate).isNull();
  }

  @Test
  void namespaceTemplateReady() {
    cluster.create(Fixtures.model(NS, MODEL, IMAGE, ResourceStatusValue.Ready));
    cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready, Fixtures.source(MODEL_ID, SOURCE_URI, "1Gi")));
    cluster.create(Fixtures.clusterTemplate(TEMPLATE, MODEL, ResourceStatusValue.Ready, Fixtures.source(MODEL_ID, SOURCE_URI, "1Gi")));
    AIMService svc = run(service(MODEL, TEMPLATE));
    // Resolved; now waiting for the template cache it created.
    assertThat(svc.getStatus().status.name()).isEqualTo("Starting");
    assertCondition(svc, "TemplateReady", "True", "Resolved");
    assertCondition(svc, "CacheReady", "False", "CacheCreating");
    assertThat(svc.getStatus().resolvedTemplate.name).isEqualTo(TEMPLATE);
    assertThat(svc.getStatus().resolvedTemplate.scope).isEqualTo(AIMScope.Namespace);
  }

  @Test
  void clusterTemplateReady() {
    cluster.create(Fixtures.clusterModel(MODEL, IMAGE, ResourceStatusValue.Ready));
    cluster.create(Fixtures.clusterTemplate(TEMPLATE, MODEL, ResourceStatusValue.Ready, Fixtures.source(MODEL_ID, SOURCE_URI, "1Gi")));
    AIMService svc = run(service(MODEL, null));
    assertThat(svc.getStatus().status.name()).isEqualTo("Starting");
    assertThat(svc.getStatus().resolvedModel.scope).isEqualTo(AIMScope.Cluster);
    assertThat(svc.getStatus().resolvedTemplate.name).isEqualTo(TEMPLATE);
    assertThat(svc.getStatus().resolvedTemplate.scope).isEqualTo(AIMScope.Cluster);
    assertThat(svc.getStatus().templateSelection.outcome).isEqualTo("Selected");
  }

  @Test
  void explicitTemplateMissing() {
    cluster.create(Fixtures.model(NS, MODEL, IMAGE, ResourceStatusValue.Ready));
    AIMService svc = run(service(MODEL, "no-such-template"));
    assertThat(svc.getStatus().status.name()).isEqualTo("Failed");
    assertCondition(svc, "TemplateReady", "False", "TemplateNotFound");
    assertCondition(svc, "ConfigValid", "False", "ReferenceNotFound");
    assertThat(svc.getStatus().resolvedModel.name).isEqualTo(MODEL);
  }

  @Test
  void missingNamedRuntimeConfigFailsTheService() {
    AIMService spec = service(MODEL, TEMPLATE);
    spec.getSpec().runtimeConfigName = "team-config";
    AIMService svc = run(spec);
    assertThat(svc.getStatus().status.name()).isEqualTo("Failed");
    assertCondition(svc, "RuntimeConfigReady", "False", "ConfigNotFound");
    assertCondition(svc, "ConfigValid", "False", "ReferenceNotFound");
  }

  private static AIMService service(String model, String template) {
    AIMService svc = Fixtures.serviceForModel(model);
    if (template != null) {
      svc.getSpec().template = new AIMServiceSpec.AIMServiceTemplateRef();
      svc.getSpec().template.name = template;
    }
    return svc;
  }

  private AIMService run(AIMService spec) {
    AIMService stored = cluster.create(spec);
    ResourceRef ref = Fixtures.ref(stored);
    ServiceWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                ServiceWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(WorkflowIds.of(ref)).setTaskQueue(TaskQueues.WORKFLOWS).build());
    WorkflowClient.start(wf::run, ref);
    env.sleep(Duration.ofSeconds(20));
    AIMService svc = cluster.client().resources(AIMService.class).inNamespace(NS).withName(stored.getMetadata().getName()).get();
    assertThat(svc.getStatus()).isNotNull();
    assertThat(svc.getStatus().observedGeneration).isEqualTo(svc.getMetadata().getGeneration());
    return svc;
  }

  private static void assertCondition(AIMService svc, String type, String status, String reason) {
    Condition c = Conditions.find(svc.getStatus().conditions, type);
    assertThat(c).as(type).isNotNull();
    assertThat(c.getStatus()).as(type + " status").isEqualTo(status);
    assertThat(c.getReason()).as(type + " reason").isEqualTo(reason);
  }
}
