package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.IMAGE;
import static aim.orchestrator.activities.Fixtures.MODEL;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.TEMPLATE;
import static aim.orchestrator.activities.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.StatusWrite;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMModelSource;
import aim.orchestrator.model.AIMPrecision;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.ErrorCategory;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The discovery stage against the CRUD mock: the Job, its outcome, the backoff and the installation-wide limit. */
class TemplateDiscoveryTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  static final String OUTPUT =
      "[{\"filename\":\"vllm-mi300x-fp16-tp1-latency.yaml\",\"profile\":{\"aim_id\":\"Qwen/Qwen3-32B\",\"model_id\":\"Qwen/Qwen3-32B\","
          + "\"metadata\":{\"engine\":\"vllm\",\"gpu\":\"MI300X\",\"gpu_count\":1,\"manual_selection_only\":false,\"metric\":\"latency\",\"precision\":\"fp16\",\"type\":\"optimized\"},"
          + "\"engine_args\":{\"tensor-parallel-size\":1},\"env_vars\":{\"VLLM_ROCM_USE_AITER\":\"1\"}},"
          + "\"models\":[{\"name\":\"Qwen/Qwen3-32B\",\"source\":\"hf://Qwen/Qwen3-32B\",\"size_gb\":61}]}]";

  int pods;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
  TemplateActivitiesImpl activities = new TemplateActivitiesImpl(cluster.kube(), clock, "aim-system", 10);

  @BeforeEach
  void model() {
    cluster.create(Fixtures.model(NS, MODEL, IMAGE, null));
  }

  AIMServiceTemplate template() {
    return cluster.create(Fixtures.template(NS, TEMPLATE, MODEL, null));
  }

  static ComponentHealth job(StageResult r) {
    return r.components().stream().filter(c -> c.component().equals("DiscoveryJob")).findFirst().orElseThrow();
  }

  static ConditionSpec discovered(StageResult r) {
    return r.conditions().stream().filter(c -> c.type().equals("Discovered")).findFirst().orElseThrow();
  }

  List<Job> jobs(String namespace) {
    return cluster.client().batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  /** Writes the stage's status fields, as the workflow does after the stage. */
  void writeStatus(AIMServiceTemplate t, StageResult r) {
    new ResourceActivitiesImpl(cluster.kube(), clock).writeStatus(new StatusWrite(ref(t), 1, "Progressing", List.of(), r.statusFields()));
  }

  /** Finishes the template's Job as the Job controller would, with a Pod that printed {@code log}. */
  void finish(Job job, boolean success, String log, String terminationMessage) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName() + "-" + (++pods))
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(Map.of("job-name", job.getMetadata().getName()))
            .withAnnotations(Map.of(MockCluster.POD_LOG_ANNOTATION + "discovery", log))
            .endMetadata()
            .withNewStatus()
            .withPhase(success ? "Succeeded" : "Failed")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("discovery")
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(success ? 0 : 1)
                    .withReason(success ? "Completed" : "Error")
                    .withMessage(terminationMessage)
                    .endTerminated()
                    .endState()
                    .build())
            .endStatus()
            .build();
    cluster.createObject(pod);
    Job fresh = cluster.client().resource(job).get();
    fresh.setStatus(
        new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
            .withSucceeded(success ? 1 : 0)
            .withFailed(success ? 0 : 1)
            .withConditions(
                new JobConditionBuilder()
                    .withType(success ? "Complete" : "Failed")
                    .withStatus("True")
                    .withReason(success ? null : "BackoffLimitExceeded")
                    .withMessage(success ? null : "Job has reached the specified backoff limit")
                    .build())
            .build());
    cluster.client().resource(fresh).updateStatus();
  }

  @Test
  void startsTheDiscoveryJobOnce() {
    AIMServiceTemplate t = template();

    StageResult first = activities.discovery(ref(t));

    assertThat(job(first)).extracting(ComponentHealth::state, ComponentHealth::reason).containsExactly(AIMStatus.Progressing, "JobCreated");
    assertThat(discovered(first)).extracting(ConditionSpec::status, ConditionSpec::reason).containsExactly("False", "AwaitingDiscovery");
    Job job = jobs(NS).get(0);
    assertThat(job.getMetadata().getName()).startsWith("discover-" + TEMPLATE + "-");
    assertThat(job.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(t.getMetadata().getUid());
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(IMAGE);
    writeStatus(t, first);

    StageResult second = activities.discovery(ref(t));

    assertThat(job(second).reason()).isEqualTo("JobRunning");
    assertThat(jobs(NS)).hasSize(1);
  }

  @Test
  void aCompletedJobGivesTheProfileAndTheWeights() {
    AIMServiceTemplate t = template();
    writeStatus(t, activities.discovery(ref(t)));
    finish(jobs(NS).get(0), true, "Loading profiles...\n" + OUTPUT + "\n", null);

    StageResult done = activities.discovery(ref(t));

    assertThat(job(done)).as(job(done).message()).extracting(ComponentHealth::state, ComponentHealth::reason).containsExactly(AIMStatus.Ready, "DiscoveryComplete");
    assertThat(discovered(done)).extracting(ConditionSpec::status, ConditionSpec::reason).containsExactly("True", "DiscoveryComplete");
    @SuppressWarnings("unchecked")
    List<AIMModelSource> sources = (List<AIMModelSource>) done.statusFields().get("modelSources");
    assertThat(sources).singleElement().satisfies(s -> {
      assertThat(s.modelId).isEqualTo("Qwen/Qwen3-32B");
      assertThat(s.size.toString()).isEqualTo("61Gi");
    });
    assertThat(done.statusFields()).containsEntry("hardwareSummary", "1 x MI300X").containsKeys("profile", "resolvedNodeAffinity", "discoveryJob");

    // Written and read back, the template keeps its discovery even when the finished Job is gone.
    writeStatus(t, done);
    cluster.client().batch().v1().jobs().inNamespace(NS).delete();
    StageResult later = activities.discovery(ref(t));
    assertThat(job(later).reason()).isEqualTo("DiscoveryComplete");
    assertThat(jobs(NS)).isEmpty();
    AIMServiceTemplateStatus stored = cluster.client().resource(t).get().getStatus();
    assertThat(stored.profile.metadata.engine).isEqualTo("vllm");
    assertThat(stored.profile.envVars).containsEntry("VLLM_ROCM_USE_AITER", "1");
  }

  @Test
  void theProfileDecidesTheGpuCountEvenWhenItIsZero() {
    AIMHardwareRequirements spec = Fixtures.gpus(4, "MI300X");
    AIMServiceTemplateStatus.Profile profile = new AIMServiceTemplateStatus.Profile();
    profile.metadata = new AIMServiceTemplateStatus.ProfileMetadata();
    profile.metadata.gpu = "MI300X";
    profile.metadata.gpuCount = 0;
    AIMHardwareRequirements hw = TemplateActivitiesImpl.resolvedHardware(spec, profile);
    assertThat(hw.gpu.requests).isZero();
    assertThat(TemplateActivitiesImpl.summary(hw)).isEqualTo("MI300X");
  }

  @Test
  void anEmptyAnswerIsNoCompatibleProfileAndRetriesWithBackoff() {
    AIMServiceTemplate t = template();
    writeStatus(t, activities.discovery(ref(t)));
    finish(jobs(NS).get(0), true, "[]\n", null);

    StageResult failed = activities.discovery(ref(t));

    assertThat(job(failed)).extracting(ComponentHealth::reason, ComponentHealth::error).containsExactly("NoCompatibleProfile", ErrorCategory.INVALID_SPEC);
    assertThat(job(failed).message()).contains("no profile compatible").contains("attempt 1").contains("2026-11-22T10:01:00Z");
    assertThat(discovered(failed).reason()).isEqualTo("DiscoveryFailed");
    assertThat(jobs(NS)).as("the failed Job is removed so the retry gets a fresh one").isEmpty();
    writeStatus(t, failed);

    clock.advance(Duration.ofSeconds(30));
    StageResult waiting = activities.discovery(ref(t));
    assertThat(job(waiting).reason()).isEqualTo("DiscoveryFailed");
    assertThat(job(waiting).message()).contains("attempt 2 at 2026-11-22T10:01:00Z");
    assertThat(jobs(NS)).isEmpty();

    clock.advance(Duration.ofSeconds(31));
    StageResult retried = activities.discovery(ref(t));
    assertThat(job(retried).reason()).isEqualTo("JobCreated");
    assertThat(jobs(NS)).hasSize(1);
    writeStatus(t, retried);
    finish(jobs(NS).get(0), true, "[]", null);
    StageResult secondFailure = activities.discovery(ref(t));
    assertThat(job(secondFailure).message()).contains("attempt 2").contains("2026-11-22T10:03:01Z");
  }

  @Test
  void aFailedJobIsReportedWithTheContainersMessage() {
    AIMServiceTemplate t = template();
    writeStatus(t, activities.discovery(ref(t)));
    finish(jobs(NS).get(0), false, "Traceback...", "ValueError: AIM_ID and AIM_MODEL_ID are both set");

    StageResult failed = activities.discovery(ref(t));

    assertThat(job(failed).reason()).isEqualTo("DiscoveryFailed");
    assertThat(job(failed).message())
        .contains("BackoffLimitExceeded")
        .contains("exited with 1")
        .contains("ValueError: AIM_ID and AIM_MODEL_ID are both set");
    @SuppressWarnings("unchecked")
    var bookkeeping = (AIMServiceTemplateStatus.Discovery) failed.statusFields().get("discovery");
    assertThat(bookkeeping.attempts).isEqualTo(1);
    assertThat(bookkeeping.lastFailureReason).startsWith("DiscoveryFailed: ");
  }

  @Test
  void aSpecChangeResetsTheBackoff() {
    AIMServiceTemplate t = template();
    writeStatus(t, activities.discovery(ref(t)));
    finish(jobs(NS).get(0), true, "[]", null);
    writeStatus(t, activities.discovery(ref(t)));

    AIMServiceTemplate changed = cluster.client().resource(t).get();
    changed.getSpec().precision = AIMPrecision.fp8;
    cluster.client().resource(changed).update();

    StageResult r = activities.discovery(ref(t));
    assertThat(job(r).reason()).isEqualTo("JobCreated");
    @SuppressWarnings("unchecked")
    var bookkeeping = (AIMServiceTemplateStatus.Discovery) r.statusFields().get("discovery");
    assertThat(bookkeeping.attempts).isZero();
  }

  @Test
  void clusterTemplatesDiscoverInTheOperatorNamespace() {
    cluster.create(Fixtures.clusterModel(MODEL, IMAGE, null));
    AIMClusterServiceTemplate t = cluster.create(Fixtures.clusterTemplate("cluster-tpl", MODEL, null));

    assertThat(job(activities.discovery(ref(t))).reason()).isEqualTo("JobCreated");

    assertThat(jobs("aim-system")).singleElement().satisfies(j -> assertThat(j.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("AIMClusterServiceTemplate"));
  }

  @Test
  void atTheLimitTemplatesWaitForASlot() {
    activities = new TemplateActivitiesImpl(cluster.kube(), clock, "aim-system", 2);
    runningDiscoveryJob("team-a", "one");
    runningDiscoveryJob("team-b", "two");
    Job finished = runningDiscoveryJob("team-b", "three");
    finished.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
    cluster.client().resource(finished).updateStatus();
    AIMServiceTemplate t = template();

    StageResult r = activities.discovery(ref(t));

    assertThat(job(r)).extracting(ComponentHealth::state, ComponentHealth::reason).containsExactly(AIMStatus.Pending, "WaitingForDiscoverySlot");
    assertThat(job(r).message()).contains("2 discovery Jobs are running").contains("limit 2");
    assertThat(jobs(NS)).isEmpty();

    cluster.client().batch().v1().jobs().inNamespace("team-a").delete();
    assertThat(job(activities.discovery(ref(t))).reason()).isEqualTo("JobCreated");
  }

  @Test
  void aLeaseHeldByAnotherWorkerMeansWaitUntilItExpires() {
    cluster.createObject(
        new LeaseBuilder()
            .withNewMetadata().withName("aim-discovery-lock").withNamespace("aim-system").endMetadata()
            .withNewSpec()
            .withHolderIdentity("aim-worker-elsewhere")
            .withLeaseDurationSeconds(30)
            .withRenewTime(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
            .endSpec()
            .build());
    AIMServiceTemplate t = template();

    assertThat(job(activities.discovery(ref(t))).reason()).isEqualTo("WaitingForDiscoverySlot");
    assertThat(jobs(NS)).isEmpty();

    clock.advance(Duration.ofSeconds(31));
    assertThat(job(activities.discovery(ref(t))).reason()).as("a crashed holder's Lease expires").isEqualTo("JobCreated");
    assertThat(cluster.client().leases().inNamespace("aim-system").withName("aim-discovery-lock").get().getSpec().getHolderIdentity())
        .as("released after use")
        .isNull();
  }

  @Test
  void twoActivitiesOfOneWorkerCannotHoldTheLockTogether() {
    DiscoverySlots slots = new DiscoverySlots(cluster.client(), "aim-system", 10, clock);
    var first = slots.acquire();
    assertThat(first).isNotNull();
    assertThat(slots.acquire()).as("a second acquisition by the same worker waits").isNull();
    slots.release(first);
    assertThat(slots.acquire()).as("free again once released").isNotNull();
  }

  Job runningDiscoveryJob(String namespace, String template) {
    return cluster.createObject(
        new JobBuilder()
            .withNewMetadata()
            .withName("discover-" + template + "-00000000")
            .withNamespace(namespace)
            .withLabels(Map.of("app.kubernetes.io/name", "aim-discovery", "aim.eai.amd.com/template", template))
            .endMetadata()
            .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("discovery").withImage(IMAGE).endContainer().endSpec().endTemplate().endSpec()
            .build());
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
