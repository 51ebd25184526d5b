package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the dev-mode components: the embedded Temporal server (real gRPC), the dev Kubernetes API, the
 * cluster simulator, a worker and the watch bridge ({@link DevModeHarness}). Manifests go in through the Kubernetes
 * API, as kubectl would send them; everything else happens through workflows.
 */
class DevModeE2ETest extends DevModeHarness {
  @Test
  void sampleServiceReachesRunning(@TempDir Path dir) throws IOException {
    Path samples = copySamples(dir, "e2e-samples");
    Samples.apply(client, samples);

    awaitStatus("e2e-samples", "qwen3-chat", "Running", Duration.ofSeconds(90));
    AIMService svc = service("e2e-samples", "qwen3-chat");
    assertThat(svc.getStatus().observedGeneration).isEqualTo(svc.getMetadata().getGeneration());
    assertThat(svc.getStatus().resolvedModel.name).isEqualTo("qwen3-32b");
    assertThat(svc.getStatus().resolvedTemplate.name).isEqualTo("qwen3-32b-mi300x-fp16-latency");
    assertThat(condition(svc, "Ready").getStatus()).isEqualTo("True");
    assertThat(svc.getMetadata().getFinalizers()).contains("aim.eai.amd.com/template-cache-cleanup");
    assertThat(new Kube(client, ApplyMode.CREATE_OR_MERGE_PATCH).inferenceService("e2e-samples", aim.orchestrator.naming.DerivedNames.inferenceService("qwen3-chat", "e2e-samples")).get())
        .isNotNull();
    var template =
        client.resources(aim.orchestrator.model.AIMServiceTemplate.class).inNamespace("e2e-samples").withName("qwen3-32b-mi300x-fp16-latency").get();
    Condition discovered = Conditions.find(template.getStatus().conditions, "Discovered");
    assertThat(discovered.getStatus()).isEqualTo("True");
    assertThat(discovered.getReason()).isEqualTo("InlineModelSources");
    var pvcs = client.persistentVolumeClaims().inNamespace("e2e-samples").list().getItems();
    assertThat(pvcs).hasSize(1);
    // The download Job ran this project's downloader against the dev model hub into the PVC's folder, in the
    // repository's own layout.
    Path volume = env.volumes().resolve("e2e-samples").resolve(pvcs.get(0).getMetadata().getName());
    assertThat(volume.resolve("config.json")).exists();
    assertThat(volume.resolve("model.safetensors")).exists();
    var artifact = client.resources(aim.orchestrator.model.AIMArtifact.class).inNamespace("e2e-samples").list().getItems().get(0);
    assertThat(artifact.getStatus().progress.displayPercentage).isEqualTo("100%");

    // The sample runtime config routes services at /<namespace>/<name> through the gateway: a chat completion
    // sent to the dev gateway reaches the service's (simulated) OpenAI-compatible server.
    assertThat(svc.getStatus().routing.path).isEqualTo("/e2e-samples/qwen3-chat");
    assertThat(condition(svc, "HTTPRouteReady").getReason()).isEqualTo("HTTPRouteAccepted");
    int port = env.simulator().gatewayPort().orElseThrow();
    var http = java.net.http.HttpClient.newHttpClient();
    var response =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    http.send(
                        java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + "/e2e-samples/qwen3-chat/v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .POST(
                                java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"Qwen/Qwen3-32B\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()),
                r -> r.statusCode() == 200);
    assertThat(response.body()).contains("\"model\":\"Qwen/Qwen3-32B\"").contains("chat.completion");
  }

  @Test
  void survivesAWorkerKilledBetweenStages(@TempDir Path dir) throws IOException {
    Path samples = copySamples(dir, "e2e-crash");
    Samples.apply(client, samples);

    // Kill the worker once the service is past resolution but before its InferenceService exists.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !client.resources(AIMTemplateCache.class).inNamespace("e2e-crash").list().getItems().isEmpty());
    assertThat(service("e2e-crash", "qwen3-chat").getStatus().status.name()).isNotEqualTo("Running");
    worker.kill();
    worker = Worker.start();

    awaitStatus("e2e-crash", "qwen3-chat", "Running", Duration.ofSeconds(120));
    assertThat(
            client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace("e2e-crash").list().getItems())
        .hasSize(1);
    assertThat(client.resources(AIMTemplateCache.class).inNamespace("e2e-crash").list().getItems()).hasSize(1);
    assertThat(client.persistentVolumeClaims().inNamespace("e2e-crash").list().getItems()).hasSize(1);
  }

