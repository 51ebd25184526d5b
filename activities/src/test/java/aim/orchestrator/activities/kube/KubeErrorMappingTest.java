package aim.orchestrator.activities.kube;

import static aim.orchestrator.activities.Fixtures.IMAGE;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.impl.ResourceActivitiesImpl;
import aim.orchestrator.activities.impl.ServiceActivitiesImpl;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.StatusWrite;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ErrorTypes;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How API errors become failures or status: a mock server in expectation mode answers with the
 * error codes a real API server gives, and the activities go through {@link Kube#stage} and {@link
 * Kube#call}.
 */
class KubeErrorMappingTest {
  static final String GROUP = "/apis/aim.eai.amd.com/v1alpha1";
  static final String SERVICE_PATH = GROUP + "/namespaces/" + NS + "/aimservices/" + SERVICE;
  static final ResourceRef SERVICE_REF = new ResourceRef("AIMService", NS, SERVICE, "svc-uid");

  KubernetesMockServer server;
  KubernetesClient client;
  Kube kube;

  @BeforeEach
  void startServer() {
    server = new KubernetesMockServer(false);
    server.init();
    // One attempt per call, so a 5xx reaches the activity at once instead of after the client's own
    // backoff.
    client =
        server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
    kube = new Kube(client, ApplyMode.CREATE_OR_MERGE_PATCH);
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  static Status status(int code, String reason, String message) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(code)
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  AIMService serviceForImage() {
    AIMService svc = Fixtures.serviceForImage(IMAGE);
    svc.getMetadata().setUid("svc-uid");
    svc.getMetadata().setGeneration(1L);
    svc.getMetadata().setResourceVersion("7");
    return svc;
  }

  /**
   * The reads of resolveModel by image answer normally; the create of the AIMModel gets {@code
   * code}.
   */
  void modelCreateAnswers(int code, Status body) {
    server.expect().get().withPath(SERVICE_PATH).andReturn(200, serviceForImage()).always();
    server
        .expect()
        .get()
        .withPath(GROUP + "/namespaces/" + NS + "/aimmodels")
        .andReturn(
            200,
            Map.of(
                "apiVersion",
                "aim.eai.amd.com/v1alpha1",
                "kind",
                "AIMModelList",
                "metadata",
                Map.of(),
                "items",
                List.of()))
        .always();
    server
        .expect()
        .get()
        .withPath(GROUP + "/aimclustermodels")
        .andReturn(
            200,
            Map.of(
                "apiVersion",
                "aim.eai.amd.com/v1alpha1",
                "kind",
                "AIMClusterModelList",
                "metadata",
                Map.of(),
                "items",
                List.of()))
        .always();
    server
        .expect()
        .post()
        .withPath(GROUP + "/namespaces/" + NS + "/aimmodels")
        .andReturn(code, body)
        .always();
  }

  @Test
  void aServerErrorIsARetryableInfrastructureFailure() {
    server
        .expect()
        .get()
        .withPath(SERVICE_PATH)
        .andReturn(500, status(500, "InternalError", "etcdserver: request timed out"))
        .always();
    ServiceActivitiesImpl activities = new ServiceActivitiesImpl(kube);

    assertThatThrownBy(() -> activities.resolveModel(SERVICE_REF))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(ErrorTypes.Infrastructure.name());
              assertThat(f.isNonRetryable()).isFalse();
              assertThat(f.getOriginalMessage())
                  .isEqualTo("etcdserver: request timed out (HTTP 500)");
            });
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {404, 429, 500, 503})
  void failedWritesThatARetryCanFixAreThrownAsInfrastructure(int code) {
    modelCreateAnswers(code, status(code, "Whatever", "the API server said no"));
    ServiceActivitiesImpl activities = new ServiceActivitiesImpl(kube);

    assertThatThrownBy(() -> activities.resolveModel(SERVICE_REF))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(ErrorTypes.Infrastructure.name());
              assertThat(f.isNonRetryable()).isFalse();
              assertThat(f.getOriginalMessage())
                  .isEqualTo("the API server said no (HTTP " + code + ")");
            });
  }

  @Test
  void forbiddenBecomesAnAuthErrorComponentInsteadOfAFailure() {
    server
        .expect()
        .get()
        .withPath(SERVICE_PATH)
        .andReturn(
            403,
            status(
                403,
                "Forbidden",
                "aimservices.aim.eai.amd.com \"qwen3-chat\" is forbidden: User"
                    + " \"system:serviceaccount:aim:worker\" cannot get resource"))
        .always();

    StageResult result = new ServiceActivitiesImpl(kube).resolveModel(SERVICE_REF);

    assertThat(result.components())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.component()).isEqualTo("Model");
              assertThat(c.error()).isEqualTo(ErrorCategory.AUTH);
              assertThat(c.reason()).isEqualTo("AuthError");
              assertThat(c.state()).isEqualTo(AIMStatus.Failed);
              assertThat(c.dependency()).isEqualTo(DependencyType.UPSTREAM);
              assertThat(c.message()).contains("is forbidden").endsWith("(HTTP 403)");
            });
  }

  @Test
  void unprocessableBecomesAnInvalidSpecComponent() {
    modelCreateAnswers(
        422,
        status(
            422,
            "Invalid",
            "AIMModel.aim.eai.amd.com \"aim-qwen\" is invalid: spec.image: Required value"));

    StageResult result = new ServiceActivitiesImpl(kube).resolveModel(SERVICE_REF);

    assertThat(result.components())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.error()).isEqualTo(ErrorCategory.INVALID_SPEC);
              assertThat(c.reason()).isEqualTo("InvalidSpec");
              assertThat(c.state()).isEqualTo(AIMStatus.Failed);
              assertThat(c.message()).contains("spec.image: Required value");
            });
  }

  @Test
  void directCallsMapForbiddenToANonRetryableAuthFailure() {
    server
        .expect()
        .get()
        .withPath(SERVICE_PATH)
        .andReturn(403, status(403, "Forbidden", "forbidden"))
        .always();
    ResourceActivitiesImpl activities = new ResourceActivitiesImpl(kube, Clock.systemUTC());

    assertThatThrownBy(() -> activities.observe(SERVICE_REF))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(ErrorTypes.Auth.name());
              assertThat(f.isNonRetryable()).isTrue();
            });
  }

  @Test
  void directCallsMapServerErrorsToRetryableInfrastructureFailures() {
    server
        .expect()
        .get()
        .withPath(SERVICE_PATH)
        .andReturn(503, status(503, "ServiceUnavailable", "try later"))
        .always();
    ResourceActivitiesImpl activities = new ResourceActivitiesImpl(kube, Clock.systemUTC());

    assertThatThrownBy(() -> activities.observe(SERVICE_REF))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(ErrorTypes.Infrastructure.name());
              assertThat(f.isNonRetryable()).isFalse();
            });
  }

  @Test
  void aConflictingStatusWriteIsRetried() {
    server.expect().get().withPath(SERVICE_PATH).andReturn(200, serviceForImage()).always();
    server
        .expect()
        .put()
        .withPath(SERVICE_PATH + "/status")
        .andReturn(
            409,
            status(
                409,
                "Conflict",
                "Operation cannot be fulfilled on aimservices.aim.eai.amd.com \"qwen3-chat\": the"
                    + " object has been modified"))
        .always();
    ResourceActivitiesImpl activities = new ResourceActivitiesImpl(kube, Clock.systemUTC());
    StatusWrite write =
        new StatusWrite(
            SERVICE_REF,
            1,
            "Starting",
            List.of(ConditionSpec.isFalse("Ready", "Progressing", "")),
            Map.of());

    assertThatThrownBy(() -> activities.writeStatus(write))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(ErrorTypes.Infrastructure.name());
              assertThat(f.isNonRetryable()).isFalse();
            });
  }

  @Test
  void stageLeavesNonKubernetesExceptionsAlone() {
    IllegalStateException bug = new IllegalStateException("a bug");

    assertThatThrownBy(
            () ->
                Kube.stage(
                    "Model",
                    DependencyType.UPSTREAM,
                    () -> {
                      throw bug;
                    }))
        .isSameAs(bug);
  }

  @Test
  void stageMapsANetworkErrorToInfrastructure() {
    KubernetesClientException network = new KubernetesClientException("connection refused");

    assertThatThrownBy(
            () ->
                Kube.stage(
                    "Model",
                    DependencyType.UPSTREAM,
                    () -> {
                      throw network;
                    }))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(ErrorTypes.Infrastructure.name()));
  }

  @Test
  void stagePassesAHealthyResultThrough() {
    StageResult ok =
        StageResult.of(
            ComponentHealth.ready("Model", "ModelResolved", "", DependencyType.UPSTREAM));

    assertThat(Kube.stage("Model", DependencyType.UPSTREAM, () -> ok)).isSameAs(ok);
  }
}
