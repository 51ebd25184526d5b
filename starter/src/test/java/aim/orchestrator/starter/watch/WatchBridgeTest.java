package aim.orchestrator.starter.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactSpec;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.artifact.ArtifactWorkflow;
import aim.orchestrator.workflow.service.ServiceWorkflow;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
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

  /** The same recorder for artifacts: it counts the wake-ups their PVCs' events give. */
  public static class RecordingArtifactWorkflow implements ArtifactWorkflow {
    private final RecordingServiceWorkflow recorder = new RecordingServiceWorkflow();

    @Override
    public void run(ResourceRef artifact) {
      recorder.run(artifact);
    }

    @Override
    public void observe(ResourceEvent event) {
      recorder.observe(event);
    }

    @Override
    public ResourceView status() {
      return recorder.status();
    }
  }

  @BeforeEach
  void start() {
    for (String plural : List.of("aimservices", "aimtemplatecaches", "aimartifacts")) {
      CustomResourceDefinition crd =
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .load(getClass().getResourceAsStream("/crds/" + plural + ".aim.eai.amd.com-v1.yml"))
              .item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(op -> op.update());
    }
    temporal = TestWorkflowEnvironment.newInstance();
    temporal.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(RecordingServiceWorkflow.class, RecordingArtifactWorkflow.class);
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

  @Test
  void deletingATemplateCacheWakesTheServiceThatServesFromIt() {
    AIMService svc = new AIMService();
    svc.getMetadata().setName("chat");
    svc.getMetadata().setNamespace("caching");
    svc.setSpec(new AIMServiceSpec());
    client.resource(svc).create();
    ServiceWorkflow wf = temporal.getWorkflowClient().newWorkflowStub(ServiceWorkflow.class, "AIMService/caching/chat");
    await().atMost(Duration.ofSeconds(20)).until(() -> events(wf) == 1);
    // The cache was made by another service (its label names that one); this service's status names the cache.
    AIMTemplateCache cache = new AIMTemplateCache();
    cache.getMetadata().setName("qwen3-cache");
    cache.getMetadata().setNamespace("caching");
    cache.getMetadata().setLabels(java.util.Map.of(aim.orchestrator.model.Aim.LABEL_SERVICE, "someone-else"));
    cache.setSpec(new AIMTemplateCacheSpec());
    cache.getSpec().templateName = "qwen3";
    cache = client.resource(cache).create();
    AIMService withStatus = client.resources(AIMService.class).inNamespace("caching").withName("chat").get();
    withStatus.setStatus(new AIMServiceStatus());
    withStatus.getStatus().cache = new AIMServiceStatus.Cache();
    withStatus.getStatus().cache.templateCacheRef =
        new AIMResolvedReference("qwen3-cache", "caching", AIMScope.Namespace, "AIMTemplateCache", cache.getMetadata().getUid());
    client.resource(withStatus).updateStatus();
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> events(wf) == 1);

    client.resource(cache).delete();

    await().atMost(Duration.ofSeconds(20)).until(() -> events(wf) >= 2);
  }

  @Test
  void aPvcDeletedOrStrippedOfItsOwnerWakesTheArtifactThatOwnsIt() {
    AIMArtifact artifact = new AIMArtifact();
    artifact.getMetadata().setName("weights");
    artifact.getMetadata().setNamespace("caching");
    artifact.setSpec(new AIMArtifactSpec());
    artifact.getSpec().sourceUri = "hf://Qwen/Qwen3-0.6B";
    artifact = client.resource(artifact).create();
    ArtifactWorkflow wf = temporal.getWorkflowClient().newWorkflowStub(ArtifactWorkflow.class, "AIMArtifact/caching/weights");
    await().atMost(Duration.ofSeconds(20)).until(() -> passes(wf) == 1);
    PersistentVolumeClaim pvc =
        client.resource(
                new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withName("weights-cache")
                    .withNamespace("caching")
                    .addToLabels(aim.orchestrator.model.Aim.LABEL_CACHE_NAME, "weights")
                    .addNewOwnerReference()
                    .withApiVersion("aim.eai.amd.com/v1alpha1")
                    .withKind("AIMArtifact")
                    .withName("weights")
                    .withUid(artifact.getMetadata().getUid())
                    .withController(true)
                    .endOwnerReference()
                    .endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteMany").endSpec()
                    .build())
            .create();
    int seen = passes(wf);

    // Someone removes the owner reference: only the old object names the owner.
    client.persistentVolumeClaims().inNamespace("caching").withName("weights-cache").edit(p -> {
      p.getMetadata().setOwnerReferences(List.of());
      return p;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> passes(wf) > seen);

    // Back with its owner, then deleted by hand.
    client.persistentVolumeClaims().inNamespace("caching").withName("weights-cache").edit(p -> {
      p.getMetadata().setOwnerReferences(pvc.getMetadata().getOwnerReferences());
      return p;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> passes(wf) > seen + 1);
    int beforeDelete = passes(wf);
    client.persistentVolumeClaims().inNamespace("caching").withName("weights-cache").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> passes(wf) > beforeDelete);
  }

  private static int passes(ArtifactWorkflow wf) {
    try {
      return wf.status().passes();
    } catch (RuntimeException notStartedYet) {
      return 0;
    }
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