  /**
   * The catalog pack's AIMClusterModel alone yields templates (one per recommended deployment), each discovers
   * through a discovery Job that the simulator answers like the real image, the MI300X ones become Ready (the dev
   * cluster has MI300X nodes; the others are NotAvailable), and a service naming only the model reaches Running.
   */
  @Test
  void aCatalogModelGetsDiscoveredTemplatesAndServesByName(@TempDir Path dir) throws IOException {
    Files.copy(Path.of("..", "k8s", "catalog", "pack", "smollm2-135m.yaml"), dir.resolve("10-model.yaml"));
    Files.writeString(
        dir.resolve("20-service.yaml"),
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMService
        metadata:
          name: smol
          namespace: e2e-catalog
        spec:
          model:
            name: smollm2-135m
        """);
    Samples.apply(client, dir);

    awaitStatus("e2e-catalog", "smol", "Running", Duration.ofSeconds(120));
    var templates = client.resources(aim.orchestrator.model.AIMClusterServiceTemplate.class).list().getItems().stream()
        .filter(t -> "smollm2-135m".equals(t.getSpec().modelName))
        .toList();
    assertThat(templates).hasSize(6);
    assertThat(templates)
        .allSatisfy(t -> assertThat(t.getMetadata().getLabels()).containsEntry("aim.eai.amd.com/origin", "auto-generated"));
    var mi300x = templates.stream().filter(t -> "MI300X".equals(t.getSpec().hardware.gpu.model)).toList();
    assertThat(mi300x).hasSize(3).allSatisfy(t -> {
      assertThat(t.getStatus().status).isEqualTo(aim.orchestrator.model.ResourceStatusValue.Ready);
      assertThat(Conditions.find(t.getStatus().conditions, "Discovered").getReason()).isEqualTo("DiscoveryComplete");
      assertThat(t.getStatus().modelSources.get(0).modelId).isEqualTo("HuggingFaceTB/SmolLM2-135M");
      assertThat(t.getStatus().profile.metadata.engine).isEqualTo("vllm");
    });
    assertThat(templates.stream().filter(t -> !"MI300X".equals(t.getSpec().hardware.gpu.model)))
        .allSatisfy(t -> assertThat(t.getStatus().status).isEqualTo(aim.orchestrator.model.ResourceStatusValue.NotAvailable));
    // The discovery Jobs of cluster templates ran in the operator namespace.
    assertThat(client.batch().v1().jobs().inNamespace("aim-system").withLabel("app.kubernetes.io/name", "aim-discovery").list().getItems())
        .isNotEmpty();
    AIMService svc = service("e2e-catalog", "smol");
    assertThat(mi300x.stream().map(t -> t.getMetadata().getName())).contains(svc.getStatus().resolvedTemplate.name);
    var model = client.resources(aim.orchestrator.model.AIMClusterModel.class).withName("smollm2-135m").get();
    assertThat(model.getStatus().status).isEqualTo(aim.orchestrator.model.ResourceStatusValue.Ready);
    assertThat(Conditions.find(model.getStatus().conditions, "ClusterServiceTemplatesReady").getReason()).isEqualTo("SomeTemplatesReady");

    // The templates belong to the model: deleting it garbage-collects them.
    client.resources(aim.orchestrator.model.AIMClusterModel.class).withName("smollm2-135m").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.resources(aim.orchestrator.model.AIMClusterServiceTemplate.class).list().getItems().stream()
            .noneMatch(t -> "smollm2-135m".equals(t.getSpec().modelName)));
  }

  /**
   * A service by image only: its AIMModel is created under the reference's name, the model's metadata is read from
   * the (dev) registry through the worker's registry client, the image's recommended deployments become namespaced
   * templates that discover, and the service auto-selects one and reaches Running.
   */
  @Test
  void aServiceByImageCreatesItsModelFromRegistryLabels(@TempDir Path dir) throws IOException {
    // An image no other test applies a model for, so the service cannot find an existing model by image.
    String image = "amdenterpriseai/aim-meta-llama-llama-3-1-8b-instruct:0.11.0";
    Files.writeString(
        dir.resolve("svc.yaml"),
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMService
        metadata:
          name: by-image
          namespace: e2e-image
        spec:
          model:
            image: %s
        """.formatted(image));
    Samples.apply(client, dir);

    awaitStatus("e2e-image", "by-image", "Running", Duration.ofSeconds(120));
    String modelName = aim.orchestrator.naming.DerivedNames.modelForImage(image);
    AIMModel model = client.resources(AIMModel.class).inNamespace("e2e-image").withName(modelName).get();
    assertThat(model.getSpec().imageMetadata).as("nothing inline: the labels came from the registry").isNull();
    assertThat(model.getStatus().imageMetadata.model.canonicalName).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(Conditions.find(model.getStatus().conditions, "ImageMetadataReady").getReason()).isEqualTo("ImageMetadataFound");
    var templates = client.resources(aim.orchestrator.model.AIMServiceTemplate.class).inNamespace("e2e-image").list().getItems();
    assertThat(templates).hasSize(model.getStatus().imageMetadata.model.recommendedDeployments.size()).hasSizeGreaterThan(1);
    AIMService svc = service("e2e-image", "by-image");
    assertThat(svc.getStatus().resolvedModel.name).isEqualTo(modelName);
    assertThat(templates.stream().map(t -> t.getMetadata().getName())).contains(svc.getStatus().resolvedTemplate.name);
  }

