package aim.orchestrator.starter.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.service.ServiceWorkflow;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch bridge against the fabric8 mock API (CRUD mode) and Temporal's test server: which Kubernetes events
 * reach a resource's workflow. A recording ServiceWorkflow stands in for the real one.
 */
@EnableKubernetesMockClient(crud = true)
class WatchBridgeTest {
  static KubernetesClient client;

  private TestWorkflowEnvironment temporal;
  private WatchBridge bridge;

  /** Records every event; the view's {@code passes} counts them and {@code phase} tells if one said deleting. */
  public static class RecordingServiceWorkflow implements ServiceWorkflow {
    private final List<ResourceEvent> events = new ArrayList<>();
    private ResourceRef ref;

    @Override
    public void run(ResourceRef service) {
      ref = service;
      Workflow.await(() -> events.stream().anyMatch(ResourceEvent::deleting));
    }

    @Override
    public void observe(ResourceEvent event) {
      events.add(event);
    }

    @Override
    public ResourceView status() {
      boolean deleting = events.stream().anyMatch(ResourceEvent::deleting);
      long generation = events.isEmpty() ? 0 : events.get(events.size() - 1).generation();
      return new ResourceView(ref, "", List.of(), generation, deleting ? "deleting" : "running", events.size());
    }
  }

  @BeforeEach
  void start() {
    CustomResourceDefinition crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(getClass().getResourceAsStream("/crds/aimservices.aim.eai.amd.com-v1.yml"))
            .item();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(op -> op.update());
    temporal = TestWorkflowEnvironment.newInstance();
    temporal.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(RecordingServiceWorkflow.class);
    temporal.start();
    bridge = new WatchBridge(client, temporal.getWorkflowClient(), Duration.ofMinutes(10)).start();
  }

  @AfterEach
  void stop() {
    bridge.close();
    temporal.close();
  }

  @Test
  void createSpecChangeAndDeletionReachTheWorkflowButStatusWritesDoNot() {
    AIMService svc = new AIMService();
    svc.getMetadata().setName("chat");
    svc.getMetadata().setNamespace("team");
    svc.getMetadata().setFinalizers(List.of("aim.eai.amd.com/template-cache-cleanup"));
    svc.setSpec(new AIMServiceSpec());
    svc.getSpec().model = new AIMServiceSpec.AIMServiceModel();
    svc.getSpec().model.name = "qwen3";
    client.resource(svc).create();

    ServiceWorkflow wf = temporal.getWorkflowClient().newWorkflowStub(ServiceWorkflow.class, "AIMService/team/chat");
    await().atMost(Duration.ofSeconds(20)).until(() -> events(wf) == 1);
    assertThat(wf.status().ref().uid()).isEqualTo(current().getMetadata().getUid());

    // A status write (what the workflows do all the time) must not feed back.
    AIMService withStatus = current();
    withStatus.setStatus(new AIMServiceStatus());
    withStatus.getStatus().status = AIMServiceStatus.ServiceStatusValue.Starting;
    client.resource(withStatus).updateStatus();
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> events(wf) == 1);

    // A spec change bumps the generation and is delivered.
    client.resources(AIMService.class).inNamespace("team").withName("chat").edit(s -> {
      s.getSpec().replicas = 3;
      return s;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> events(wf) == 2);
    assertThat(wf.status().observedGeneration()).isEqualTo(current().getMetadata().getGeneration());

    // Deletion (held by the finalizer) is delivered as a deleting event.
    client.resources(AIMService.class).inNamespace("team").withName("chat").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> "deleting".equals(wf.status().phase()));
  }

  private static int events(ServiceWorkflow wf) {
    try {
      return wf.status().passes();
    } catch (RuntimeException notStartedYet) {
      return 0;
    }
  }

  private static AIMService current() {
    return client.resources(AIMService.class).inNamespace("team").withName("chat").get();
  }
}
