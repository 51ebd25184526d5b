package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.Aim;
import aim.orchestrator.naming.DerivedNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's life in dev mode, as docs/routing.md, docs/scaling.md and docs/deletion.md walk through it: routed
 * and autoscaled, answering a chat completion through the dev gateway, scaled, deleted (also with the worker killed
 * during the teardown, and re-created under the same name at once), and compensated when KServe rejects it.
 */
class ServiceLifecycleE2ETest extends DevModeHarness {
  private static final String NAME = "qwen3-chat";

  @Test
  void walkThroughRoutingAutoscalingScalingAndDeletion(@TempDir Path dir) throws Exception {
    String ns = "e2e-walkthrough";
    Path samples = copySamples(dir, ns);
    writeService(
        samples,
        ns,
        """
          labels:
            app.kubernetes.io/name: chat
        """,
        """
          minReplicas: 1
          maxReplicas: 2
          autoScaling:
            metrics:
              - type: PodMetric
                podmetric:
                  metric:
                    backend: opentelemetry
                    metricNames: [vllm:num_requests_running]
                    query: vllm:num_requests_running
                    operationOverTime: avg
                  target:
                    type: Value
                    value: "1"
          routing:
            pathTemplate: "/{.metadata.namespace}/{.metadata.labels['app.kubernetes.io/name']}"
        """);
    Samples.apply(client, samples);

    awaitStatus(ns, NAME, "Running", Duration.ofSeconds(90));
    AIMService svc = service(ns, NAME);
    assertThat(svc.getStatus().routing.path).isEqualTo("/" + ns + "/chat");
    assertThat(condition(svc, "HTTPRouteReady").getReason()).isEqualTo("HTTPRouteAccepted");
    assertThat(condition(svc, "HPAReady").getReason()).isEqualTo("HPAOperational");
    assertThat(svc.getStatus().runtime.replicas).isEqualTo("1/1 (1-2)");

    // A chat completion through the dev gateway at the rendered path reaches the service.
    HttpResponse<String> answer = chat(svc.getStatus().routing.path);
    assertThat(answer.body()).contains("chat.completion").contains("\"model\":\"Qwen/Qwen3-32B\"");

    // Scale: min 2, max 4. The InferenceService, KEDA's HPA and status.runtime follow.
    client.resources(AIMService.class).inNamespace(ns).withName(NAME).edit(s -> {
      s.getSpec().minReplicas = 2;
      s.getSpec().maxReplicas = 4;
      return s;
    });
    String isvc = DerivedNames.inferenceService(NAME, ns);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              AIMService s = service(ns, NAME);
              var hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("keda-hpa-" + isvc + "-predictor").get();
              return Integer.valueOf(2).equals(predictor(ns, isvc).get("minReplicas"))
                  && Integer.valueOf(4).equals(predictor(ns, isvc).get("maxReplicas"))
                  && hpa != null
                  && Integer.valueOf(2).equals(hpa.getSpec().getMinReplicas())
                  && hpa.getSpec().getMaxReplicas() == 4
                  && s.getStatus().observedGeneration.equals(s.getMetadata().getGeneration())
                  && "2/2 (2-4)".equals(s.getStatus().runtime.replicas)
                  && "Running".equals(s.getStatus().status.name());
            });
    assertThat(client.pods().inNamespace(ns).withLabel("serving.kserve.io/inferenceservice", isvc).list().getItems()).hasSize(2);
    assertThat(chat("/" + ns + "/chat").statusCode()).isEqualTo(200);

    // Delete: what the service made goes, what it shares stays.
    String uid = svc.getMetadata().getUid();
    client.resources(AIMService.class).inNamespace(ns).withName(NAME).delete();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> service(ns, NAME) == null);
    assertRemainsAfterDeletion(ns, uid);
  }

  @Test
  void theWorkerKilledDuringTheTeardownLeavesNothingHalfDone(@TempDir Path dir) throws Exception {
    String ns = "e2e-teardown-crash";
    Samples.apply(client, copySamples(dir, ns));
    awaitStatus(ns, NAME, "Running", Duration.ofSeconds(90));
    String uid = service(ns, NAME).getMetadata().getUid();
    var route = client.resources(HTTPRoute.class).inNamespace(ns).withName(DerivedNames.httpRoute(NAME, ns));
    assertThat(route.get()).isNotNull();

    // No worker while the deletion arrives; the next one is killed as soon as the teardown has begun.
    worker.kill();
    client.resources(AIMService.class).inNamespace(ns).withName(NAME).delete();
    assertThat(service(ns, NAME).getMetadata().getDeletionTimestamp()).isNotNull();
    worker = Worker.start();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> route.get() == null);
    worker.kill();
    worker = Worker.start();

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> service(ns, NAME) == null);
    assertRemainsAfterDeletion(ns, uid);
  }

  @Test
  void deletingAndCreatingTheSameNameAtOnceLeavesOnlyTheNewServiceRunning(@TempDir Path dir) throws Exception {
    String ns = "e2e-recreate";
    Path samples = copySamples(dir, ns);
    Samples.apply(client, samples);
    awaitStatus(ns, NAME, "Running", Duration.ofSeconds(90));
    AIMService old = service(ns, NAME);
    String oldUid = old.getMetadata().getUid();

    client.resources(AIMService.class).inNamespace(ns).withName(NAME).delete();
    // At once: create again, as `kubectl apply` in a loop would, for as long as the old object still exists.
    AIMService fresh = new AIMService();
    fresh.getMetadata().setName(NAME);
    fresh.getMetadata().setNamespace(ns);
    fresh.setSpec(old.getSpec());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(() -> client.resources(AIMService.class).inNamespace(ns).resource(fresh).create() != null);
    String newUid = service(ns, NAME).getMetadata().getUid();
    assertThat(newUid).isNotEqualTo(oldUid);

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              AIMService s = service(ns, NAME);
              return s.getStatus() != null && s.getStatus().status != null && "Running".equals(s.getStatus().status.name());
            });
    AIMService running = service(ns, NAME);
    assertThat(running.getMetadata().getUid()).isEqualTo(newUid);
    assertThat(running.getStatus().observedGeneration).isEqualTo(running.getMetadata().getGeneration());
    assertThat(ownedBy(ns, oldUid)).as("objects of the old service").isEmpty();
    String isvc = DerivedNames.inferenceService(NAME, ns);
    assertThat(inferenceServices(ns)).singleElement().satisfies(i -> {
      assertThat(i.getMetadata().getName()).isEqualTo(isvc);
      assertThat(i.getMetadata().getOwnerReferences()).extracting("uid").containsExactly(newUid);
    });
    assertThat(client.resources(HTTPRoute.class).inNamespace(ns).list().getItems())
        .singleElement()
        .satisfies(r -> assertThat(r.getMetadata().getOwnerReferences()).extracting("uid").containsExactly(newUid));
    assertThat(client.resources(AIMTemplateCache.class).inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(chat(running.getStatus().routing.path).statusCode()).isEqualTo(200);
  }

  @Test
  void aDeploymentKServeRejectsIsCompensatedAndASpecChangeDeploysAgain(@TempDir Path dir) throws Exception {
    String ns = "e2e-compensate";
    Path samples = copySamples(dir, ns);
    writeService(
        samples,
        ns,
        """
          annotations:
            sim.dev.aim/inject: ServerlessModeRejected
        """,
        """
          caching:
            mode: Dedicated
        """);
    Samples.apply(client, samples);

    // Failed as soon as KServe says why; compensated after the 30 s grace period.
    awaitStatus(ns, NAME, "Failed", Duration.ofSeconds(120));
    assertThat(condition(service(ns, NAME), "InferenceServiceReady").getReason()).isEqualTo("ServerlessModeRejected");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> condition(service(ns, NAME), Aim.CONDITION_COMPENSATED) != null);
    AIMService svc = service(ns, NAME);
    String uid = svc.getMetadata().getUid();
    assertThat(svc.getStatus().status.name()).isEqualTo("Failed");
    var compensated = condition(svc, Aim.CONDITION_COMPENSATED);
    assertThat(compensated.getStatus()).isEqualTo("True");
    assertThat(compensated.getReason()).isEqualTo(Aim.REASON_TERMINAL_FAILURE);
    assertThat(compensated.getMessage()).contains("ServerlessModeRejected");
    assertThat(condition(svc, "Ready").getReason()).isEqualTo("ServerlessModeRejected");
    assertThat(svc.getMetadata().getFinalizers()).contains(Aim.FINALIZER_SERVICE);
    assertThat(inferenceServices(ns)).isEmpty();
    assertThat(client.resources(HTTPRoute.class).inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.resources(AIMTemplateCache.class).inNamespace(ns).list().getItems())
        .as("the Dedicated cache is removed")
        .isEmpty();
    assertThat(client.resources(AIMModel.class).inNamespace(ns).withName("qwen3-32b").get()).isNotNull();
    // Halted: nothing comes back while the generation stays.
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> inferenceServices(ns).isEmpty());

    // The user fixes the cause and changes the spec: a new deployment that reaches Running.
    client.resources(AIMService.class).inNamespace(ns).withName(NAME).edit(s -> {
      s.getMetadata().getAnnotations().remove("sim.dev.aim/inject");
      s.getSpec().caching = null;
      return s;
    });
    awaitStatus(ns, NAME, "Running", Duration.ofSeconds(120));
    AIMService again = service(ns, NAME);
    assertThat(again.getMetadata().getUid()).isEqualTo(uid);
    assertThat(condition(again, Aim.CONDITION_COMPENSATED)).isNull();
    assertThat(inferenceServices(ns)).hasSize(1);
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  /** The sample service with extra metadata and spec lines (YAML, indented as under {@code metadata:}/{@code spec:}). */
  private static void writeService(Path samples, String ns, String metadata, String spec) throws IOException {
    Path file = samples.resolve("30-service.yaml");
    String yaml = Files.readString(file).replace("namespace: " + ns + "\n", "namespace: " + ns + "\n" + metadata);
    Files.writeString(file, yaml + spec);
  }

  private static HttpResponse<String> chat(String path) {
    int port = env.simulator().gatewayPort().orElseThrow();
    HttpClient http = HttpClient.newHttpClient();
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"Qwen/Qwen3-32B\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()),
            r -> r.statusCode() == 200);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> predictor(String ns, String isvc) {
    GenericKubernetesResource obj = client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(ns).withName(isvc).get();
    return (Map<String, Object>) obj.get("spec", "predictor");
  }

  private static List<GenericKubernetesResource> inferenceServices(String ns) {
    return client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(ns).list().getItems();
  }

  /** The objects in {@code ns} of the kinds a service creates that name {@code uid} as an owner. */
  private static List<String> ownedBy(String ns, String uid) {
    Stream<HasMetadata> all =
        Stream.of(
                inferenceServices(ns),
                client.resources(HTTPRoute.class).inNamespace(ns).list().getItems(),
                client.resources(AIMTemplateCache.class).inNamespace(ns).list().getItems(),
                client.resources(AIMServiceTemplate.class).inNamespace(ns).list().getItems())
            .flatMap(List::stream)
            .map(HasMetadata.class::cast);
    return all.filter(o -> o.getMetadata().getOwnerReferences() != null
            && o.getMetadata().getOwnerReferences().stream().anyMatch(r -> uid.equals(r.getUid())))
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .toList();
  }

  /**
   * After the sample service is deleted: its InferenceService and HTTPRoute are gone and nothing names it as owner;
   * the Ready Shared cache with its artifact and PVC, the model, the template and the runtime config stay.
   */
  private static void assertRemainsAfterDeletion(String ns, String uid) {
    assertThat(inferenceServices(ns)).isEmpty();
    assertThat(client.resources(HTTPRoute.class).inNamespace(ns).list().getItems()).isEmpty();
    assertThat(ownedBy(ns, uid)).isEmpty();
    assertThat(client.resources(AIMTemplateCache.class).inNamespace(ns).list().getItems())
        .singleElement()
        .satisfies(c -> {
          assertThat(c.getSpec().mode).isNotEqualTo(aim.orchestrator.model.AIMTemplateCacheSpec.Mode.Dedicated);
          assertThat(c.getStatus().status).isEqualTo(aim.orchestrator.model.ResourceStatusValue.Ready);
        });
    assertThat(client.resources(aim.orchestrator.model.AIMArtifact.class).inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(client.resources(AIMModel.class).inNamespace(ns).withName("qwen3-32b").get()).isNotNull();
    assertThat(client.resources(AIMServiceTemplate.class).inNamespace(ns).list().getItems())
        .extracting(t -> t.getMetadata().getName())
        .containsExactly("qwen3-32b-mi300x-fp16-latency");
  }
}
