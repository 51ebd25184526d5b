package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Plays a Gateway API implementation's route admission: each parent a HTTPRoute names in {@code
 * spec.parentRefs} gets a {@code status.parents[]} entry from controller {@value #CONTROLLER_NAME}
 * for the route's current generation.
 *
 * <ul>
 *   <li>{@code Accepted=True} when the parent is a Gateway that exists (namespace from the
 *       parentRef, else the route's) and, if the ref names a {@code sectionName}, has a listener of
 *       that name; else {@code Accepted=False NoMatchingParent};
 *   <li>{@code ResolvedRefs=True} when every backendRef is a Service that exists (namespace from
 *       the ref, else the route's); else {@code False} with {@code BackendNotFound} (or {@code
 *       InvalidKind} for other kinds). ReferenceGrants are not checked.
 * </ul>
 *
 * Entries written by other controllers are kept; entries of ours for parents no longer referenced
 * are dropped. Routes are looked at again whenever a Gateway or a Service changes (see {@link
 * #triggers}), so a route waiting for its Gateway or backend is accepted once they appear.
 */
final class HttpRouteController extends SimulatedController<HTTPRoute> {

  static final String CONTROLLER_NAME = "dev.aim/simulated-gateway";

  static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  HttpRouteController(KubernetesClient client, Duration reactionDelay) {
    super("gateway", client, reactionDelay);
  }

  @Override
  protected SharedIndexInformer<HTTPRoute> newInformer() {
    return client.resources(HTTPRoute.class).inAnyNamespace().runnableInformer(0);
  }

  @Override
  protected boolean needsWork(HTTPRoute route) {
    // A route with a False condition is looked at again on each of its events; the reconcile
    // writes only when the outcome changed, so that terminates.
    return !SimSupport.isDeleting(route) && !fullyAccepted(route);
  }

  /** Whether our entries match the spec's parents and generation, all conditions True. */
  private static boolean fullyAccepted(HTTPRoute route) {
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

  static List<ParentReference> parentRefs(HTTPRoute route) {
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

  /** Whether one of our entries says {@code Accepted=True} (for any parent). */
  static boolean acceptedByUs(HTTPRoute route) {
    return ourParents(route).stream()
        .anyMatch(
            p ->
                p.getConditions() != null
                    && p.getConditions().stream()
                        .anyMatch(
                            c -> "Accepted".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    var routes = client.resources(HTTPRoute.class).inNamespace(namespace);
    var result =
        SimSupport.writeStatus(
            () -> routes.withName(name).get(),
            route -> {
              if (SimSupport.isDeleting(route)) {
                return false;
              }
              HTTPRouteStatus status = statusFor(route);
              if (SimJson.same(client, status, route.getStatus())) {
                return false;
              }
              route.setStatus(status);
              return true;
            },
            route -> routes.resource(route));
    if (result.written()) {
      for (RouteParentStatus p : ourParents(result.object())) {
        log.info(
            "HTTPRoute {}/{} parent {}: {}",
            namespace,
            name,
            p.getParentRef().getName(),
            p.getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason() + ")")
                .toList());
      }
    }
  }

  private HTTPRouteStatus statusFor(HTTPRoute route) {
    Long generation = route.getMetadata().getGeneration();
    String now = SimSupport.now();
    List<RouteParentStatus> parents = new ArrayList<>();
    if (route.getStatus() != null && route.getStatus().getParents() != null) {
      route.getStatus().getParents().stream()
          .filter(p -> !CONTROLLER_NAME.equals(p.getControllerName()))
          .forEach(parents::add);
    }
    Optional<Problem> backendProblem = backendProblem(route);
    List<RouteParentStatus> previous = ourParents(route);
    for (ParentReference ref : parentRefs(route)) {
      Optional<RouteParentStatus> before =
          previous.stream().filter(p -> Objects.equals(p.getParentRef(), ref)).findFirst();
      Optional<String> parentProblem = parentProblem(route, ref);
      List<Condition> conditions = new ArrayList<>();
      conditions.add(
          parentProblem
              .map(
                  m ->
                      condition(
                          before, "Accepted", "False", "NoMatchingParent", m, generation, now))
              .orElseGet(
                  () ->
                      condition(
                          before,
                          "Accepted",
                          "True",
                          "Accepted",
                          "Route accepted by the simulated gateway",
                          generation,
                          now)));
      conditions.add(
          backendProblem
              .map(
                  p ->
                      condition(
                          before,
                          "ResolvedRefs",
                          "False",
                          p.reason(),
                          p.message(),
                          generation,
                          now))
              .orElseGet(
                  () ->
                      condition(
                          before,
                          "ResolvedRefs",
                          "True",
                          "ResolvedRefs",
                          "All references resolved (simulated)",
                          generation,
                          now)));
      parents.add(new RouteParentStatus(conditions, CONTROLLER_NAME, ref));
    }
    HTTPRouteStatus status = new HTTPRouteStatus();
    status.setParents(parents);
    return status;
  }

  /** Why {@code ref} does not accept the route, or empty when it does. */
  private Optional<String> parentProblem(HTTPRoute route, ParentReference ref) {
    String kind = Objects.requireNonNullElse(ref.getKind(), "Gateway");
    String group = Objects.requireNonNullElse(ref.getGroup(), GATEWAY_GROUP);
    if (!"Gateway".equals(kind) || !GATEWAY_GROUP.equals(group)) {
      return Optional.of("Parent kind " + group + "/" + kind + " is not served by the simulator");
    }
    String namespace =
        Objects.requireNonNullElse(ref.getNamespace(), route.getMetadata().getNamespace());
    Gateway gateway =
        client.resources(Gateway.class).inNamespace(namespace).withName(ref.getName()).get();
    if (gateway == null || SimSupport.isDeleting(gateway)) {
      return Optional.of("Gateway " + namespace + "/" + ref.getName() + " does not exist");
    }
    if (ref.getSectionName() != null) {
      List<Listener> listeners =
          gateway.getSpec() == null || gateway.getSpec().getListeners() == null
              ? List.of()
              : gateway.getSpec().getListeners();
      if (listeners.stream().noneMatch(l -> ref.getSectionName().equals(l.getName()))) {
        return Optional.of(
            "Gateway "
                + namespace
                + "/"
                + ref.getName()
                + " has no listener named "
                + ref.getSectionName());
      }
    }
    return Optional.empty();
  }

  /** Why a reference does not resolve: condition reason and message. */
  private record Problem(String reason, String message) {}

  /** The first unresolvable backendRef, or empty when all resolve. */
  private Optional<Problem> backendProblem(HTTPRoute route) {
    List<HTTPRouteRule> rules =
        route.getSpec() == null || route.getSpec().getRules() == null
            ? List.of()
            : route.getSpec().getRules();
    for (HTTPRouteRule rule : rules) {
      if (rule.getBackendRefs() == null) {
        continue;
      }
      for (HTTPBackendRef ref : rule.getBackendRefs()) {
        String kind = Objects.requireNonNullElse(ref.getKind(), "Service");
        String group = Objects.requireNonNullElse(ref.getGroup(), "");
        if (!"Service".equals(kind) || !group.isEmpty()) {
          return Optional.of(
              new Problem(
                  "InvalidKind", "backendRef kind " + group + "/" + kind + " is not supported"));
        }
        String namespace =
            Objects.requireNonNullElse(ref.getNamespace(), route.getMetadata().getNamespace());
        Service service = client.services().inNamespace(namespace).withName(ref.getName()).get();
        if (service == null) {
          return Optional.of(
              new Problem(
                  "BackendNotFound", "Service " + namespace + "/" + ref.getName() + " not found"));
        }
      }
    }
    return Optional.empty();
  }

  private static Condition condition(
      Optional<RouteParentStatus> before,
      String type,
      String status,
      String reason,
      String message,
      Long generation,
      String now) {
    // Keep the transition time of a condition whose status stays: only the generation moved.
    String since =
        before
            .flatMap(
                p ->
                    p.getConditions() == null
                        ? Optional.empty()
                        : p.getConditions().stream()
                            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                            .map(Condition::getLastTransitionTime)
                            .filter(Objects::nonNull)
                            .findFirst())
            .orElse(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  /**
   * The relays that re-evaluate routes when what they point to changes: a Gateway (created,
   * changed, deleted; following the watch of {@code gateways}) re-checks the routes naming it as
   * parent, a Service (its own watch) the routes naming it as backend.
   */
  List<SimulatedController<?>> triggers(
      SimulatedController<Gateway> gateways, Duration reactionDelay) {
    return List.of(
        EventRelay.following(
            gateways,
            "gateway->routes",
            client,
            reactionDelay,
            (namespace, gateway) -> enqueueRoutes(route -> namesParent(route, namespace, gateway))),
        new EventRelay<Service>(
            "service->routes",
            client,
            reactionDelay,
            c -> c.services().inAnyNamespace().runnableInformer(0),
            (namespace, service) ->
                enqueueRoutes(route -> namesBackend(route, namespace, service))));
  }

  private void enqueueRoutes(Predicate<HTTPRoute> affected) {
    for (HTTPRoute route : client.resources(HTTPRoute.class).inAnyNamespace().list().getItems()) {
      if (!SimSupport.isDeleting(route) && affected.test(route)) {
        enqueue(route.getMetadata().getNamespace(), route.getMetadata().getName(), Duration.ZERO);
      }
    }
  }

  private static boolean namesParent(HTTPRoute route, String namespace, String gateway) {
    return parentRefs(route).stream()
        .anyMatch(
            ref ->
                gateway.equals(ref.getName())
                    && namespace.equals(
                        Objects.requireNonNullElse(
                            ref.getNamespace(), route.getMetadata().getNamespace())));
  }

  private static boolean namesBackend(HTTPRoute route, String namespace, String service) {
    if (route.getSpec() == null || route.getSpec().getRules() == null) {
      return false;
    }
    return route.getSpec().getRules().stream()
        .filter(rule -> rule.getBackendRefs() != null)
        .flatMap(rule -> rule.getBackendRefs().stream())
        .anyMatch(
            ref ->
                service.equals(ref.getName())
                    && namespace.equals(
                        Objects.requireNonNullElse(
                            ref.getNamespace(), route.getMetadata().getNamespace())));
  }
}
