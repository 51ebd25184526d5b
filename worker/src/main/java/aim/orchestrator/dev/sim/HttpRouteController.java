package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Plays a Gateway API implementation: every parent a HTTPRoute names in {@code spec.parentRefs}
 * accepts it, with all references resolved.
 *
 * <p>Each parent gets a {@code status.parents[]} entry from controller {@value #CONTROLLER_NAME}
 * with {@code Accepted=True} and {@code ResolvedRefs=True} for the route's current generation.
 * Entries written by other controllers are kept; entries of ours for parents no longer referenced
 * are dropped. Whether the Gateway exists is not checked.
 */
final class HttpRouteController extends SimulatedController<HTTPRoute> {

  static final String CONTROLLER_NAME = "dev.aim/simulated-gateway";

  HttpRouteController(KubernetesClient client, Duration reactionDelay) {
    super("gateway", client, reactionDelay);
  }

  @Override
  protected SharedIndexInformer<HTTPRoute> newInformer() {
    return client.resources(HTTPRoute.class).inAnyNamespace().runnableInformer(0);
  }

  @Override
  protected boolean needsWork(HTTPRoute route) {
    return !SimSupport.isDeleting(route) && !accepted(route);
  }

  /** Whether our entries in {@code status.parents} match the spec's parents and generation. */
  private static boolean accepted(HTTPRoute route) {
    List<ParentReference> wanted = parentRefs(route);
    List<RouteParentStatus> ours = ourParents(route);
    if (ours.size() != wanted.size()) {
      return false;
    }
    Long generation = route.getMetadata().getGeneration();
    for (ParentReference ref : wanted) {
      Optional<RouteParentStatus> entry =
          ours.stream().filter(p -> Objects.equals(p.getParentRef(), ref)).findFirst();
      if (entry.isEmpty()
          || !conditionTrue(entry.get(), "Accepted", generation)
          || !conditionTrue(entry.get(), "ResolvedRefs", generation)) {
        return false;
      }
    }
    return true;
  }

  private static boolean conditionTrue(RouteParentStatus parent, String type, Long generation) {
    return parent.getConditions() != null
        && parent.getConditions().stream()
            .anyMatch(
                c ->
                    type.equals(c.getType())
                        && "True".equals(c.getStatus())
                        && Objects.equals(c.getObservedGeneration(), generation));
  }

  private static List<ParentReference> parentRefs(HTTPRoute route) {
    return route.getSpec() == null || route.getSpec().getParentRefs() == null
        ? List.of()
        : route.getSpec().getParentRefs();
  }

  private static List<RouteParentStatus> ourParents(HTTPRoute route) {
    if (route.getStatus() == null || route.getStatus().getParents() == null) {
      return List.of();
    }
    return route.getStatus().getParents().stream()
        .filter(p -> CONTROLLER_NAME.equals(p.getControllerName()))
        .toList();
  }

  @Override
  protected void reconcile(String namespace, String name) {
    var routes = client.resources(HTTPRoute.class).inNamespace(namespace);
    var result =
        SimSupport.writeStatus(
            () -> routes.withName(name).get(),
            route -> {
              if (!needsWork(route)) {
                return false;
              }
              route.setStatus(acceptedStatus(route));
              return true;
            },
            route -> routes.resource(route));
    if (result.written()) {
      log.info(
          "HTTPRoute {}/{} accepted by {} parent(s): {}",
          namespace,
          name,
          parentRefs(result.object()).size(),
          parentRefs(result.object()).stream().map(ParentReference::getName).toList());
    }
  }

  private static HTTPRouteStatus acceptedStatus(HTTPRoute route) {
    Long generation = route.getMetadata().getGeneration();
    String now = SimSupport.now();
    List<RouteParentStatus> parents = new ArrayList<>();
    if (route.getStatus() != null && route.getStatus().getParents() != null) {
      route.getStatus().getParents().stream()
          .filter(p -> !CONTROLLER_NAME.equals(p.getControllerName()))
          .forEach(parents::add);
    }
    List<RouteParentStatus> previous = ourParents(route);
    for (ParentReference ref : parentRefs(route)) {
      Optional<RouteParentStatus> before =
          previous.stream().filter(p -> Objects.equals(p.getParentRef(), ref)).findFirst();
      List<Condition> conditions = new ArrayList<>();
      conditions.add(
          condition(
              before, "Accepted", "Route accepted by the simulated gateway", generation, now));
      conditions.add(
          condition(
              before, "ResolvedRefs", "All references resolved (simulated)", generation, now));
      parents.add(new RouteParentStatus(conditions, CONTROLLER_NAME, ref));
    }
    HTTPRouteStatus status = new HTTPRouteStatus();
    status.setParents(parents);
    return status;
  }

  private static Condition condition(
      Optional<RouteParentStatus> before,
      String type,
      String message,
      Long generation,
      String now) {
    // Keep the transition time of a condition that was already True: only the generation moved.
    String since =
        before
            .flatMap(
                p ->
                    p.getConditions() == null
                        ? Optional.empty()
                        : p.getConditions().stream()
                            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                            .map(Condition::getLastTransitionTime)
                            .filter(Objects::nonNull)
                            .findFirst())
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
}
