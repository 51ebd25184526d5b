package aim.orchestrator.render;

import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.Aim;
import aim.orchestrator.naming.DerivedNames;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds a service's HTTPRoute (spec §3.9): PathPrefix, URLRewrite to "/", backend {@code <isvc>-predictor:80}. */
public final class HttpRouteRenderer {
  private static final Pattern EXPRESSION = Pattern.compile("\\{([^}]*)}");
  private static final Pattern MAP_KEY = Pattern.compile("^\\.metadata\\.(labels|annotations)\\['([^']+)'\\]$");

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
   * Renders a path template such as {@code /{.metadata.namespace}/{.metadata.name}}. Supported expressions:
   * {@code .metadata.namespace}, {@code .metadata.name}, {@code .metadata.uid}, and
   * {@code .metadata.labels['k']} / {@code .metadata.annotations['k']}. Throws IllegalArgumentException naming the
   * expression when it cannot be rendered.
   */
  public static String renderPath(String template, AIMService svc) {
    Matcher m = EXPRESSION.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(evaluate(m.group(1).trim(), svc)));
    }
    m.appendTail(sb);
    List<String> segments = new ArrayList<>();
    for (String s : sb.toString().split("/")) {
      if (!s.isEmpty()) {
        String clean = DerivedNames.rfc1123(s);
        if (!clean.isEmpty()) {
          segments.add(clean);
        }
      }
    }
    String path = "/" + String.join("/", segments);
    if (path.length() > 200) {
      throw new IllegalArgumentException("rendered path is longer than 200 characters: " + path);
    }
    return path;
  }

  private static String evaluate(String expr, AIMService svc) {
    var md = svc.getMetadata();
    switch (expr) {
      case ".metadata.namespace":
        return md.getNamespace();
      case ".metadata.name":
        return md.getName();
      case ".metadata.uid":
        return md.getUid();
      default:
        break;
    }
    Matcher km = MAP_KEY.matcher(expr);
    if (km.matches()) {
      Map<String, String> map = km.group(1).equals("labels") ? md.getLabels() : md.getAnnotations();
      String value = map == null ? null : map.get(km.group(2));
      if (value == null) {
        throw new IllegalArgumentException("{" + expr + "}: " + km.group(1) + " has no key '" + km.group(2) + "'");
      }
      return value;
    }
    throw new IllegalArgumentException("{" + expr + "}: unsupported path template expression");
  }
}
