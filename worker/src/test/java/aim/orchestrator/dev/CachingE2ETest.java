package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.dev.sim.SimulatorOptions;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.starter.watch.WatchBridge;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.worker.AimWorkers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Caching end to end on the dev cluster: storage problems and download failures as the simulator produces them
 * (with its failure injection), seen on the artifact, its template cache and the service.
 */
class CachingE2ETest {
  private static DevEnvironment env;
  private static WorkflowServiceStubs stubs;
  private static WorkflowClient temporal;
  private static KubernetesClient client;
  private static KubernetesClient workerClient;
  private static WorkerFactory factory;
  private static WatchBridge bridge;

  @BeforeAll
  static void start() {
    env =
        DevEnvironment.start(
            0,
            0,
            new SimulatorOptions(1, "MI300X", Duration.ofMillis(50))
                .withGatewayPort(SimulatorOptions.GATEWAY_DISABLED)
                .withStorageCapacity(new Quantity("20Gi")));
    // The dev model hub holds the simulated images' models; these tests' own repositories are added here.
    for (String repo :
        java.util.List.of(
            "Qwen/Qwen3-0.6B", "Qwen/Qwen3-1.7B", "Qwen/Qwen3-4B", "acme/slow-model", "acme/cached", "acme/broken",
            "acme/warm", "acme/other", "acme/lost", "acme/drift")) {
      env.hub().add(repo);
    }
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(env.temporalTarget()).build());
    temporal = WorkflowClient.newInstance(stubs);
    client = env.kubernetes().newClient();
    workerClient = env.kubernetes().newClient();
    factory = WorkerFactory.newInstance(temporal);
    AimWorkers.register(
        factory, workerClient, ApplyMode.CREATE_OR_MERGE_PATCH, new AimWorkers.Sizing(10, 10, false), Clock.systemUTC(),
        env.registrySettings(), env.sourceOverrides());
    factory.start();
    bridge = new WatchBridge(env.kubernetes().newClient(), temporal, Duration.ofMinutes(5)).start();
  }

  @AfterAll
  static void stop() {
    bridge.close();
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    workerClient.close();
    client.close();
    stubs.shutdownNow();
    env.close();
  }

  @Test
  void storageProblemsShowOnTheArtifactItsCacheAndTheService() {
    String ns = "e2e-storage";
    apply(
        ns,
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMArtifact
        metadata: {name: no-class, namespace: NS}
        spec: {sourceUri: "hf://Qwen/Qwen3-0.6B", size: 1Gi, storageClassName: fast-nvme}
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMArtifact
        metadata: {name: too-big, namespace: NS}
        spec: {sourceUri: "hf://Qwen/Qwen3-32B", size: 66Gi}
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMArtifact
        metadata:
          name: unbound
          namespace: NS
          annotations: {sim.dev.aim/inject: Unbound}
        spec: {sourceUri: "hf://Qwen/Qwen3-1.7B", size: 1Gi}
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMModel
        metadata: {name: qwen3, namespace: NS}
        spec:
          image: amdenterpriseai/aim-qwen-qwen3-32b:0.8.5
          imageMetadata: {model: {canonicalName: Qwen/Qwen3-4B}}
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMServiceTemplate
        metadata: {name: qwen3-small, namespace: NS}
        spec:
          modelName: qwen3
          hardware: {gpu: {requests: 1, model: MI300X}}
          modelSources: [{modelId: Qwen/Qwen3-4B, sourceUri: "hf://Qwen/Qwen3-4B", size: 1Gi}]
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMService
        metadata: {name: rwo-chat, namespace: NS}
        spec:
          model: {name: qwen3}
          template: {name: qwen3-small}
          caching: {mode: Dedicated}
          storage: {defaultStorageClassName: local-rwo}
        """);

    Condition noClass = awaitArtifactReady(ns, "no-class", "StorageClassMissing");
    assertThat(noClass.getMessage()).contains("StorageClass \"fast-nvme\" does not exist");
    Condition tooBig = awaitArtifactReady(ns, "too-big", "InsufficientCapacity");
    assertThat(tooBig.getMessage()).contains("requested 73Gi");
    Condition unbound = awaitArtifactReady(ns, "unbound", "PVCNotBound");
    assertThat(unbound.getMessage()).contains("injected: volume cannot be provisioned");
    assertThat(artifact(ns, "no-class").getStatus().status.name()).isEqualTo("Failed");

    Condition onService = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> condition(service(ns, "rwo-chat"), AIMService::getStatus, s -> s.conditions, "CacheReady"),
            c -> c != null && "PVCNotBound".equals(c.getReason()));
    assertThat(onService.getMessage()).contains("StorageClass \"local-rwo\" cannot provision ReadWriteMany volumes");
    AIMTemplateCache cache =
        client.resources(AIMTemplateCache.class).inNamespace(ns).list().getItems().stream().findFirst().orElseThrow();
    assertThat(Conditions.find(cache.getStatus().conditions, "ArtifactsReady").getReason()).isEqualTo("PVCNotBound");

    // Creating the class binds the claim and the artifact goes on to download.
    apply(
        ns,
        """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: fast-nvme}
        provisioner: example.com/nvme
        """);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> artifact(ns, "no-class").getStatus().status.name(), s -> s.equals("Ready"));
  }

  @Test
  void aDownloadIsSizedByItsSourceAndShowsProgressUntilVerified() {
    String ns = "e2e-progress";
    // 384 KiB of synthetic weights at 32 KiB/s: about twelve seconds, so that progress (reported at least every 5 s)
    // shows between 0 % and 100 % even on a loaded machine.
    env.hub().throttle(32 * 1024);
    try {
      apply(
          ns,
          """
          apiVersion: aim.eai.amd.com/v1alpha1
          kind: AIMArtifact
          metadata: {name: slow, namespace: NS}
          spec: {sourceUri: "hf://acme/slow-model"}
          """);
      java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
        AIMArtifact a = artifact(ns, "slow");
        if (a != null && a.getStatus() != null && a.getStatus().progress != null && a.getStatus().progress.displayPercentage != null) {
          seen.add(a.getStatus().progress.displayPercentage);
        }
        return a != null && a.getStatus() != null && a.getStatus().status != null && a.getStatus().status.name().equals("Ready");
      });
      AIMArtifact a = artifact(ns, "slow");
      assertThat(a.getStatus().discoveredSizeBytes).isEqualTo(env.hub().files("acme/slow-model").values().stream().mapToLong(b -> b.length).sum());
      assertThat(a.getStatus().displaySize).isEqualTo("380Ki");
      assertThat(a.getStatus().allocatedSize).isEqualTo("1Gi");
      assertThat(a.getStatus().headroomPercent).isEqualTo(10);
      assertThat(a.getStatus().progress.displayPercentage).isEqualTo("100%");
      assertThat(Conditions.find(a.getStatus().conditions, "DownloadComplete").getReason()).isEqualTo("Verified");
      // Progress between the first and the last report, from the downloader's log lines.
      assertThat(seen).anyMatch(p -> !p.equals("0%") && !p.equals("100%"));
      java.nio.file.Path volume = env.volumes().resolve(ns).resolve(a.getStatus().persistentVolumeClaim);
      assertThat(volume.resolve("model.safetensors")).exists();
    } finally {
      env.hub().throttle(0);
    }
  }

  @Test
  void downloadFailuresAreClassifiedFromTheDownloadersResult() {
    String ns = "e2e-download-failures";
    StringBuilder yaml = new StringBuilder();
    for (String reason : java.util.List.of("SourceNotFound", "AuthError", "StorageFull")) {
      yaml.append(
          """
          apiVersion: aim.eai.amd.com/v1alpha1
          kind: AIMArtifact
          metadata:
            name: %s
            namespace: NS
            annotations: {sim.dev.aim/inject: DownloadFailed, sim.dev.aim/inject-reason: %s}
          spec: {sourceUri: "hf://acme/%s", size: 1Gi}
          ---
          """.formatted(reason.toLowerCase(), reason, reason.toLowerCase()));
    }
    apply(ns, yaml.toString());

    Condition notFound = awaitArtifactReady(ns, "sourcenotfound", "InvalidSpec");
    assertThat(notFound.getMessage()).contains("Repository Not Found");
    assertThat(Conditions.find(artifact(ns, "sourcenotfound").getStatus().conditions, "DownloadJobPodsReady").getReason())
        .isEqualTo("SourceNotFound");
    assertThat(artifact(ns, "sourcenotfound").getStatus().progress.displayPercentage).isEqualTo("N/A");
    awaitArtifactReady(ns, "autherror", "AuthError");
    assertThat(Conditions.find(artifact(ns, "autherror").getStatus().conditions, "AuthValid").getStatus()).isEqualTo("False");
    awaitArtifactReady(ns, "storagefull", "StorageFull");
    assertThat(artifact(ns, "storagefull").getStatus().status.name()).isEqualTo("Failed");
    // One Pod, one Job each: nothing retries a failure a retry cannot fix.
    assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(3);
  }

  @Test
  void aRepositoryTheDevSourcesDoNotHoldFailsWithSourceNotFound() {
    String ns = "e2e-missing-source";
    apply(
        ns,
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMArtifact
        metadata: {name: missing-hf, namespace: NS}
        spec: {sourceUri: "hf://nobody/no-such-model", size: 1Gi}
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMArtifact
        metadata: {name: missing-s3, namespace: NS}
        spec: {sourceUri: "s3://models/nobody/no-such-model", size: 1Gi}
        """);
    // No injection: the real downloader meets the hub's RepositoryNotFound and an empty S3 prefix.
    for (String name : java.util.List.of("missing-hf", "missing-s3")) {
      awaitArtifactReady(ns, name, "InvalidSpec");
      assertThat(Conditions.find(artifact(ns, name).getStatus().conditions, "DownloadJobPodsReady").getReason())
          .as(name)
          .isEqualTo("SourceNotFound");
      assertThat(artifact(ns, name).getStatus().status.name()).isEqualTo("Failed");
    }
  }

  @Test
  void aCachingTemplateGetsItsCacheAndADeletedCacheTakesOnlyItsUnreadyArtifacts() {
    String ns = "e2e-template-cache";
    apply(
        ns,
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMModel
        metadata: {name: qwen3, namespace: NS}
        spec:
          image: amdenterpriseai/aim-qwen-qwen3-32b:0.8.5
          imageMetadata: {model: {canonicalName: Qwen/Qwen3-4B}}
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMServiceTemplate
        metadata: {name: cached, namespace: NS}
        spec:
          modelName: qwen3
          hardware: {gpu: {requests: 1, model: MI300X}}
          caching: {enabled: true}
          modelSources: [{modelId: acme/cached, sourceUri: "hf://acme/cached", size: 1Gi}]
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMServiceTemplate
        metadata: {name: broken, namespace: NS}
        spec:
          modelName: qwen3
          hardware: {gpu: {requests: 1, model: MI300X}}
          modelSources: [{modelId: acme/broken, sourceUri: "hf://acme/broken", size: 1Gi}]
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMTemplateCache
        metadata: {name: doomed, namespace: NS}
        spec: {templateName: broken, templateScope: Namespace, storageClassName: no-such-class}
        """);

    // The template's own cache: named like it, owned by it, with the finalizer; its artifact downloads.
    AIMTemplateCache cache = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.resources(AIMTemplateCache.class).inNamespace(ns).withName("cached").get(),
            c -> c != null && c.getStatus() != null && c.getStatus().status != null && c.getStatus().status.name().equals("Ready"));
    assertThat(cache.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("AIMServiceTemplate/cached"));
    assertThat(cache.getMetadata().getFinalizers()).contains("aim.eai.amd.com/artifactcleanup");
    String kept = cache.getStatus().artifacts.keySet().iterator().next();

    // The other cache's artifact cannot get storage; deleting the cache takes that artifact, not the Ready one.
    awaitArtifactLabelled(ns, "doomed");
    client.resources(AIMTemplateCache.class).inNamespace(ns).withName("doomed").delete();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(
        () -> client.resources(AIMTemplateCache.class).inNamespace(ns).withName("doomed").get() == null
            && client.resources(AIMArtifact.class).inNamespace(ns).withLabel("aim.eai.amd.com/template-cache.name", "doomed").list().getItems().isEmpty());
    assertThat(artifact(ns, kept)).isNotNull();

    // The finalizer never holds a namespace back.
    client.namespaces().withName(ns).delete();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.namespaces().withName(ns).get() == null);
  }

  @Test
  void cacheWarmingMakesTheCachesAndRepairsACorruptFile() throws Exception {
    String ns = "e2e-warming";
    apply(
        ns,
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMModel
        metadata: {name: qwen3, namespace: NS}
        spec:
          image: amdenterpriseai/aim-qwen-qwen3-32b:0.8.5
          imageMetadata: {model: {canonicalName: Qwen/Qwen3-4B}}
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMServiceTemplate
        metadata: {name: warm-me, namespace: NS, labels: {team: ml}}
        spec:
          modelName: qwen3
          hardware: {gpu: {requests: 1, model: MI300X}}
          modelSources: [{modelId: acme/warm, sourceUri: "hf://acme/warm", size: 1Gi}]
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMServiceTemplate
        metadata: {name: not-me, namespace: NS, labels: {team: other}}
        spec:
          modelName: qwen3
          hardware: {gpu: {requests: 1, model: MI300X}}
          modelSources: [{modelId: acme/other, sourceUri: "hf://acme/other", size: 1Gi}]
        """);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      var t = client.resources(aim.orchestrator.model.AIMServiceTemplate.class).inNamespace(ns).withName("warm-me").get();
      return t.getStatus() != null && t.getStatus().status != null && t.getStatus().status.name().equals("Ready");
    });
    var request = new aim.orchestrator.workflow.warming.CacheWarmingRequest(ns, "team=ml");

    var first = warm(request, "first");

    assertThat(first.templates()).containsExactly("AIMServiceTemplate/warm-me");
    assertThat(first.caches()).singleElement().satisfies(c -> assertThat(c.action()).isEqualTo("created"));
    String cacheName = first.caches().get(0).cache();
    assertThat(cacheName).isEqualTo(aim.orchestrator.naming.DerivedNames.sharedTemplateCache("warm-me", ns));

    // The cache's own workflows download its artifact; then one file goes bad on the volume.
    AIMTemplateCache cache = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.resources(AIMTemplateCache.class).inNamespace(ns).withName(cacheName).get(),
            c -> c.getStatus() != null && c.getStatus().status != null && c.getStatus().status.name().equals("Ready"));
    AIMArtifact artifact = artifact(ns, cache.getStatus().artifacts.keySet().iterator().next());
    java.nio.file.Path weights = env.volumes().resolve(ns).resolve(artifact.getStatus().persistentVolumeClaim).resolve("model.safetensors");
    byte[] bytes = java.nio.file.Files.readAllBytes(weights);
    bytes[100] ^= 1;
    java.nio.file.Files.write(weights, bytes);

    var second = warm(request, "second");

    assertThat(second.caches()).singleElement().satisfies(c -> assertThat(c.action()).isEqualTo("existing"));
    assertThat(second.artifacts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo("repaired");
      assertThat(a.fetchedFiles()).isEqualTo(1);
    });
    assertThat(java.nio.file.Files.readAllBytes(weights)).isEqualTo(env.hub().files("acme/warm").get("model.safetensors"));
    assertThat(second.summary()).contains("1 repaired");
    assertThat(client.batch().v1().jobs().inNamespace(ns).withLabel("aim.eai.amd.com/component", "verify").list().getItems()).isEmpty();
  }

  @Test
  void theS3DevSampleServesFromTheDevS3Endpoint() throws Exception {
    String ns = "e2e-s3";
    for (String folder : java.util.List.of("../k8s/samples", "../k8s/dev-samples/s3")) {
      try (var files = java.nio.file.Files.list(java.nio.file.Path.of(folder))) {
        for (var f : files.sorted().toList()) {
          apply(ns, java.nio.file.Files.readString(f).replace("namespace: ml-team", "namespace: NS"));
        }
      }
    }

    AIMService svc = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> service(ns, "qwen3-chat-s3"), s -> s != null && s.getStatus() != null && s.getStatus().status != null
            && s.getStatus().status.name().equals("Running"));
    assertThat(svc.getStatus().resolvedTemplate.name).isEqualTo("qwen3-32b-mi300x-fp16-latency-s3");
    AIMArtifact artifact = client.resources(AIMArtifact.class).inNamespace(ns).list().getItems().stream()
        .filter(a -> a.getSpec().sourceUri.startsWith("s3://")).findFirst().orElseThrow();
    // No spec.size: the size came from listing the bucket, with the keys from the Secret the runtime config names.
    long bytes = env.hub().files("Qwen/Qwen3-32B").values().stream().mapToLong(b -> b.length).sum();
    assertThat(artifact.getStatus().discoveredSizeBytes).isEqualTo(bytes);
    java.nio.file.Path volume = env.volumes().resolve(ns).resolve(artifact.getStatus().persistentVolumeClaim);
    assertThat(java.nio.file.Files.readAllBytes(volume.resolve("config.json")))
        .isEqualTo(env.hub().files("Qwen/Qwen3-32B").get("config.json"));
    assertThat(Conditions.find(artifact.getStatus().conditions, "DownloadComplete").getReason()).isEqualTo("Verified");
    assertThat(artifact.getStatus().download.protocol).isEqualTo("S3");
  }

  @Test
  void deletingTheSharedCacheOfARunningServiceDegradesItUntilTheCacheIsRebuiltAndNeverTouchesTheRuntime() throws Exception {
    String ns = "e2e-cache-lost";
    apply(
        ns,
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMModel
        metadata: {name: qwen3, namespace: NS}
        spec:
          image: amdenterpriseai/aim-qwen-qwen3-32b:0.8.5
          imageMetadata: {model: {canonicalName: Qwen/Qwen3-4B}}
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMServiceTemplate
        metadata: {name: qwen3-small, namespace: NS}
        spec:
          modelName: qwen3
          hardware: {gpu: {requests: 1, model: MI300X}}
          modelSources: [{modelId: acme/lost, sourceUri: "hf://acme/lost", size: 1Gi}]
        ---
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMService
        metadata: {name: chat, namespace: NS}
        spec:
          model: {name: qwen3}
          template: {name: qwen3-small}
        """);
    AIMService running = awaitServiceStatus(ns, "chat", "Running");
    String cacheName = running.getStatus().cache.templateCacheRef.name;
    AIMTemplateCache lost = client.resources(AIMTemplateCache.class).inNamespace(ns).withName(cacheName).get();
    var isvcs = client.genericKubernetesResources(aim.orchestrator.activities.kube.Kube.INFERENCE_SERVICES).inNamespace(ns);
    String isvcUid = isvcs.list().getItems().get(0).getMetadata().getUid();
    String artifactName = lost.getStatus().artifacts.keySet().iterator().next();
    String artifactUid = artifact(ns, artifactName).getMetadata().getUid();

    java.util.List<String> serviceStates = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.List<String> isvcEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var watchService = client.resources(AIMService.class).inNamespace(ns).withName("chat").watch(recorder(serviceStates, s -> {
          Condition cache = condition(s, AIMService::getStatus, st -> st.conditions, "CacheReady");
          return s.getStatus().status + "/" + (cache == null ? "" : cache.getReason() + ": " + cache.getMessage());
        }));
        var watchIsvc = isvcs.watch(recorder(isvcEvents, i -> i.getMetadata().getUid()))) {
      client.resources(AIMTemplateCache.class).inNamespace(ns).withName(cacheName).delete();

      // Degraded CacheLost, naming the cache, while the cache goes and comes back; then Running again.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
          () -> serviceStates.stream().anyMatch(st -> st.startsWith("Degraded/CacheLost: ") && st.contains(cacheName)));
      AIMService again = awaitServiceStatus(ns, "chat", "Running");
      AIMTemplateCache rebuilt = client.resources(AIMTemplateCache.class).inNamespace(ns).withName(cacheName).get();
      assertThat(rebuilt.getMetadata().getUid()).isNotEqualTo(lost.getMetadata().getUid());
      assertThat(again.getStatus().cache.templateCacheRef.uid).isEqualTo(rebuilt.getMetadata().getUid());
      // The Ready artifact outlived its cache (Shared artifacts have no owner) and serves the rebuilt one.
      assertThat(rebuilt.getStatus().artifacts).containsKey(artifactName);
      assertThat(artifact(ns, artifactName).getMetadata().getUid()).isEqualTo(artifactUid);
      // The runtime was never deleted or replaced.
      assertThat(isvcs.list().getItems()).singleElement().satisfies(i -> assertThat(i.getMetadata().getUid()).isEqualTo(isvcUid));
      assertThat(isvcEvents).noneMatch(e -> e.startsWith("DELETED"));
      assertThat(serviceStates).noneMatch(st -> st.startsWith("Failed"));
    }
  }

  @Test
  void aPvcDeletedByHandIsCreatedAgainDownloadedAgainAndItsEditedLabelsAreRestored() throws Exception {
    String ns = "e2e-pvc-drift";
    apply(
        ns,
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMArtifact
        metadata: {name: drift, namespace: NS}
        spec: {sourceUri: "hf://acme/drift", size: 1Gi}
        """);
    AIMArtifact ready = awaitArtifactStatus(ns, "drift", "Ready");
    String claim = ready.getStatus().persistentVolumeClaim;
    var pvc = client.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
    java.nio.file.Path weights = env.volumes().resolve(ns).resolve(claim).resolve("model.safetensors");
    assertThat(weights).exists();

    java.util.List<String> states = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var watch = client.resources(AIMArtifact.class).inNamespace(ns).withName("drift").watch(recorder(states, a -> {
          Condition download = condition(a, AIMArtifact::getStatus, st -> st.conditions, "DownloadComplete");
          return a.getStatus().status + "/" + (download == null ? "" : download.getReason());
        }))) {
      client.persistentVolumeClaims().inNamespace(ns).withName(claim).delete();

      // The artifact says it downloads again (not Ready), then is Ready with a new claim of the same name and size.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> states.stream().anyMatch(st -> st.equals("Progressing/Downloading")));
      AIMArtifact again = awaitArtifactStatus(ns, "drift", "Ready");
      var recreated = client.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
      assertThat(recreated.getMetadata().getUid()).isNotEqualTo(pvc.getMetadata().getUid());
      assertThat(recreated.getSpec().getResources().getRequests()).isEqualTo(pvc.getSpec().getResources().getRequests());
      assertThat(Conditions.find(again.getStatus().conditions, "DownloadComplete").getReason()).isEqualTo("Verified");
    }
    // The volume went with the claim: the second Job fetched the weights again into the new one.
    assertThat(weights).exists();
    assertThat(java.nio.file.Files.readAllBytes(weights)).isEqualTo(env.hub().files("acme/drift").get("model.safetensors"));
    var job = client.batch().v1().jobs().inNamespace(ns).withLabel("aim.eai.amd.com/component", "download").list().getItems();
    assertThat(job).singleElement().satisfies(j -> assertThat(j.getMetadata().getAnnotations())
        .containsEntry("aim.eai.amd.com/pvc-uid", client.persistentVolumeClaims().inNamespace(ns).withName(claim).get().getMetadata().getUid()));
    String result = client.pods().inNamespace(ns).withLabel("controller-uid", job.get(0).getMetadata().getUid()).list().getItems().get(0)
        .getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage();
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(result).path("fetchedBytes").asLong()).isPositive();

    // Labels and the owner reference edited by hand come back at once (the watch bridge wakes the artifact).
    client.persistentVolumeClaims().inNamespace(ns).withName(claim).edit(p -> {
      p.getMetadata().getLabels().put("app.kubernetes.io/managed-by", "someone");
      p.getMetadata().setOwnerReferences(java.util.List.of());
      return p;
    });
    var restored = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.persistentVolumeClaims().inNamespace(ns).withName(claim).get(),
            p -> "aim-artifact-controller".equals(p.getMetadata().getLabels().get("app.kubernetes.io/managed-by"))
                && p.getMetadata().getOwnerReferences().size() == 1);
    assertThat(restored.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(artifact(ns, "drift").getMetadata().getUid());
  }

  /** A watcher that records one line per event: the event type and what {@code describe} says of the object. */
  static <T extends HasMetadata> io.fabric8.kubernetes.client.Watcher<T> recorder(java.util.List<String> into, Function<T, String> describe) {
    return new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        try {
          String what = describe.apply(resource);
          into.add(action == Action.MODIFIED || action == Action.ADDED ? what : action + " " + what);
        } catch (RuntimeException noStatusYet) {
          into.add(action.name());
        }
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
    };
  }

  static AIMService awaitServiceStatus(String ns, String name, String status) {
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> service(ns, name), s -> s != null && s.getStatus() != null && s.getStatus().status != null
            && s.getStatus().status.name().equals(status));
  }

  static AIMArtifact awaitArtifactStatus(String ns, String name, String status) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> artifact(ns, name), a -> a != null && a.getStatus() != null && a.getStatus().status != null
            && a.getStatus().status.name().equals(status));
  }

  static aim.orchestrator.workflow.warming.CacheWarmingReport warm(
      aim.orchestrator.workflow.warming.CacheWarmingRequest request, String run) {
    var stub = temporal.newWorkflowStub(
        aim.orchestrator.workflow.warming.CacheWarmingWorkflow.class,
        io.temporal.client.WorkflowOptions.newBuilder()
            .setWorkflowId("CacheWarming/e2e-" + run)
            .setTaskQueue(aim.orchestrator.workflow.TaskQueues.WORKFLOWS)
            .setWorkflowExecutionTimeout(Duration.ofSeconds(60))
            .build());
    return stub.warm(request);
  }

  static void awaitArtifactLabelled(String ns, String cache) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(
        () -> !client.resources(AIMArtifact.class).inNamespace(ns).withLabel("aim.eai.amd.com/template-cache.name", cache).list().getItems().isEmpty());
  }

  static Condition awaitArtifactReady(String ns, String name, String reason) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> condition(artifact(ns, name), AIMArtifact::getStatus, s -> s.conditions, "Ready"),
            c -> c != null && reason.equals(c.getReason()));
  }

  static <T extends HasMetadata, S> Condition condition(
      T object, Function<T, S> status, Function<S, java.util.List<Condition>> conditions, String type) {
    if (object == null || status.apply(object) == null) {
      return null;
    }
    return Conditions.find(conditions.apply(status.apply(object)), type);
  }

  static AIMArtifact artifact(String ns, String name) {
    return client.resources(AIMArtifact.class).inNamespace(ns).withName(name).get();
  }

  static AIMService service(String ns, String name) {
    return client.resources(AIMService.class).inNamespace(ns).withName(name).get();
  }

  /** Applies YAML documents (NS stands for the namespace), creating the namespace first. */
  static void apply(String ns, String yaml) {
    if (client.namespaces().withName(ns).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    byte[] bytes = yaml.replace("namespace: NS", "namespace: " + ns).getBytes(StandardCharsets.UTF_8);
    for (HasMetadata item : client.load(new ByteArrayInputStream(bytes)).items()) {
      var r = client.getKubernetesSerialization().convertValue(item, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
      var op = client.genericKubernetesResources(r.getApiVersion(), r.getKind());
      (r.getMetadata().getNamespace() == null ? op.resource(r) : op.inNamespace(r.getMetadata().getNamespace()).resource(r))
          .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }
  }
}