  @Test
  void serviceNamingAMissingModelFailsAndCreatesNothing(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("svc.yaml"),
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMService
        metadata:
          name: orphan
          namespace: e2e-missing
        spec:
          model:
            name: no-such-model
          template:
            name: no-such-template
        """);
    Samples.apply(client, dir);

    awaitStatus("e2e-missing", "orphan", "Failed", Duration.ofSeconds(60));
    AIMService svc = service("e2e-missing", "orphan");
    Condition model = condition(svc, "ModelReady");
    assertThat(model.getStatus()).isEqualTo("False");
    assertThat(model.getReason()).isEqualTo("ModelNotFound");
    assertThat(condition(svc, "ConfigValid").getReason()).isEqualTo("ReferenceNotFound");
    assertThat(client.resources(AIMModel.class).inNamespace("e2e-missing").list().getItems()).isEmpty();
    assertThat(client.resources(AIMTemplateCache.class).inNamespace("e2e-missing").list().getItems()).isEmpty();
    assertThat(client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace("e2e-missing").list().getItems())
        .isEmpty();
  }

  @Test
  void deleteTearsDownAndARecreatedServiceStartsFresh(@TempDir Path dir) throws IOException {
    String ns = "e2e-delete";
    Path samples = copySamples(dir, ns);
    Samples.apply(client, samples);
    awaitStatus(ns, "qwen3-chat", "Running", Duration.ofSeconds(90));
    String oldUid = service(ns, "qwen3-chat").getMetadata().getUid();

    client.resources(AIMService.class).inNamespace(ns).withName("qwen3-chat").delete();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> service(ns, "qwen3-chat") == null);
    assertThat(client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(ns).list().getItems()).isEmpty();
    // The Ready shared cache outlives the service, for the next one.
    assertThat(client.resources(AIMTemplateCache.class).inNamespace(ns).list().getItems()).hasSize(1);

    Path again = Files.createDirectories(dir.resolve("again"));
    Files.copy(samples.resolve("30-service.yaml"), again.resolve("30-service.yaml"));
    Samples.apply(client, again);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              AIMService s = service(ns, "qwen3-chat");
              return s != null
                  && !s.getMetadata().getUid().equals(oldUid)
                  && s.getStatus() != null
                  && s.getStatus().status != null
                  && s.getStatus().status.name().equals("Running");
            });
    String newUid = service(ns, "qwen3-chat").getMetadata().getUid();
    var isvcs = client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(ns).list().getItems();
    assertThat(isvcs).hasSize(1);
    assertThat(isvcs.get(0).getMetadata().getOwnerReferences()).extracting("uid").containsExactly(newUid);
    assertThat(client.resources(AIMTemplateCache.class).inNamespace(ns).list().getItems()).hasSize(1);
  }

  @Test
  void handDeletedInferenceServiceAndRouteAreRestored(@TempDir Path dir) throws IOException {
    String ns = "e2e-drift";
    Samples.apply(client, copySamples(dir, ns));
    awaitStatus(ns, "qwen3-chat", "Running", Duration.ofSeconds(90));
    String name = aim.orchestrator.naming.DerivedNames.inferenceService("qwen3-chat", ns);
    var isvcs = client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(ns);
    var routes = client.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).inNamespace(ns);
    String oldIsvc = isvcs.withName(name).get().getMetadata().getUid();
    String oldRoute = routes.withName(name).get().getMetadata().getUid();

    isvcs.withName(name).delete();
    routes.withName(name).delete();

    // The owner informer wakes the service's workflow, which re-applies both (well within the 30 s asked).
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              var i = isvcs.withName(name).get();
              var r = routes.withName(name).get();
              return i != null && r != null && !i.getMetadata().getUid().equals(oldIsvc) && !r.getMetadata().getUid().equals(oldRoute);
            });
    awaitStatus(ns, "qwen3-chat", "Running", Duration.ofSeconds(30));
  }

  @Test
  void aReplicaChangeReachesTheInferenceServiceAndObservedGenerationFollows(@TempDir Path dir) throws IOException {
    String ns = "e2e-update";
    Samples.apply(client, copySamples(dir, ns));
    awaitStatus(ns, "qwen3-chat", "Running", Duration.ofSeconds(90));
    client.resources(AIMService.class).inNamespace(ns).withName("qwen3-chat").edit(s -> {
      s.getSpec().replicas = 2;
      return s;
    });
    String name = aim.orchestrator.naming.DerivedNames.inferenceService("qwen3-chat", ns);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              var isvc = client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(ns).withName(name).get();
              AIMService s = service(ns, "qwen3-chat");
              return client.getKubernetesSerialization().asJson(isvc).contains("\"minReplicas\":2")
                  && s.getStatus().observedGeneration.equals(s.getMetadata().getGeneration())
                  && "2".equals(s.getStatus().runtime.replicas)
                  && "Running".equals(s.getStatus().status.name());
            });
  }

  @Test
  void crashingOrUnschedulablePodsKeepTheServiceFromRunning(@TempDir Path dir) throws IOException {
    String ns = "e2e-faults";
    Path samples = copySamples(dir, ns);
    String service = Files.readString(samples.resolve("30-service.yaml"));
    Files.writeString(
        samples.resolve("30-service.yaml"),
        service.replace("namespace: " + ns + "\n", "namespace: " + ns + "\n  annotations:\n    sim.dev.aim/inject: CrashLoopBackOff\n"));
    Files.writeString(
        samples.resolve("31-service.yaml"),
        service
            .replace("name: qwen3-chat", "name: qwen3-pending")
            .replace("namespace: " + ns + "\n", "namespace: " + ns + "\n  annotations:\n    sim.dev.aim/inject: FailedScheduling\n"));
    Samples.apply(client, samples);

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              AIMService s = service(ns, "qwen3-chat");
              Condition pods = s == null || s.getStatus() == null ? null : condition(s, "InferenceServicePodsReady");
              return pods != null && "CrashLoopBackOff".equals(pods.getReason());
            });
    assertThat(service(ns, "qwen3-chat").getStatus().status.name()).isIn("Degraded", "Starting");
    awaitStatus(ns, "qwen3-pending", "Pending", Duration.ofSeconds(60));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "FailedScheduling".equals(condition(service(ns, "qwen3-pending"), "InferenceServicePodsReady").getReason()));
    // Neither ever claims Running while its pods are broken.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(
        () -> !"Running".equals(service(ns, "qwen3-chat").getStatus().status.name())
            && !"Running".equals(service(ns, "qwen3-pending").getStatus().status.name()));
  }

  @Test
  void anAutoscaledServiceGetsKedaAndReportsItsReplicas(@TempDir Path dir) throws IOException {
    String ns = "e2e-autoscale";
    Path samples = copySamples(dir, ns);
    Files.writeString(
        samples.resolve("30-service.yaml"),
        Files.readString(samples.resolve("30-service.yaml"))
            + """
              minReplicas: 1
              maxReplicas: 3
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
            """);
    Samples.apply(client, samples);

    awaitStatus(ns, "qwen3-chat", "Running", Duration.ofSeconds(90));
    AIMService svc = service(ns, "qwen3-chat");
    assertThat(condition(svc, "HPAReady").getReason()).isEqualTo("HPAOperational");
    assertThat(svc.getStatus().runtime.replicas).isEqualTo("1/1 (1-3)");
    String isvc = aim.orchestrator.naming.DerivedNames.inferenceService("qwen3-chat", ns);
    var obj = client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(ns).withName(isvc).get();
    assertThat(obj.getMetadata().getAnnotations()).containsEntry("serving.kserve.io/autoscalerClass", "keda");
    assertThat(client.getKubernetesSerialization().asJson(obj))
        .contains("\"podmetric\"")
        .contains("vllm:num_requests_running")
        .contains("\"maxReplicas\":3");
    assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("keda-hpa-" + isvc + "-predictor").get())
        .isNotNull();
  }

  @Test
  void twoIdenticalCustomModelServicesShareOneModelAndRun(@TempDir Path dir) throws IOException {
    String ns = "e2e-custom";
    String service =
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMService
        metadata:
          name: %s
          namespace: e2e-custom
        spec:
          model:
            custom:
              baseImage: amdenterpriseai/aim-base:0.9
              modelSources:
                - modelId: acme/fine-tuned-llama
                  sourceUri: hf://acme/fine-tuned-llama
                  size: 2Gi
              hardware:
                gpu:
                  requests: 1
                  model: MI300X
          template:
            allowUnoptimized: true
        """;
    // The weights are the user's own: a repository folder of the dev model hub.
    Path repo = env.hubFolder().resolve("acme/fine-tuned-llama");
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("config.json"), "{\"model_type\": \"llama\", \"note\": \"fine-tuned by acme\"}\n");
    byte[] weights = new byte[200_000];
    new java.util.Random(7).nextBytes(weights);
    Files.write(repo.resolve("model.safetensors"), weights);
    Files.writeString(dir.resolve("a.yaml"), service.formatted("custom-a"));
    Files.writeString(dir.resolve("b.yaml"), service.formatted("custom-b"));
    Samples.apply(client, dir);

