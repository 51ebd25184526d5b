package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the HTTPRoute rule a request path goes to and rewrites the path, following the Gateway API
 * for the subset the dev gateway supports.
 *
 * <p>Supported: path matches of type {@code PathPrefix} (element-wise: {@code /a} matches {@code
 * /a} and {@code /a/b}, not {@code /ab}) and {@code Exact}; a rule without matches matches every
 * path. Precedence: an exact match beats any prefix, a longer prefix a shorter one, then the older
 * route, then namespace/name. Filters: {@code URLRewrite} with {@code ReplacePrefixMatch} or {@code
 * ReplaceFullPath}. The first backendRef with a non-zero weight is used. Ignored: hostnames,
 * header/query/method matches, regular-expression paths, other filters, weights beyond zero.
 */
final class GatewayRouting {

  private GatewayRouting() {}

  /**
   * Where a request goes.
   *
   * @param route the route whose rule matched
   * @param backend the backend chosen, {@code null} when the rule has none
   * @param path the path after rewriting (without the query)
   */
  record Target(HTTPRoute route, HTTPBackendRef backend, String path) {

    /** The backend's namespace (the route's unless the ref names one). */
    String backendNamespace() {
      return backend == null || backend.getNamespace() == null
          ? route.getMetadata().getNamespace()
          : backend.getNamespace();
    }
  }

  private record Candidate(
      HTTPRoute route, HTTPRouteRule rule, boolean exact, String matched, int order) {}

  /**
   * Picks the target for {@code path} among {@code routes} (all assumed accepted).
   *
   * @param path the raw request path, without the query
   */
  static Optional<Target> route(List<HTTPRoute> routes, String path) {
    Comparator<Candidate> precedence =
        Comparator.comparing(Candidate::exact)
            .thenComparingInt(c -> c.matched().length())
            .reversed()
            .thenComparing(
                c -> Objects.requireNonNullElse(c.route().getMetadata().getCreationTimestamp(), ""))
            .thenComparing(c -> c.route().getMetadata().getNamespace())
            .thenComparing(c -> c.route().getMetadata().getName())
            .thenComparingInt(Candidate::order);
    int order = 0;
    Candidate best = null;
    for (HTTPRoute route : routes) {
      if (route.getSpec() == null || route.getSpec().getRules() == null) {
        continue;
      }
      for (HTTPRouteRule rule : route.getSpec().getRules()) {
        List<HTTPRouteMatch> matches =
            rule.getMatches() == null || rule.getMatches().isEmpty()
                ? List.of(new HTTPRouteMatch())
                : rule.getMatches();
        for (HTTPRouteMatch match : matches) {
          Candidate c = candidate(route, rule, match, path, order++);
          if (c != null && (best == null || precedence.compare(c, best) < 0)) {
            best = c;
          }
        }
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    return Optional.of(new Target(best.route(), backend(best.rule()), rewrite(best, path)));
  }

  private static Candidate candidate(
      HTTPRoute route, HTTPRouteRule rule, HTTPRouteMatch match, String path, int order) {
    HTTPPathMatch pathMatch = match.getPath();
    String type =
        pathMatch == null || pathMatch.getType() == null ? "PathPrefix" : pathMatch.getType();
    String value = pathMatch == null || pathMatch.getValue() == null ? "/" : pathMatch.getValue();
    if ("Exact".equals(type)) {
      return path.equals(value) ? new Candidate(route, rule, true, value, order) : null;
    }
    if (!"PathPrefix".equals(type)) {
      return null;
    }
    String prefix = trimTrailingSlashes(value);
    boolean matches = prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
    return matches ? new Candidate(route, rule, false, prefix, order) : null;
  }

  private static String rewrite(Candidate c, String path) {
    if (c.rule().getFilters() == null) {
      return path;
    }
    for (HTTPRouteFilter filter : c.rule().getFilters()) {
      if (!"URLRewrite".equals(filter.getType())
          || filter.getUrlRewrite() == null
          || filter.getUrlRewrite().getPath() == null) {
        continue;
      }
      HTTPPathModifier modifier = filter.getUrlRewrite().getPath();
      if ("ReplaceFullPath".equals(modifier.getType()) && modifier.getReplaceFullPath() != null) {
        return modifier.getReplaceFullPath();
      }
      if ("ReplacePrefixMatch".equals(modifier.getType())
          && modifier.getReplacePrefixMatch() != null) {
        // "/ns/svc" + replacement "/" turns "/ns/svc/v1/models" into "/v1/models": the remainder
        // keeps its leading slash, so the replacement's trailing one goes.
        String remainder = path.substring(Math.min(c.matched().length(), path.length()));
        String rewritten = trimTrailingSlashes(modifier.getReplacePrefixMatch()) + remainder;
        return rewritten.isEmpty() ? "/" : rewritten;
      }
    }
    return path;
  }

  private static HTTPBackendRef backend(HTTPRouteRule rule) {
    if (rule.getBackendRefs() == null) {
      return null;
    }
    return rule.getBackendRefs().stream()
        .filter(b -> b.getWeight() == null || b.getWeight() > 0)
        .findFirst()
        .orElse(null);
  }

  private static String trimTrailingSlashes(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }
}
