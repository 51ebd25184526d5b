package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class HttpRouteControllerTest {

  static KubernetesClient client;

  private ClusterSimulator sim;

  @BeforeEach
  void startSimulator() {
    sim = ClusterSimulator.start(client, new SimulatorOptions(1, "MI300X", Duration.ofMillis(50)));
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  private static HTTPRoute route(String ns, String name) {
    return new HTTPRouteBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .addNewParentRef()
        .withGroup("gateway.networking.k8s.io")
        .withKind("Gateway")
        .withName("aim-gateway")
        .withNamespace("gateways")
        .endParentRef()
        .addNewParentRef()
        .withName("internal")
        .withSectionName("http")
        .endParentRef()
        .addNewRule()
        .addNewMatch()
        .withNewPath()
        .withType("PathPrefix")
        .withValue("/ml-team/qwen3-chat")
        .endPath()
        .endMatch()
        .addNewBackendRef()
        .withKind("Service")
        .withName("qwen3-chat-predictor")
        .withPort(80)
        .endBackendRef()
        .endRule()
        .endSpec()
        .build();
  }

  private static HTTPRoute get(String ns, String name) {
    return client.resources(HTTPRoute.class).inNamespace(ns).withName(name).get();
  }

  private static long ourAcceptedParents(HTTPRoute route, long generation) {
    if (route == null || route.getStatus() == null || route.getStatus().getParents() == null) {
      return 0;
    }
    return route.getStatus().getParents().stream()
        .filter(p -> "dev.aim/simulated-gateway".equals(p.getControllerName()))
        .filter(
            p ->
                p.getConditions().stream()
                    .anyMatch(
                        c ->
                            "Accepted".equals(c.getType())
                                && "True".equals(c.getStatus())
                                && Objects.equals(c.getObservedGeneration(), generation)))
        .count();
  }

  @Test
  void everyParentAcceptsTheRoute() {
    HTTPRoute created = client.resource(route("routes-a", "qwen3-chat")).create();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ourAcceptedParents(get("routes-a", "qwen3-chat"), 1) == 2);

    HTTPRoute accepted = get("routes-a", "qwen3-chat");
    // Its own status write must not make it react again.
    String version = accepted.getMetadata().getResourceVersion();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(
            () -> version.equals(get("routes-a", "qwen3-chat").getMetadata().getResourceVersion()));
    assertThat(accepted.getStatus().getParents())
        .extracting(RouteParentStatus::getParentRef)
        .containsExactlyElementsOf(created.getSpec().getParentRefs());
    assertThat(accepted.getStatus().getParents())
        .allSatisfy(
            p -> {
              assertThat(p.getControllerName()).isEqualTo("dev.aim/simulated-gateway");
              assertThat(p.getConditions())
                  .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
                  .containsExactlyInAnyOrder(
                      tuple("Accepted", "True", "Accepted"),
                      tuple("ResolvedRefs", "True", "ResolvedRefs"));
              assertThat(p.getConditions())
                  .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
            });
  }

  @Test
  void specChangeIsObservedAndOtherControllersEntriesAreKept() {
    HTTPRoute route = route("routes-b", "r");
    route.setStatus(
        new HTTPRouteStatusBuilder()
            .addNewParent()
            .withControllerName("example.com/other-gateway")
            .withNewParentRef()
            .withName("other")
            .endParentRef()
            .withConditions(
                new ConditionBuilder()
                    .withType("Accepted")
                    .withStatus("False")
                    .withReason("NotAllowedByListeners")
                    .build())
            .endParent()
            .build());
    client.resource(route).create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ourAcceptedParents(get("routes-b", "r"), 1) == 2);

    HTTPRoute current = get("routes-b", "r");
    current.getSpec().getParentRefs().remove(1);
    HTTPRoute updated = client.resource(current).update();
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ourAcceptedParents(get("routes-b", "r"), 2) == 1);
    assertThat(get("routes-b", "r").getStatus().getParents())
        .extracting(RouteParentStatus::getControllerName)
        .containsExactlyInAnyOrder("example.com/other-gateway", "dev.aim/simulated-gateway");
  }
}
