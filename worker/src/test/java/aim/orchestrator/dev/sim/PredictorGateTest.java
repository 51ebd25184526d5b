package aim.orchestrator.dev.sim;

import static aim.orchestrator.dev.sim.SimTestObjects.annotate;
import static aim.orchestrator.dev.sim.SimTestObjects.condition;
import static aim.orchestrator.dev.sim.SimTestObjects.eventsOf;
import static aim.orchestrator.dev.sim.SimTestObjects.isvc;
import static aim.orchestrator.dev.sim.SimTestObjects.isvcs;
import static aim.orchestrator.dev.sim.SimTestObjects.predictorPods;
import static aim.orchestrator.dev.sim.SimTestObjects.readyIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What holds a simulated predictor back: claims, images and injected failures. */
@EnableKubernetesMockClient(crud = true)
class PredictorGateTest {

  static KubernetesClient client;

  private ClusterSimulator sim;

  @BeforeAll
  static void registerKserveCrd() {
    SimTestObjects.registerDevCrd(client, "inferenceservices.serving.kserve.io.yaml");
  }

  @BeforeEach
  void startSimulator() {
    sim =
        ClusterSimulator.start(
            client,
            new SimulatorOptions(2, "MI300X", Duration.ofMillis(50))
                .withImageKnown(image -> !image.startsWith("unknown.example/")));
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  private static GenericKubernetesResource get(String ns, String name) {
    return isvcs(client).inNamespace(ns).withName(name).get();
  }

  private static String readyReason(String ns, String name) {
    return condition(get(ns, name), "Ready").map(c -> String.valueOf(c.get("reason"))).orElse("");
  }

  private static Pod onlyPod(String ns, String isvc) {
    List<Pod> pods = predictorPods(client, ns, isvc);
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  private static ContainerStatus mainStatus(Pod pod) {
    return pod.getStatus().getContainerStatuses().stream()
        .filter(c -> "kserve-container".equals(c.getName()))
        .findFirst()
        .orElseThrow();
  }

  private static PodCondition podCondition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  /** Awaits the predictor's Pod showing {@code state} and the Events that go with it. */
  private static void awaitBlocked(String ns, String name, String reason) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> readyIs(get(ns, name), "False") && reason.equals(readyReason(ns, name)));
    // Events are written before the status, so they are there by now.
    assertThat(eventsOf(client, get(ns, name)))
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo(reason);
              assertThat(e.getInvolvedObject().getUid())
                  .isEqualTo(get(ns, name).getMetadata().getUid());
            });
    assertThat(condition(get(ns, name), "PredictorReady"))
        .hasValueSatisfying(
            c -> assertThat(c).containsEntry("status", "False").containsEntry("reason", reason));
  }

  @Test
  void notReadyUntilItsClaimIsBoundThenReady() {
    GenericKubernetesResource isvc =
        SimTestObjects.withClaim(isvc("gate-pvc", "chat", "aim:1"), "weights");
    isvcs(client).resource(isvc).create();

    awaitBlocked("gate-pvc", "chat", "PVCNotBound");
    assertThat(condition(get("gate-pvc", "chat"), "Ready").orElseThrow().get("message"))
        .asString()
        .contains("weights");
    Pod pending = onlyPod("gate-pvc", "chat");
    assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pending.getSpec().getNodeName()).isNull();
    PodCondition scheduled = podCondition(pending, "PodScheduled");
    assertThat(scheduled.getStatus()).isEqualTo("False");
    assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
    assertThat(eventsOf(client, pending))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("FailedScheduling");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains("persistentvolumeclaim \"weights\" not found");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo(pending.getMetadata().getUid());
            });

    // The claim appears and the simulated provisioner binds it: the predictor starts.
    client.resource(SimTestObjects.claim("gate-pvc", "weights")).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> readyIs(get("gate-pvc", "chat"), "True"));
    Pod running = onlyPod("gate-pvc", "chat");
    assertThat(running.getMetadata().getName()).isEqualTo(pending.getMetadata().getName());
    assertThat(running.getStatus().getPhase()).isEqualTo("Running");
    assertThat(running.getSpec().getNodeName()).startsWith("dev-gpu-node-");
    assertThat(podCondition(running, "PodScheduled").getStatus()).isEqualTo("True");
  }

  @Test
  void unknownImageStaysInImagePullBackOff() {
    isvcs(client).resource(isvc("gate-img", "chat", "unknown.example/aim:9")).create();

    awaitBlocked("gate-img", "chat", "ImagePullBackOff");
    Pod pod = onlyPod("gate-img", "chat");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pod.getSpec().getNodeName()).isNotNull();
    ContainerStatus main = mainStatus(pod);
    assertThat(main.getReady()).isFalse();
    assertThat(main.getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    assertThat(main.getState().getWaiting().getMessage()).contains("unknown.example/aim:9");
    assertThat(eventsOf(client, pod))
        .extracting(Event::getReason, Event::getMessage)
        .anySatisfy(t -> assertThat(t.toList()).containsExactly("Failed", "Error: ErrImagePull"))
        .anySatisfy(
            t ->
                assertThat(t.toList().get(1))
                    .asString()
                    .contains("Failed to pull image \"unknown.example/aim:9\""));
  }

  @Test
  void injectedServerlessModeRejectedLeavesNoPodsOnlyKServesWarning() {
    isvcs(client)
        .resource(
            annotate(
                isvc("inj-serverless", "chat", "aim:1"),
                PredictorGate.INJECT_ANNOTATION,
                "ServerlessModeRejected"))
        .create();

    awaitBlocked("inj-serverless", "chat", "ServerlessModeRejected");
    assertThat(predictorPods(client, "inj-serverless", "chat")).isEmpty();
    assertThat(eventsOf(client, get("inj-serverless", "chat")))
        .singleElement()
        .satisfies(e -> assertThat(e.getSource().getComponent()).isEqualTo("kserve-controller-manager"));
  }

  @Test
  void injectedFailedScheduling() {
    isvcs(client)
        .resource(
            annotate(
                isvc("inj-sched", "chat", "aim:1"),
                PredictorGate.INJECT_ANNOTATION,
                "FailedScheduling"))
        .create();

    awaitBlocked("inj-sched", "chat", "FailedScheduling");
    Pod pod = onlyPod("inj-sched", "chat");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pod.getSpec().getNodeName()).isNull();
    PodCondition scheduled = podCondition(pod, "PodScheduled");
    assertThat(scheduled.getStatus()).isEqualTo("False");
    assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
    assertThat(eventsOf(client, pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("FailedScheduling");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .isEqualTo("0/2 nodes are available: 2 Insufficient amd.com/gpu.");
              assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
            });
  }

  @Test
  void injectedImagePullBackOff() {
    isvcs(client)
        .resource(
            annotate(
                isvc("inj-pull", "chat", "aim:1"),
                PredictorGate.INJECT_ANNOTATION,
                "imagepullbackoff"))
        .create();

    awaitBlocked("inj-pull", "chat", "ImagePullBackOff");
    Pod pod = onlyPod("inj-pull", "chat");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(mainStatus(pod).getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    assertThat(eventsOf(client, pod))
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).isEqualTo("Error: ImagePullBackOff");
              assertThat(e.getInvolvedObject().getFieldPath())
                  .isEqualTo("spec.containers{kserve-container}");
            });
  }

  @Test
  void injectedCrashLoopBackOff() {
    isvcs(client)
        .resource(
            annotate(
                isvc("inj-crash", "chat", "aim:1"),
                PredictorGate.INJECT_ANNOTATION,
                "CrashLoopBackOff"))
        .create();

    awaitBlocked("inj-crash", "chat", "CrashLoopBackOff");
    Pod pod = onlyPod("inj-crash", "chat");
    assertCrashLooping(pod, "Error", 1);
    assertThat(podCondition(pod, "Ready").getStatus()).isEqualTo("False");
    assertThat((String) get("inj-crash", "chat").get("status", "modelStatus", "transitionStatus"))
        .isEqualTo("BlockedByFailedLoad");
  }

  @Test
  void injectedOomKilled() {
    isvcs(client)
        .resource(
            annotate(
                isvc("inj-oom", "chat", "aim:1"), PredictorGate.INJECT_ANNOTATION, "OOMKilled"))
        .create();

    awaitBlocked("inj-oom", "chat", "OOMKilled");
    assertCrashLooping(onlyPod("inj-oom", "chat"), "OOMKilled", 137);
  }

  private static void assertCrashLooping(Pod pod, String lastReason, int exitCode) {
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    ContainerStatus main = mainStatus(pod);
    assertThat(main.getReady()).isFalse();
    assertThat(main.getRestartCount()).isPositive();
    assertThat(main.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(main.getLastState().getTerminated().getReason()).isEqualTo(lastReason);
    assertThat(main.getLastState().getTerminated().getExitCode()).isEqualTo(exitCode);
    assertThat(eventsOf(client, pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("BackOff");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .startsWith("Back-off restarting failed container kserve-container");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
            });
  }

  @Test
  void injectionOnTheOwningAimServiceBreaksAReadyPredictorUntilRemoved() {
    var services =
        client.genericKubernetesResources(PredictorGate.AIM_SERVICES).inNamespace("inj-owner");
    GenericKubernetesResource service = new GenericKubernetesResource();
    service.setApiVersion("aim.eai.amd.com/v1alpha1");
    service.setKind("AIMService");
    service.setMetadata(
        new ObjectMetaBuilder().withName("qwen3-chat").withNamespace("inj-owner").build());
    service.setAdditionalProperty("spec", Map.of("model", Map.of("name", "qwen3")));
    GenericKubernetesResource owner = services.resource(service).create();
    GenericKubernetesResource isvc = isvc("inj-owner", "chat", "aim:1");
    isvc.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion("aim.eai.amd.com/v1alpha1")
                    .withKind("AIMService")
                    .withName("qwen3-chat")
                    .withUid(owner.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    isvcs(client).resource(isvc).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> readyIs(get("inj-owner", "chat"), "True"));

    services
        .withName("qwen3-chat")
        .edit(s -> annotate(s, PredictorGate.INJECT_ANNOTATION, "CrashLoopBackOff"));
    awaitBlocked("inj-owner", "chat", "CrashLoopBackOff");
    assertCrashLooping(onlyPod("inj-owner", "chat"), "Error", 1);

    services.withName("qwen3-chat").edit(s -> annotate(s, PredictorGate.INJECT_ANNOTATION, null));
    await().atMost(Duration.ofSeconds(10)).until(() -> readyIs(get("inj-owner", "chat"), "True"));
    Pod pod = onlyPod("inj-owner", "chat");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(mainStatus(pod).getReady()).isTrue();
  }
}
