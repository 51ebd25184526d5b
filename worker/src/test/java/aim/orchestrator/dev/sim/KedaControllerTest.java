package aim.orchestrator.dev.sim;

import static aim.orchestrator.dev.sim.SimTestObjects.annotate;
import static aim.orchestrator.dev.sim.SimTestObjects.isvc;
import static aim.orchestrator.dev.sim.SimTestObjects.isvcs;
import static aim.orchestrator.dev.sim.SimTestObjects.predictor;
import static aim.orchestrator.dev.sim.SimTestObjects.readyIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ScaledObjects and HPAs for InferenceServices with autoscaler class {@code keda}. */
@EnableKubernetesMockClient(crud = true)
class KedaControllerTest {

  static KubernetesClient client;

  private ClusterSimulator sim;

  @BeforeAll
  static void registerCrds() {
    SimTestObjects.registerDevCrd(client, "inferenceservices.serving.kserve.io.yaml");
    SimTestObjects.registerDevCrd(client, "scaledobjects.keda.sh.yaml");
  }

  @BeforeEach
  void startSimulator() {
    sim = ClusterSimulator.start(client, new SimulatorOptions(2, "MI300X", Duration.ofMillis(50)));
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  /** An autoscaled InferenceService as the AIM engine renders it, with an OTel metric. */
  private static GenericKubernetesResource autoscaled(String ns, String name, int min, int max) {
    GenericKubernetesResource isvc = isvc(ns, name, "aim:1");
    annotate(isvc, KedaController.AUTOSCALER_CLASS, "keda");
    annotate(isvc, "sidecar.opentelemetry.io/inject", name + "-predictor");
    predictor(isvc).put("minReplicas", min);
    predictor(isvc).put("maxReplicas", max);
    predictor(isvc)
        .put(
            "autoScaling",
            Map.of(
                "metrics",
                List.of(
                    Map.of(
                        "type",
                        "PodMetric",
                        "podmetric",
                        Map.of(
                            "metric",
                            Map.of(
                                "backend", "opentelemetry",
                                "metricNames", List.of("vllm:num_requests_running"),
                                "query", "vllm:num_requests_running",
                                "operationOverTime", "avg"),
                            "target",
                            Map.of("type", "Value", "value", "1"))))));
    return isvc;
  }

  private static GenericKubernetesResource scaledObject(String ns, String name) {
    return client
        .genericKubernetesResources(KedaController.SCALED_OBJECTS)
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  private static HorizontalPodAutoscaler hpa(String ns, String name) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  private static String hpaCondition(HorizontalPodAutoscaler hpa, String type) {
    if (hpa == null || hpa.getStatus() == null || hpa.getStatus().getConditions() == null) {
      return null;
    }
    return hpa.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse(null);
  }

  @Test
  void autoscaledServiceGetsScaledObjectAndHpaWhoseMetricsActivateWhenReady() {
    // The claim does not exist yet, so the service is not Ready and the HPA has no metrics.
    GenericKubernetesResource created =
        isvcs(client)
            .resource(SimTestObjects.withClaim(autoscaled("keda-a", "chat", 1, 3), "weights"))
            .create();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "False/FailedGetExternalMetric"
                    .equals(
                        hpaCondition(hpa("keda-a", "keda-hpa-chat-predictor"), "ScalingActive")));
    GenericKubernetesResource so = scaledObject("keda-a", "chat-predictor");
    assertThat(so.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("InferenceService");
              assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(so.getMetadata().getLabels())
        .containsEntry("aim.eai.amd.com/service", "chat-svc")
        .containsEntry("scaledobject.keda.sh/name", "chat-predictor");
    assertThat((Object) so.get("spec", "scaleTargetRef", "name")).isEqualTo("chat-predictor");
    assertThat((Object) so.get("spec", "minReplicaCount")).isEqualTo(1);
    assertThat((Object) so.get("spec", "maxReplicaCount")).isEqualTo(3);
    List<Map<String, Object>> triggers = so.get("spec", "triggers");
    assertThat(triggers)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t).containsEntry("type", "external");
              assertThat(SimJson.asMap(t.get("metadata")))
                  .containsEntry("scalerAddress", "keda-otel-scaler.keda.svc:4318")
                  .containsEntry(
                      "metricQuery",
                      "sum(vllm:num_requests_running{namespace=\"keda-a\","
                          + " deployment=\"chat-predictor\"})")
                  .containsEntry("targetValue", "1.000000")
                  .containsEntry("operationOverTime", "avg");
            });
    assertThat(SimTestObjects.condition(so, "Ready"))
        .hasValueSatisfying(c -> assertThat(c).containsEntry("status", "True"));

