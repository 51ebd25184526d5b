package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every failure {@link FailureInjection} offers for Job Pods, and the owner-chain lookup itself.
 * One simulator serves the whole class; each test works in its own namespace.
 */
@EnableKubernetesMockClient(crud = true)
class FailureInjectionTest {

  static KubernetesClient client;

  private static ClusterSimulator sim;

  private static final ResourceDefinitionContext ARTIFACTS = StorageProvisioningTest.ARTIFACTS;

  @BeforeAll
  static void startSimulator() {
    sim = ClusterSimulator.start(client, new SimulatorOptions(2, "MI300X", Duration.ofMillis(20)));
  }

  @AfterAll
  static void stopSimulator() {
    sim.close();
  }

  // --- fixtures ---------------------------------------------------------------------------

  private static GenericKubernetesResource owner(
      String ns, String kind, String name, Map<String, String> annotations, HasMetadata parent) {
    String plural = kind.toLowerCase() + "s";
    var builder =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("aim.eai.amd.com/v1alpha1")
            .withKind(kind)
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withAnnotations(annotations.isEmpty() ? null : new LinkedHashMap<>(annotations))
            .endMetadata();
    GenericKubernetesResource resource = builder.build();
    if (parent != null) {
      resource.getMetadata().setOwnerReferences(List.of(SimSupport.controllerRef(parent)));
    }
    return client
        .genericKubernetesResources(
            new ResourceDefinitionContext.Builder()
                .withGroup("aim.eai.amd.com")
                .withVersion("v1alpha1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build())
        .inNamespace(ns)
        .resource(resource)
        .create();
  }

  private static Job downloadJob(
      String ns, String name, String source, Map<String, String> annotations, HasMetadata owner) {
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withAnnotations(annotations.isEmpty() ? null : new LinkedHashMap<>(annotations))
            .addToLabels("aim.eai.amd.com/component", "download")
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(0)
            .withNewTemplate()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("model-download")
            .withImage("ghcr.io/silogen/aim-artifact-downloader:0.2.0")
            .withArgs(source)
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    if (owner != null) {
      job.getMetadata().setOwnerReferences(List.of(SimSupport.controllerRef(owner)));
    }
    return client.resource(job).create();
  }

  private static Job getJob(String ns, String name) {
    return client.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  private static boolean hasCondition(Job job, String type) {
    return job != null
        && job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static List<Pod> podsOf(String ns, String job) {
    return client.pods().inNamespace(ns).withLabel("job-name", job).list().getItems();
  }

  private static Pod onlyPod(String ns, String job) {
    List<Pod> pods = podsOf(ns, job);
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  private static ContainerStatus container(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0);
  }

  /**
   * The pod-log classification of the AIM engine (spec §3.7), re-stated from its documented pattern
   * lists: infrastructure first, then not-found, auth, storage. Answers the reason the engine would
   * put on the artifact, or {@code null} when no log pattern matches.
   */
  static String classify(String log) {
    Map<String, List<String>> patterns = new LinkedHashMap<>();
    patterns.put(
        "Infrastructure",
        List.of(
            "RBAC:.*not found",
            "clusterrole.*not found",
            "forbidden.*cannot.*resource",
            "serviceaccount.*cannot"));
    patterns.put(
        "SourceNotFound",
        List.of(
            "Repository Not Found",
            "RepositoryNotFoundError",
            "404.*not.*found",
            "not.*found.*404",
            "NoSuchKey",
            "NoSuchBucket",
            "model.*not.*found",
            "file.*not.*found",
            "s3.*404"));
    patterns.put(
        "AuthError",
        List.of(
            "access.*denied.*s3",
            "s3.*403",
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "s3.*unauthorized",
            "aws.*credentials.*not.*found",
            "NoCredentialProviders",
            "Access to model .* is restricted",
            "Cannot access gated repo",
            "Invalid.*token.*huggingface",
            "huggingface.*authentication.*failed",
            "401.*Unauthorized.*hf\\.co",
            "403.*Forbidden.*hf\\.co"));
    patterns.put(
        "StorageFull",
        List.of(
            "no space left on device", "disk.*full", "ENOSPC", "quota.*exceeded", "storage.*full"));
    List<String> lines = List.of(log.split("\n"));
    for (var category : patterns.entrySet()) {
      for (String regex : category.getValue()) {
        Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        if (lines.stream().anyMatch(l -> p.matcher(l).find())) {
          return category.getKey();
        }
      }
    }
    return null;
  }

  // --- DownloadFailed -----------------------------------------------------------------------

  /** One {@code DownloadFailed} case: the reason, the source, a line the log must contain. */
  private record DownloadCase(String reason, String source, String expectedLine) {
    String namespace() {
      return "dl-" + reason.toLowerCase() + "-" + source.substring(0, 2);
    }
  }

  @Test
  void downloadFailedOnTheArtifactFailsItsDownloadPod() {
    List<DownloadCase> cases =
        List.of(
            new DownloadCase(
                "SourceNotFound",
                "hf://HuggingFaceTB/SmolLM2-135M",
                "Repository Not Found for url"),
            new DownloadCase("SourceNotFound", "s3://models/smol", "NoSuchBucket"),
            new DownloadCase(
                "AuthError", "hf://meta-llama/Llama-3.1-8B", "401 Client Error: Unauthorized"),
            new DownloadCase("AuthError", "s3://models/smol", "InvalidAccessKeyId"),
            new DownloadCase(
                "StorageFull", "hf://HuggingFaceTB/SmolLM2-135M", "No space left on device"));
    // All at once: the simulated Pods run in parallel, which keeps the test short.
    for (DownloadCase c : cases) {
      GenericKubernetesResource artifact =
          owner(
              c.namespace(),
              "AIMArtifact",
              "smol",
              Map.of(
                  "sim.dev.aim/inject", "DownloadFailed", "sim.dev.aim/inject-reason", c.reason()),
              null);
      downloadJob(c.namespace(), "smol-download", c.source(), Map.of(), artifact);
    }

    for (DownloadCase c : cases) {
      String ns = c.namespace();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hasCondition(getJob(ns, "smol-download"), "Failed"));

      Pod pod = onlyPod(ns, "smol-download");
      assertThat(pod.getStatus().getPhase()).as(c.toString()).isEqualTo("Failed");
      ContainerStateTerminated terminated = container(pod).getState().getTerminated();
      // As this project's downloader ends: the reason's exit code and its JSON result as the termination message.
      assertThat(terminated.getExitCode()).as(c.toString())
          .isEqualTo(aim.orchestrator.activities.download.DownloadCommand.exitCode(
              switch (c.reason()) {
                case "SourceNotFound" -> aim.orchestrator.activities.download.DownloadException.Reason.SOURCE_NOT_FOUND;
                case "AuthError" -> aim.orchestrator.activities.download.DownloadException.Reason.AUTH;
                default -> aim.orchestrator.activities.download.DownloadException.Reason.STORAGE_FULL;
              }));
      assertThat(terminated.getReason()).as(c.toString()).isEqualTo("Error");
      assertThat(terminated.getMessage()).as(c.toString()).contains("\"reason\":\"" + c.reason() + "\"");
      String log = PodLogs.of(pod, "model-download").orElseThrow();
      assertThat(log).as(c.toString()).contains(c.expectedLine());
      assertThat(classify(log)).as(c.toString()).isEqualTo(c.reason());
      assertThat(SimEvents.reasons(client, pod)).as(c.toString()).contains("Scheduled", "Started");
      assertThat(SimEvents.reasons(client, getJob(ns, "smol-download")))
          .as(c.toString())
          .contains("SuccessfulCreate", "BackoffLimitExceeded");
    }
  }

  @Test
  void oomKilledTerminatesTheContainerWithReasonOomKilled() {
    String ns = "dl-oom";
    GenericKubernetesResource cache =
        owner(
            ns,
            "AIMTemplateCache",
            "tc",
            Map.of(
                "sim.dev.aim/inject", "DownloadFailed", "sim.dev.aim/inject-reason", "OOMKilled"),
            null);
    // Three levels up: Pod -> Job -> AIMArtifact -> AIMTemplateCache.
    GenericKubernetesResource artifact = owner(ns, "AIMArtifact", "smol", Map.of(), cache);
    downloadJob(ns, "smol-download", "hf://org/model", Map.of(), artifact);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> hasCondition(getJob(ns, "smol-download"), "Failed"));

    Pod pod = onlyPod(ns, "smol-download");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    ContainerStateTerminated terminated = container(pod).getState().getTerminated();
    assertThat(terminated.getReason()).isEqualTo("OOMKilled");
    assertThat(terminated.getExitCode()).isEqualTo(137);
    assertThat(terminated.getFinishedAt()).isNotBlank();
    // No log line explains it; the engine falls back to the terminated reason.
    assertThat(classify(PodLogs.of(pod, "model-download").orElseThrow())).isNull();
  }

  // --- FailedScheduling ---------------------------------------------------------------------

  @Test
  void failedSchedulingKeepsThePodPendingUntilLifted() {
    String ns = "sched";
    downloadJob(
        ns, "stuck", "hf://org/model", Map.of("sim.dev.aim/inject", "FailedScheduling"), null);

    await().atMost(Duration.ofSeconds(10)).until(() -> podsOf(ns, "stuck").size() == 1);
    Pod pod = onlyPod(ns, "stuck");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pod.getSpec().getNodeName()).isNull();
    PodCondition scheduled = pod.getStatus().getConditions().get(0);
    assertThat(scheduled.getType()).isEqualTo("PodScheduled");
    assertThat(scheduled.getStatus()).isEqualTo("False");
    assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> SimEvents.reasons(client, pod).contains("FailedScheduling"));
    assertThat(SimEvents.about(client, pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .isEqualTo("0/2 nodes are available: 2 Insufficient amd.com/gpu.");
              assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Integer.valueOf(1).equals(getJob(ns, "stuck").getStatus().getActive()));
    assertThat(getJob(ns, "stuck").getStatus().getReady()).isZero();

    // The scheduler retries: once nothing keeps the Pod off the nodes it is placed and runs.
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName("stuck")
        .edit(
            j -> {
              j.getMetadata().getAnnotations().remove("sim.dev.aim/inject");
              return j;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> hasCondition(getJob(ns, "stuck"), "Complete"));
    Pod ran = onlyPod(ns, "stuck");
    assertThat(ran.getSpec().getNodeName()).startsWith("dev-gpu-node-");
    assertThat(SimEvents.reasons(client, ran)).contains("FailedScheduling", "Scheduled", "Started");
  }

  // --- ImagePullBackOff ---------------------------------------------------------------------

  @Test
  void imagePullBackOffKeepsThePodWaiting() {
    // Injected on an AIMService two owners above the Job, once with the default reason.
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("", "not found");
    expected.put("ImagePullAuthFailure", "401 Unauthorized");
    for (String reason : expected.keySet()) {
      String ns = "pull-" + (reason.isEmpty() ? "default" : reason.toLowerCase());
      Map<String, String> annotations = new LinkedHashMap<>();
      annotations.put("sim.dev.aim/inject", "ImagePullBackOff");
      if (!reason.isEmpty()) {
        annotations.put("sim.dev.aim/inject-reason", reason);
      }
      GenericKubernetesResource service = owner(ns, "AIMService", "svc", annotations, null);
      GenericKubernetesResource artifact = owner(ns, "AIMArtifact", "smol", Map.of(), service);
      downloadJob(ns, "pull", "hf://org/model", Map.of(), artifact);
    }

    for (var entry : expected.entrySet()) {
      String ns = "pull-" + (entry.getKey().isEmpty() ? "default" : entry.getKey().toLowerCase());
      String text = entry.getValue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  podsOf(ns, "pull").size() == 1
                      && "ImagePullBackOff".equals(PodStatuses.waitingReason(onlyPod(ns, "pull"))));
      Pod pod = onlyPod(ns, "pull");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(pod.getSpec().getNodeName()).startsWith("dev-gpu-node-");
      var waiting = container(pod).getState().getWaiting();
      assertThat(waiting.getMessage())
          .startsWith("Back-off pulling image \"ghcr.io/silogen/aim-artifact-downloader:0.2.0\"")
          .contains(text);
      assertThat(pod.getStatus().getConditions())
          .filteredOn(c -> "Ready".equals(c.getType()))
          .singleElement()
          .satisfies(c -> assertThat(c.getReason()).isEqualTo("ContainersNotReady"));

      List<String> messages = new ArrayList<>();
      SimEvents.about(client, pod)
          .forEach(e -> messages.add(e.getReason() + ": " + e.getMessage()));
      assertThat(messages)
          .contains(
              "Pulling: Pulling image \"ghcr.io/silogen/aim-artifact-downloader:0.2.0\"",
              "Failed: Error: ErrImagePull",
              "BackOff: Back-off pulling image \"ghcr.io/silogen/aim-artifact-downloader:0.2.0\"",
              "Failed: Error: ImagePullBackOff")
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith("Failed: Failed to pull image \"ghcr.io/")
                      .contains(text));
      assertThat(SimEvents.about(client, pod))
          .filteredOn(e -> "Failed".equals(e.getReason()))
          .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
      assertThat(hasCondition(getJob(ns, "pull"), "Failed")).isFalse();
    }
  }

