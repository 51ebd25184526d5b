package aim.orchestrator.activities;

import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static aim.orchestrator.activities.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.activities.impl.CacheActivitiesImpl;
import aim.orchestrator.activities.impl.ResourceActivitiesImpl;
import aim.orchestrator.activities.impl.ServiceActivitiesImpl;
import aim.orchestrator.activity.CacheActivities;
import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.ResourceActivities;
import aim.orchestrator.activity.ServiceActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.StatusWrite;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.model.Aim;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.workflow.ErrorTypes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The activities run as Temporal activities: arguments and results go through Temporal's data
 * converter, failures come back as {@link ActivityFailure}s with the {@link ApplicationFailure}
 * type the workflows decide on.
 */
class ActivitiesUnderTemporalTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  TestActivityEnvironment env;
  ResourceActivities resources;
  ServiceActivities services;
  CacheActivities caches;

  @BeforeEach
  void startTemporal() {
    env = TestActivityEnvironment.newInstance();
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    env.registerActivitiesImplementations(
        new ResourceActivitiesImpl(cluster.kube(), clock),
        new ServiceActivitiesImpl(cluster.kube()),
        new CacheActivitiesImpl(cluster.kube()));
    resources = env.newActivityStub(ResourceActivities.class, ONE_ATTEMPT);
    services = env.newActivityStub(ServiceActivities.class, ONE_ATTEMPT);
    caches = env.newActivityStub(CacheActivities.class, ONE_ATTEMPT);
  }

  @AfterEach
  void stopTemporal() {
    env.close();
  }

  @Test
  void observeReturnsTheObservationThroughTheDataConverter() {
    AIMService svc = Fixtures.serviceForModel("qwen3");
    svc.getMetadata().setFinalizers(List.of(Aim.FINALIZER_SERVICE));
    AIMService stored = cluster.create(svc);

    Observation obs = resources.observe(ref(stored));

    assertThat(obs)
        .isEqualTo(
            new Observation(
                true,
                stored.getMetadata().getUid(),
                1,
                false,
                false,
                List.of(Aim.FINALIZER_SERVICE)));
  }

  @Test
  void aReplacedObjectFailsTheActivityWithANonRetryableResourceReplaced() {
    AIMService stored = cluster.create(Fixtures.serviceForModel("qwen3"));

    assertThatThrownBy(
            () ->
                resources.addFinalizer(
                    ref(stored).withUid("uid-of-a-deleted-object"), Aim.FINALIZER_SERVICE))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(ErrorTypes.ResourceReplaced.name());
              assertThat(f.isNonRetryable()).isTrue();
            });
  }

  @Test
  void aRemovedStatusFieldSurvivesTheTripThroughTemporal() {
    AIMService svc = Fixtures.serviceForModel("qwen3");
    AIMService stored = cluster.create(svc);
    AIMServiceStatus.Routing routing = new AIMServiceStatus.Routing();
    routing.path = "/ml-team/qwen3-chat";
    List<ConditionSpec> conditions =
        List.of(ConditionSpec.isTrue("Ready", "AllComponentsReady", ""));
    resources.writeStatus(
        new StatusWrite(ref(stored), 1, "Running", conditions, Map.of("routing", routing)));

    StageResult routingOff = services.applyHttpRoute(ref(stored), "qwen3-chat-a04542d9");
    assertThat(routingOff.statusFields()).containsEntry("routing", null);
    boolean wrote =
        resources.writeStatus(
            new StatusWrite(ref(stored), 1, "Running", conditions, routingOff.statusFields()));

    assertThat(wrote).isTrue();
    assertThat(cluster.client().resource(stored).get().getStatus().routing).isNull();
  }

  /**
   * Stage results reach writeStatus after a trip through Temporal's JSON converter, where small
   * whole numbers become Integers. writeStatus compares them as JsonNodes with the stored status
   * read through the typed class (Long fields, so LongNodes); IntNode(0) never equals LongNode(0),
   * so an unchanged progress is "changed" forever.
   */
  @Test
  void writingTheSameDownloadProgressTwiceWritesOnce() {
    AIMArtifact artifact = cluster.create(Fixtures.artifact(NS, "a1", SOURCE_URI, "1Gi", null));
    StageResult download = caches.artifactDownload(ref(artifact));
    Map<String, Object> fields = new LinkedHashMap<>(download.statusFields());
    List<ConditionSpec> conditions =
        List.of(ConditionSpec.isFalse("DownloadJobReady", "Downloading", "Job created"));
    assertThat(
            resources.writeStatus(
                new StatusWrite(ref(artifact), 1, "Progressing", conditions, fields)))
        .isTrue();
    String resourceVersion =
        cluster.client().resource(artifact).get().getMetadata().getResourceVersion();

    boolean wroteAgain =
        resources.writeStatus(new StatusWrite(ref(artifact), 1, "Progressing", conditions, fields));

    assertThat(wroteAgain).isFalse();
    assertThat(cluster.client().resource(artifact).get().getMetadata().getResourceVersion())
        .isEqualTo(resourceVersion);
  }
}