    HorizontalPodAutoscaler hpa = hpa("keda-a", "keda-hpa-chat-predictor");
    assertThat(hpa.getMetadata().getLabels())
        .containsEntry("scaledobject.keda.sh/name", "chat-predictor")
        .containsEntry("aim.eai.amd.com/service", "chat-svc")
        .containsEntry("app.kubernetes.io/managed-by", "keda-operator");
    assertThat(hpa.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("ScaledObject");
              assertThat(o.getUid()).isEqualTo(so.getMetadata().getUid());
            });
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("chat-predictor");
    assertThat(hpa.getSpec().getMetrics())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getType()).isEqualTo("External");
              assertThat(m.getExternal().getMetric().getName())
                  .isEqualTo("s0-vllm-num_requests_running");
              assertThat(m.getExternal().getTarget().getAverageValue())
                  .isEqualTo(new Quantity("1"));
            });
    assertThat(hpa.getStatus().getCurrentReplicas()).isEqualTo(1);
    assertThat(hpa.getStatus().getDesiredReplicas()).isEqualTo(1);
    assertThat(hpa.getStatus().getConditions())
        .extracting(
            HorizontalPodAutoscalerCondition::getType,
            HorizontalPodAutoscalerCondition::getStatus,
            HorizontalPodAutoscalerCondition::getReason)
        .containsExactly(
            tuple("AbleToScale", "True", "ReadyForNewScale"),
            tuple("ScalingActive", "False", "FailedGetExternalMetric"),
            tuple("ScalingLimited", "False", "DesiredWithinRange"));

    client.resource(SimTestObjects.claim("keda-a", "weights")).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> readyIs(isvcs(client).inNamespace("keda-a").withName("chat").get(), "True"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "True/ValidMetricFound"
                    .equals(
                        hpaCondition(hpa("keda-a", "keda-hpa-chat-predictor"), "ScalingActive")));
    assertThat(hpaCondition(hpa("keda-a", "keda-hpa-chat-predictor"), "AbleToScale"))
        .isEqualTo("True/ReadyForNewScale");
    assertThat(hpaCondition(hpa("keda-a", "keda-hpa-chat-predictor"), "ScalingLimited"))
        .isEqualTo("True/TooFewReplicas");
  }

  @Test
  void minAndMaxChangesPropagateAndAutoscalerNoneRemovesBoth() {
    isvcs(client).resource(autoscaled("keda-b", "chat", 1, 3)).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "True/ValidMetricFound"
                    .equals(
                        hpaCondition(hpa("keda-b", "keda-hpa-chat-predictor"), "ScalingActive")));

    isvcs(client)
        .inNamespace("keda-b")
        .withName("chat")
        .edit(
            i -> {
              predictor(i).put("minReplicas", 2);
              predictor(i).put("maxReplicas", 5);
              return i;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              HorizontalPodAutoscaler hpa = hpa("keda-b", "keda-hpa-chat-predictor");
              return hpa.getSpec().getMinReplicas() == 2
                  && hpa.getSpec().getMaxReplicas() == 5
                  && Objects.equals(hpa.getStatus().getDesiredReplicas(), 2);
            });
    GenericKubernetesResource so = scaledObject("keda-b", "chat-predictor");
    assertThat((Object) so.get("spec", "minReplicaCount")).isEqualTo(2);
    assertThat((Object) so.get("spec", "maxReplicaCount")).isEqualTo(5);
    assertThat(hpa("keda-b", "keda-hpa-chat-predictor").getStatus().getCurrentReplicas())
        .isEqualTo(2);

    isvcs(client)
        .inNamespace("keda-b")
        .withName("chat")
        .edit(i -> annotate(i, KedaController.AUTOSCALER_CLASS, "none"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                hpa("keda-b", "keda-hpa-chat-predictor") == null
                    && scaledObject("keda-b", "chat-predictor") == null);
  }

  @Test
  void fixedReplicasGetNoScaledObject() {
    isvcs(client).resource(isvc("keda-c", "fixed", "aim:1")).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> readyIs(isvcs(client).inNamespace("keda-c").withName("fixed").get(), "True"));
    // The KEDA simulation has seen the Ready event too by the time it settles; nothing appears.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                scaledObject("keda-c", "fixed-predictor") == null
                    && hpa("keda-c", "keda-hpa-fixed-predictor") == null);
  }
}
