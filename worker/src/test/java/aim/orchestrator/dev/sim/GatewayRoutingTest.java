package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Route selection and path rewriting, without a server. */
class GatewayRoutingTest {

  private static HTTPRoute route(
      String name, String type, String value, String rewriteType, String to) {
    HTTPRouteRuleBuilder rule =
        new HTTPRouteRuleBuilder()
            .addNewMatch()
            .withNewPath()
            .withType(type)
            .withValue(value)
            .endPath()
            .endMatch()
            .addNewBackendRef()
            .withName(name + "-predictor")
            .withPort(80)
            .endBackendRef();
    if (rewriteType != null) {
      rule.addNewFilter()
          .withType("URLRewrite")
          .withNewUrlRewrite()
          .withNewPath()
          .withType(rewriteType)
          .withReplacePrefixMatch("ReplacePrefixMatch".equals(rewriteType) ? to : null)
          .withReplaceFullPath("ReplaceFullPath".equals(rewriteType) ? to : null)
          .endPath()
          .endUrlRewrite()
          .endFilter();
    }
    return new HTTPRouteBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .endMetadata()
        .withNewSpec()
        .withRules(rule.build())
        .endSpec()
        .build();
  }

  private static String target(List<HTTPRoute> routes, String path) {
    return GatewayRouting.route(routes, path)
        .map(t -> t.route().getMetadata().getName() + " " + t.path())
        .orElse("none");
  }

  @Test
  void prefixMatchesWholePathElementsAndReplacesThePrefix() {
    List<HTTPRoute> routes =
        List.of(route("svc", "PathPrefix", "/ns/svc", "ReplacePrefixMatch", "/"));

    assertThat(target(routes, "/ns/svc/v1/models")).isEqualTo("svc /v1/models");
    assertThat(target(routes, "/ns/svc")).isEqualTo("svc /");
    assertThat(target(routes, "/ns/svc/")).isEqualTo("svc /");
    assertThat(target(routes, "/ns/svcx/v1/models")).isEqualTo("none");
    assertThat(target(routes, "/ns")).isEqualTo("none");
  }

  @Test
  void longestPrefixWinsAndExactBeatsPrefixes() {
    List<HTTPRoute> routes =
        List.of(
            route("short", "PathPrefix", "/ns/", null, null),
            route("long", "PathPrefix", "/ns/svc", "ReplacePrefixMatch", "/api"),
            route("exact", "Exact", "/ns/svc/health", "ReplaceFullPath", "/health"));

    assertThat(target(routes, "/ns/svc/v1/models")).isEqualTo("long /api/v1/models");
    assertThat(target(routes, "/ns/other")).isEqualTo("short /ns/other");
    assertThat(target(routes, "/ns/svc/health")).isEqualTo("exact /health");
    assertThat(GatewayRouting.route(routes, "/ns/svc/x").orElseThrow().backend().getName())
        .isEqualTo("long-predictor");
    assertThat(GatewayRouting.route(routes, "/ns/svc/x").orElseThrow().backendNamespace())
        .isEqualTo("ns");
  }
}