    awaitStatus(ns, "custom-a", "Running", Duration.ofSeconds(90));
    awaitStatus(ns, "custom-b", "Running", Duration.ofSeconds(90));
    var models = client.resources(AIMModel.class).inNamespace(ns).list().getItems();
    assertThat(models).hasSize(1);
    assertThat(models.get(0).getMetadata().getLabels()).containsEntry("aim.eai.amd.com/custom-model", "true");
    assertThat(models.get(0).getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(service(ns, "custom-a").getStatus().resolvedModel.name).isEqualTo(models.get(0).getMetadata().getName());
    assertThat(service(ns, "custom-b").getStatus().resolvedModel.name).isEqualTo(models.get(0).getMetadata().getName());
    var isvc =
        client.genericKubernetesResources(Kube.INFERENCE_SERVICES).inNamespace(ns)
            .withName(aim.orchestrator.naming.DerivedNames.inferenceService("custom-a", ns)).get();
    assertThat(client.getKubernetesSerialization().asJson(isvc)).contains("\"AIM_MODEL_ID\"").contains("acme/fine-tuned-llama");
    // What the download Job wrote into the shared cache's volume is the repository folder's file, byte for byte.
    try (var files = Files.walk(env.volumes().resolve(ns))) {
      Path downloaded =
          files.filter(f -> f.getFileName().toString().equals("model.safetensors")).findFirst().orElseThrow();
      assertThat(Files.readAllBytes(downloaded)).isEqualTo(weights);
    }
  }


}
