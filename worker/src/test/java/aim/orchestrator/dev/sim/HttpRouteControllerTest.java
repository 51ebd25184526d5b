package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
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

  /** A Gateway with one HTTP listener {@code http}, unless it exists. */
  static void gateway(String ns, String name) {
    var gateways = client.resources(Gateway.class).inNamespace(ns);
    if (gateways.withName(name).get() == null) {
      gateways
          .resource(
              new GatewayBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewSpec()
                  .withGatewayClassName("test")
                  .addNewListener()
                  .withName("http")
                  .withProtocol("HTTP")
                  .withPort(80)
                  .endListener()
                  .endSpec()
                  .build())
          .create();
    }
  }

  static void service(String ns, String name) {
    client
        .services()
        .inNamespace(ns)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(80)
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  /** The parents and the backend {@link #route} refers to. */
  private static void givenParentsAndBackend(String ns) {
    gateway("gateways", "aim-gateway");
    gateway(ns, "internal");
    service(ns, "qwen3-chat-predictor");
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
    givenParentsAndBackend("routes-a");
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
    givenParentsAndBackend("routes-b");
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

  private static Condition ourCondition(String ns, String name, String type) {
    HTTPRoute route = get(ns, name);
    if (route == null || route.getStatus() == null || route.getStatus().getParents() == null) {
      return null;
    }
    return route.getStatus().getParents().stream()
        .filter(p -> "dev.aim/simulated-gateway".equals(p.getControllerName()))
        .flatMap(p -> p.getConditions().stream())
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static String summary(Condition c) {
    return c == null ? null : c.getStatus() + "/" + c.getReason();
  }

  @Test
  void routeWaitsForItsGatewayAndItsBackend() {
    HTTPRoute route = route("routes-c", "late");
    route.getSpec().getParentRefs().remove(1);
    route.getSpec().getParentRefs().get(0).setNamespace(null);
    route.getSpec().getParentRefs().get(0).setName("late-gateway");
    client.resource(route).create();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "False/NoMatchingParent"
                        .equals(summary(ourCondition("routes-c", "late", "Accepted")))
                    && "False/BackendNotFound"
                        .equals(summary(ourCondition("routes-c", "late", "ResolvedRefs"))));
    assertThat(ourCondition("routes-c", "late", "Accepted").getMessage())
        .contains("routes-c/late-gateway");
    assertThat(ourCondition("routes-c", "late", "ResolvedRefs").getMessage())
        .contains("routes-c/qwen3-chat-predictor");

    // The Gateway appears in the route's namespace (the parentRef names none): accepted.
    gateway("routes-c", "late-gateway");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "True/Accepted".equals(summary(ourCondition("routes-c", "late", "Accepted"))));
    assertThat(summary(ourCondition("routes-c", "late", "ResolvedRefs")))
        .isEqualTo("False/BackendNotFound");

    service("routes-c", "qwen3-chat-predictor");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ourAcceptedParents(get("routes-c", "late"), 1) == 1
                    && "True/ResolvedRefs"
                        .equals(summary(ourCondition("routes-c", "late", "ResolvedRefs"))));

    // Deleting the Gateway takes the acceptance back.
    client.resources(Gateway.class).inNamespace("routes-c").withName("late-gateway").delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "False/NoMatchingParent"
                    .equals(summary(ourCondition("routes-c", "late", "Accepted"))));
  }

  @Test
  void defaultGatewayExistsAndIsProgrammed() {
    Gateway gateway =
        client.resources(Gateway.class).inNamespace("aim-system").withName("aim-gateway").get();
    assertThat(client.namespaces().withName("aim-system").get()).isNotNull();
    assertThat(gateway.getSpec().getGatewayClassName()).isEqualTo("aim-dev");
    assertThat(gateway.getSpec().getListeners())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.getName()).isEqualTo("http");
              assertThat(l.getPort()).isEqualTo(80);
              assertThat(l.getProtocol()).isEqualTo("HTTP");
            });
    assertThat(gateway.getStatus().getConditions())
        .extracting(Condition::getType, Condition::getStatus)
        .containsExactlyInAnyOrder(tuple("Accepted", "True"), tuple("Programmed", "True"));
  }
}
