package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class JobControllerTest {

  static KubernetesClient client;

  private static final SimulatorOptions FAST =
      new SimulatorOptions(2, "MI300X", Duration.ofMillis(50));

  private static Job job(String ns, String name, Integer backoffLimit) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .addToLabels("app.kubernetes.io/component", "download")
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(backoffLimit)
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("aim.eai.amd.com/template", "t1")
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("model-download")
        .withImage("ghcr.io/silogen/aim-artifact-downloader:0.2.0")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Job get(String ns, String name) {
    return client.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  private static boolean hasCondition(Job job, String type) {
    return job != null
        && job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static List<Pod> podsOf(String ns, String jobName) {
    return client.pods().inNamespace(ns).withLabel("job-name", jobName).list().getItems();
  }

  @Test
  void jobGetsSucceededPodAndCompletes() {
    try (ClusterSimulator sim = ClusterSimulator.start(client, FAST)) {
      Job created = client.resource(job("jobs-a", "discover-x", 0)).create();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hasCondition(get("jobs-a", "discover-x"), "Complete"));

      Job done = get("jobs-a", "discover-x");
      assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
      assertThat(done.getStatus().getStartTime()).isNotBlank();
      assertThat(done.getStatus().getCompletionTime()).isNotBlank();
      assertThat(done.getStatus().getConditions())
          .extracting(JobCondition::getType)
          .contains("SuccessCriteriaMet", "Complete");

      List<Pod> pods = podsOf("jobs-a", "discover-x");
      assertThat(pods).hasSize(1);
      Pod pod = pods.get(0);
      assertThat(pod.getMetadata().getName()).matches("discover-x-[a-z]{5}");
      assertThat(pod.getMetadata().getLabels())
          .containsEntry("job-name", "discover-x")
          .containsEntry("batch.kubernetes.io/job-name", "discover-x")
          .containsEntry("controller-uid", created.getMetadata().getUid())
          .containsEntry("aim.eai.amd.com/template", "t1");
      assertThat(pod.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getKind()).isEqualTo("Job");
                assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
                assertThat(o.getController()).isTrue();
              });
      assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
      assertThat(pod.getStatus().getContainerStatuses())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.getName()).isEqualTo("model-download");
                assertThat(c.getState().getTerminated().getExitCode()).isZero();
              });
      assertThat(pod.getSpec().getNodeName()).startsWith("dev-gpu-node-");
    }
  }

  @Test
  void failingRunnerIsRetriedUpToBackoffLimitThenJobFails() {
    AtomicInteger runs = new AtomicInteger();
    JobRunner failing =
        (job, pod) -> {
          runs.incrementAndGet();
          return JobRunner.Outcome.failure(3, "simulated download error");
        };
    try (ClusterSimulator sim =
        ClusterSimulator.start(
            client,
            FAST,
            job -> job.getMetadata().getName().startsWith("fail-") ? failing : null)) {
      client.resource(job("jobs-b", "fail-download", 1)).create();
      client.resource(job("jobs-b", "ok-download", 1)).create();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hasCondition(get("jobs-b", "fail-download"), "Failed"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hasCondition(get("jobs-b", "ok-download"), "Complete"));

      Job failed = get("jobs-b", "fail-download");
      assertThat(failed.getStatus().getFailed()).isEqualTo(2);
      assertThat(failed.getStatus().getCompletionTime()).isNull();
      assertThat(failed.getStatus().getConditions())
          .filteredOn(c -> "Failed".equals(c.getType()))
          .singleElement()
          .satisfies(c -> assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded"));
      assertThat(runs).hasValue(2);
      assertThat(podsOf("jobs-b", "fail-download"))
          .hasSize(2)
          .allSatisfy(
              p -> {
                assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
                assertThat(
                        p.getStatus()
                            .getContainerStatuses()
                            .get(0)
                            .getState()
                            .getTerminated()
                            .getExitCode())
                    .isEqualTo(3);
              });
      assertThat(podsOf("jobs-b", "ok-download")).hasSize(1);
    }
  }

  @Test
  void finishedJobIsLeftAlone() {
    try (ClusterSimulator sim = ClusterSimulator.start(client, FAST)) {
      client.resource(job("jobs-c", "once", 0)).create();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hasCondition(get("jobs-c", "once"), "Complete"));
    }
    String version = get("jobs-c", "once").getMetadata().getResourceVersion();

    // A restarted simulator and a duplicate reconcile must neither re-run nor rewrite the Job.
    try (ClusterSimulator sim = ClusterSimulator.start(client, FAST);
        JobController controller =
            new JobController(client, Duration.ZERO, job -> JobRunner.succeed(), () -> null)) {
      controller.reconcile("jobs-c", "once");
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> get("jobs-c", "once").getMetadata().getResourceVersion().equals(version));
    }
    assertThat(podsOf("jobs-c", "once")).hasSize(1);
  }

  @Test
  void podsCarryTheirLogTerminationStateAndEvents() {
    String sizeLine = "{\"url\":\"hf://org/model\",\"sizeBytes\":536870912}";
    JobRunner runner =
        (job, pod) ->
            job.getMetadata().getName().equals("logged-ok")
                ? JobRunner.Outcome.success("checking size\n" + sizeLine + "\n")
                : JobRunner.Outcome.failure(2, "", "fetching\nTraceback: boom\n");
    try (ClusterSimulator sim = ClusterSimulator.start(client, FAST, job -> runner)) {
      Job ok = client.resource(job("jobs-d", "logged-ok", 0)).create();
      Job bad = job("jobs-d", "logged-bad", 0);
      // With this policy the kubelet uses the log tail when the container leaves no message.
      bad.getSpec()
          .getTemplate()
          .getSpec()
          .getContainers()
          .get(0)
          .setTerminationMessagePolicy("FallbackToLogsOnError");
      bad = client.resource(bad).create();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hasCondition(get("jobs-d", "logged-ok"), "Complete"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hasCondition(get("jobs-d", "logged-bad"), "Failed"));

      Pod okPod = podsOf("jobs-d", "logged-ok").get(0);
      assertThat(okPod.getMetadata().getAnnotations())
          .containsEntry("sim.dev.aim/log.model-download", "checking size\n" + sizeLine + "\n");
      assertThat(PodLogs.of(okPod, "model-download"))
          .hasValueSatisfying(l -> assertThat(l).endsWith(sizeLine + "\n"));
      var okState = okPod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
      assertThat(okState.getExitCode()).isZero();
      assertThat(okState.getReason()).isEqualTo("Completed");
      assertThat(okState.getMessage()).isNull();
      assertThat(okState.getFinishedAt()).isNotBlank();

      Pod badPod = podsOf("jobs-d", "logged-bad").get(0);
      var badState = badPod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
      assertThat(badState.getExitCode()).isEqualTo(2);
      assertThat(badState.getReason()).isEqualTo("Error");
      assertThat(badState.getMessage()).isEqualTo("fetching\nTraceback: boom\n");
      assertThat(PodLogs.of(badPod, "model-download")).contains("fetching\nTraceback: boom\n");

      assertThat(SimEvents.about(client, okPod))
          .extracting(e -> e.getReason())
          .containsExactlyInAnyOrder("Scheduled", "Pulling", "Pulled", "Created", "Started");
      assertThat(SimEvents.about(client, okPod))
          .filteredOn(e -> "Started".equals(e.getReason()))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getInvolvedObject().getFieldPath())
                    .isEqualTo("spec.containers{model-download}");
                assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
                assertThat(e.getSource().getHost()).isEqualTo(okPod.getSpec().getNodeName());
              });
      assertThat(
              SimEvents.has(
                  client,
                  okPod,
                  "Scheduled",
                  "Successfully assigned jobs-d/"
                      + okPod.getMetadata().getName()
                      + " to "
                      + okPod.getSpec().getNodeName()))
          .isTrue();
      assertThat(
              SimEvents.has(
                  client, ok, "SuccessfulCreate", "Created pod: " + okPod.getMetadata().getName()))
          .isTrue();
      assertThat(SimEvents.has(client, ok, "Completed", "Job completed")).isTrue();
      assertThat(SimEvents.about(client, bad))
          .filteredOn(e -> "BackoffLimitExceeded".equals(e.getReason()))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).isEqualTo("Job has reached the specified backoff limit");
                assertThat(e.getSource().getComponent()).isEqualTo("job-controller");
              });
    }
  }
}
