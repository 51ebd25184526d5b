package aim.orchestrator.activities.workflow;

import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.impl.CacheActivitiesImpl;
import aim.orchestrator.activities.impl.ResourceActivitiesImpl;
import aim.orchestrator.activities.impl.TransferActivitiesImpl;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.Aim;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.render.ArtifactManifests;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.artifact.ArtifactWorkflow;
import aim.orchestrator.workflow.artifact.ArtifactWorkflowImpl;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PVC drift on a Ready artifact: the real ArtifactWorkflow and its activities against the fabric8 mock, time skipped
 * by Temporal's test environment; the test plays the volume provisioner (binds claims) and the Job controller
 * (completes download Jobs). No watch bridge runs, so the workflow finds the drift on its re-observe timer.
 *
 * <p>A PVC deleted by hand is created again under its name and size, the artifact shows that it downloads again
 * (not Ready) with a fresh Job writing into the new claim, and is Ready once that Job completes; hand-edited labels
 * and owner references are put back, and the size is never changed.
 */
class ArtifactPvcDriftWorkflowTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  /** Longer than a steady workflow waits before it looks again (60 s and up to 10 s of jitter). */
  private static final Duration STEADY = Duration.ofSeconds(75);

  private TestWorkflowEnvironment env;
  private AIMArtifact artifact;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    aim.orchestrator.workflow.AimSearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(ArtifactWorkflowImpl.class);
    env.newWorker(TaskQueues.KUBERNETES)
        .registerActivitiesImplementations(
            new ResourceActivitiesImpl(cluster.kube(), Clock.systemUTC()), new CacheActivitiesImpl(cluster.kube()));
    env.newWorker(TaskQueues.TRANSFERS)
        .registerActivitiesImplementations(
            new TransferActivitiesImpl(
                cluster.kube(), new TransferActivitiesImpl.Timing(Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(1))));
    env.start();
    artifact = cluster.create(Fixtures.artifact(NS, "weights", SOURCE_URI, "1Gi", null));
    ResourceRef ref = Fixtures.ref(artifact);
    ArtifactWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                ArtifactWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(WorkflowIds.of(ref)).setTaskQueue(TaskQueues.WORKFLOWS).build());
    WorkflowClient.start(wf::run, ref);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aPvcDeletedByHandIsCreatedAgainAndDownloadedIntoAgain() {
    PersistentVolumeClaim first = downloadUntilReady();
    Job firstJob = job();
    assertThat(firstJob.getMetadata().getAnnotations()).containsEntry(ArtifactManifests.PVC_UID, first.getMetadata().getUid());

    cluster.client().resource(first).delete();
    env.sleep(STEADY);

    PersistentVolumeClaim second = pvc();
    assertThat(second).as("the PVC, created again").isNotNull();
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    assertThat(second.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("2Gi"));
    bind(second);
    env.sleep(Duration.ofSeconds(10));

    // Downloading again, into the new claim: not Ready.
    AIMArtifact downloading = read();
    assertThat(downloading.getStatus().status.name()).isEqualTo("Progressing");
    assertThat(Conditions.find(downloading.getStatus().conditions, "DownloadComplete").getReason()).isEqualTo("Downloading");
    Job secondJob = job();
    assertThat(secondJob.getMetadata().getUid()).isNotEqualTo(firstJob.getMetadata().getUid());
    assertThat(secondJob.getMetadata().getAnnotations()).containsEntry(ArtifactManifests.PVC_UID, second.getMetadata().getUid());

    complete(secondJob);
    env.sleep(Duration.ofSeconds(10));
    AIMArtifact ready = read();
    assertThat(ready.getStatus().status.name()).isEqualTo("Ready");
    assertThat(Conditions.find(ready.getStatus().conditions, "DownloadComplete").getReason()).isEqualTo("Verified");
    assertThat(cluster.client().persistentVolumeClaims().inNamespace(NS).list().getItems()).hasSize(1);
  }

  @Test
  void handEditedLabelsAndOwnerReferencesOfThePvcAreRestoredAndItsSizeNeverChanges() {
    PersistentVolumeClaim pvc = downloadUntilReady();
    cluster.client().persistentVolumeClaims().inNamespace(NS).withName(pvc.getMetadata().getName()).edit(p -> {
      p.getMetadata().setLabels(Map.of("team", "ml"));
      p.getMetadata().setOwnerReferences(List.of());
      return p;
    });
    // A bigger spec.size later never grows the claim.
    cluster.client().resources(AIMArtifact.class).inNamespace(NS).withName("weights").edit(a -> {
      a.getSpec().size = new Quantity("10Gi");
      return a;
    });
    env.sleep(STEADY);

    PersistentVolumeClaim restored = pvc();
    assertThat(restored.getMetadata().getUid()).isEqualTo(pvc.getMetadata().getUid());
    assertThat(restored.getMetadata().getLabels())
        .containsEntry(Aim.LABEL_CACHE_NAME, "weights")
        .containsEntry("team", "ml");
    assertThat(restored.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(artifact.getMetadata().getUid()));
    assertThat(restored.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("2Gi"));
  }

  /** Binds the claim and completes the download Job, as the cluster would; returns the PVC. */
  private PersistentVolumeClaim downloadUntilReady() {
    env.sleep(Duration.ofSeconds(3));
    PersistentVolumeClaim pvc = pvc();
    assertThat(pvc).as("the artifact's PVC").isNotNull();
    bind(pvc);
    env.sleep(Duration.ofSeconds(5));
    assertThat(job()).as("the download Job").isNotNull();
    complete(job());
    env.sleep(Duration.ofSeconds(10));
    assertThat(read().getStatus().status.name()).isEqualTo("Ready");
    return pvc();
  }

  private static void bind(PersistentVolumeClaim pvc) {
    PersistentVolumeClaim fresh = cluster.client().resource(pvc).get();
    fresh.setStatus(new PersistentVolumeClaimStatus());
    fresh.getStatus().setPhase("Bound");
    cluster.client().resource(fresh).updateStatus();
  }

  private static void complete(Job job) {
    Job fresh = cluster.client().resource(job).get();
    JobStatus status = new JobStatus();
    status.setConditions(
        List.of(new JobConditionBuilder().withType("Complete").withStatus("True").withLastTransitionTime(Instant.now().toString()).build()));
    fresh.setStatus(status);
    cluster.client().resource(fresh).updateStatus();
  }

  private PersistentVolumeClaim pvc() {
    return cluster.client().persistentVolumeClaims().inNamespace(NS)
        .withName(DerivedNames.artifactPvc(artifact.getMetadata().getName(), artifact.getMetadata().getUid())).get();
  }

  private Job job() {
    return cluster.client().batch().v1().jobs().inNamespace(NS)
        .withName(DerivedNames.artifactDownloadJob(artifact.getMetadata().getName(), artifact.getMetadata().getUid())).get();
  }

  private AIMArtifact read() {
    return cluster.client().resource(artifact).get();
  }
}
