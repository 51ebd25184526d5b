package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Plays the Gateway API implementation's Gateway side: every Gateway (whatever its class) is {@code
 * Accepted} and {@code Programmed} for its current generation, with the address of the dev gateway
 * (127.0.0.1). Listener statuses are not written.
 *
 * <p>{@link #ensureDefaultGateway} creates the Gateway the dev mode points services at: {@value
 * #DEFAULT_NAME} in namespace {@value #DEFAULT_NAMESPACE}, class {@value #GATEWAY_CLASS}, one HTTP
 * listener {@code http} on port 80 that admits routes from all namespaces.
 */
final class GatewayController extends SimulatedController<Gateway> {

  static final String DEFAULT_NAMESPACE = "aim-system";
  static final String DEFAULT_NAME = "aim-gateway";
  static final String GATEWAY_CLASS = "aim-dev";

  private static final SimLog LOG = new SimLog(GatewayController.class);

  GatewayController(KubernetesClient client, Duration reactionDelay) {
    super("gateways", client, reactionDelay);
  }

  @Override
  protected SharedIndexInformer<Gateway> newInformer() {
    return client.resources(Gateway.class).inAnyNamespace().runnableInformer(0);
  }

  @Override
  protected boolean needsWork(Gateway gateway) {
    return !SimSupport.isDeleting(gateway) && !programmed(gateway);
  }

  private static boolean programmed(Gateway gateway) {
    Long generation = gateway.getMetadata().getGeneration();
    return gateway.getStatus() != null
        && gateway.getStatus().getConditions() != null
        && gateway.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    "Programmed".equals(c.getType())
                        && "True".equals(c.getStatus())
                        && Objects.equals(c.getObservedGeneration(), generation));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    var result = program(client, namespace, name);
    if (result.written()) {
      log.info("Gateway {}/{} accepted and programmed (address 127.0.0.1)", namespace, name);
    }
  }

  private static SimSupport.StatusWrite<Gateway> program(
      KubernetesClient client, String namespace, String name) {
    var gateways = client.resources(Gateway.class).inNamespace(namespace);
    return SimSupport.writeStatus(
        () -> gateways.withName(name).get(),
        gateway -> {
          if (SimSupport.isDeleting(gateway) || programmed(gateway)) {
            return false;
          }
          gateway.setStatus(programmedStatus(gateway));
          return true;
        },
        gateway -> gateways.resource(gateway));
  }

  private static GatewayStatus programmedStatus(Gateway gateway) {
    Long generation = gateway.getMetadata().getGeneration();
    List<Condition> old =
        gateway.getStatus() == null || gateway.getStatus().getConditions() == null
            ? List.of()
            : gateway.getStatus().getConditions();
    String now = SimSupport.now();
    GatewayStatus status = new GatewayStatus();
    status.setAddresses(
        List.of(
            new GatewayStatusAddressBuilder()
                .withType("IPAddress")
                .withValue("127.0.0.1")
                .build()));
    status.setConditions(
        List.of(
            condition(
                old, "Accepted", "Gateway accepted by the simulated gateway", generation, now),
            condition(old, "Programmed", "Gateway programmed (simulated)", generation, now)));
    return status;
  }

  private static Condition condition(
      List<Condition> old, String type, String message, Long generation, String now) {
    String since =
        old.stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(type)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  /**
   * Creates namespace {@value #DEFAULT_NAMESPACE} and Gateway {@value #DEFAULT_NAME} unless they
   * exist, and makes sure the Gateway is programmed; an existing Gateway's spec is left alone.
   */
  static void ensureDefaultGateway(KubernetesClient client) {
    if (client.namespaces().withName(DEFAULT_NAMESPACE).get() == null) {
      createIgnoringConflict(
          () ->
              client
                  .namespaces()
                  .resource(
                      new NamespaceBuilder()
                          .withNewMetadata()
                          .withName(DEFAULT_NAMESPACE)
                          .addToLabels(SimSupport.SIMULATED_LABEL, "true")
                          .endMetadata()
                          .build())
                  .create());
    }
    var gateways = client.resources(Gateway.class).inNamespace(DEFAULT_NAMESPACE);
    if (gateways.withName(DEFAULT_NAME).get() == null) {
      Gateway gateway =
          new GatewayBuilder()
              .withNewMetadata()
              .withName(DEFAULT_NAME)
              .withNamespace(DEFAULT_NAMESPACE)
              .addToLabels(SimSupport.SIMULATED_LABEL, "true")
              .endMetadata()
              .withNewSpec()
              .withGatewayClassName(GATEWAY_CLASS)
              .addNewListener()
              .withName("http")
              .withProtocol("HTTP")
              .withPort(80)
              .withNewAllowedRoutes()
              .withNewNamespaces()
              .withFrom("All")
              .endNamespaces()
              .endAllowedRoutes()
              .endListener()
              .endSpec()
              .build();
      createIgnoringConflict(() -> gateways.resource(gateway).create());
      LOG.info(
          "created Gateway {}/{} (class {}, listener http/80)",
          DEFAULT_NAMESPACE,
          DEFAULT_NAME,
          GATEWAY_CLASS);
    }
    program(client, DEFAULT_NAMESPACE, DEFAULT_NAME);
  }

  private static void createIgnoringConflict(Runnable create) {
    try {
      create.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }
}
