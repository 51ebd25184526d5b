package aim.orchestrator.render;

import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.Aim;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a service's HTTPRoute (spec §3.9): PathPrefix, URLRewrite to "/", backend {@code <isvc>-predictor:80}. */
public final class HttpRouteRenderer {
  private HttpRouteRenderer() {}

  public static HTTPRoute render(
      AIMService svc,
      String name,
      String inferenceService,
      ParentReference gateway,
      String path,
      String requestTimeout,
      Map<String, String> annotations) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Aim.LABEL_APP_COMPONENT, "routing");
    labels.put(Aim.LABEL_MANAGED_BY, "aim-engine");
    labels.put(Aim.LABEL_SERVICE, svc.getMetadata().getName());
    labels.put(Aim.LABEL_SERVICE_NAME, svc.getMetadata().getName());
    String ns = svc.getMetadata().getNamespace();
    var rule =
        new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder()
            .addNewMatch()
            .withNewPath()
            .withType("PathPrefix")
            .withValue(path)
            .endPath()
            .endMatch()
            .addNewFilter()
            .withType("URLRewrite")
            .withNewUrlRewrite()
            .withNewPath()
            .withType("ReplacePrefixMatch")
            .withReplacePrefixMatch("/")
            .endPath()
            .endUrlRewrite()
            .endFilter()
            .addNewBackendRef()
            .withKind("Service")
            .withName(inferenceService + "-predictor")
            .withNamespace(ns)
            .withPort(80)
            .endBackendRef();
    if (requestTimeout != null && !requestTimeout.isEmpty()) {
      rule.withNewTimeouts().withRequest(requestTimeout).endTimeouts();
    }
    return new HTTPRouteBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .withLabels(labels)
        .withAnnotations(annotations == null || annotations.isEmpty() ? null : annotations)
        .withOwnerReferences(Owners.controller(svc))
        .endMetadata()
        .withNewSpec()
        .withParentRefs(gateway)
        .withRules(rule.build())
        .endSpec()
        .build();
  }

  /** The default path: {@code /<namespace>/<service UID>}. */
  public static String defaultPath(AIMService svc) {
    return "/" + svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getUid();
  }

  /**
   * Renders a path template such as {@code /{.metadata.namespace}/{.metadata.name}}: see {@link PathTemplate}. Throws
   * {@link PathTemplate.InvalidPathTemplateException} (an IllegalArgumentException) naming the expression when it
   * cannot be rendered.
   */
  public static String renderPath(String template, AIMService svc) {
    return PathTemplate.render(template, svc);
  }
}