  // --- the lookup -----------------------------------------------------------------------------

  @Test
  void findWalksUpToThreeOwnersAndTheNearestWins() {
    String ns = "find";
    GenericKubernetesResource top =
        owner(ns, "AIMService", "top", Map.of("sim.dev.aim/inject", "ImagePullBackOff"), null);
    GenericKubernetesResource second = owner(ns, "AIMTemplateCache", "second", Map.of(), top);
    GenericKubernetesResource third = owner(ns, "AIMArtifact", "third", Map.of(), second);
    Job job = downloadJob(ns, "fourth", "hf://org/model", Map.of(), third);

    // Job -> artifact -> cache -> service: three levels up, found.
    assertThat(FailureInjection.find(client, job))
        .contains(new FailureInjection.Injection("ImagePullBackOff", null));
    // A Pod below the Job would be four levels down: out of reach.
    Pod pod = new Pod();
    pod.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("fourth-xxxxx")
            .withNamespace(ns)
            .withOwnerReferences(SimSupport.controllerRef(job))
            .build());
    assertThat(FailureInjection.find(client, pod)).isEmpty();

    // The nearest annotation wins, with its own reason.
    GenericKubernetesResource annotatedArtifact =
        owner(
            ns,
            "AIMArtifact",
            "annotated",
            Map.of(
                "sim.dev.aim/inject", "DownloadFailed", "sim.dev.aim/inject-reason", "AuthError"),
            top);
    assertThat(FailureInjection.find(client, annotatedArtifact))
        .contains(new FailureInjection.Injection("DownloadFailed", "AuthError"));

    // A reference whose uid does not match (owner deleted and re-created) ends the walk.
    var staleRef = SimSupport.controllerRef(top);
    staleRef.setUid("not-the-uid");
    Pod orphan = new Pod();
    orphan.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("orphan")
            .withNamespace(ns)
            .withOwnerReferences(staleRef)
            .build());
    Optional<FailureInjection.Injection> none = FailureInjection.find(client, orphan);
    assertThat(none).isEmpty();
  }
}
