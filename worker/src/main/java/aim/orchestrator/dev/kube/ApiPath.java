package aim.orchestrator.dev.kube;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Kubernetes REST path split into its parts: {@code /api/v1/...} (core group, {@code group} is
 * "") or {@code /apis/<group>/<version>/...}, optionally {@code namespaces/<ns>/}, then {@code
 * <resource>[/<name>[/<sub>]]}.
 *
 * @param group API group, "" for the core group
 * @param version API version
 * @param namespace namespace from the path, or null
 * @param resource plural resource name, or null for a group-version discovery path
 * @param name object name, or null for a collection
 * @param subresource subresource ("status", "scale", "log", ...), or null
 * @param query decoded query parameters (first value wins)
 */
record ApiPath(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource,
    Map<String, String> query) {

  /**
   * Subresources of the core {@code namespaces} resource, which make {@code namespaces/x/status}
   * not namespaced.
   */
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  static Optional<ApiPath> parse(String rawPath) {
    int q = rawPath.indexOf('?');
    String path = q < 0 ? rawPath : rawPath.substring(0, q);
    Map<String, String> query = parseQuery(q < 0 ? "" : rawPath.substring(q + 1));
    List<String> segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    String group;
    String version;
    List<String> rest;
    if (segments.size() >= 2 && segments.get(0).equals("api")) {
      group = "";
      version = segments.get(1);
      rest = segments.subList(2, segments.size());
    } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      version = segments.get(2);
      rest = segments.subList(3, segments.size());
    } else {
      return Optional.empty();
    }
    String namespace = null;
    if (rest.size() >= 3
        && rest.get(0).equals("namespaces")
        && !(group.isEmpty() && rest.size() == 3 && NAMESPACE_SUBRESOURCES.contains(rest.get(2)))) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.isEmpty() ? null : rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : null;
    String sub = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : null;
    return Optional.of(new ApiPath(group, version, namespace, resource, name, sub, query));
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw.isEmpty()) {
      return out;
    }
    Arrays.stream(raw.split("&"))
        .forEach(
            pair -> {
              int eq = pair.indexOf('=');
              String k =
                  URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
              String v =
                  eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
              out.putIfAbsent(k, v);
            });
    return out;
  }

  /** The path of the object itself (no subresource, no query), as the CRUD store addresses it. */
  String objectPath() {
    StringBuilder b =
        new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (namespace != null) {
      b.append("/namespaces/").append(namespace);
    }
    b.append('/').append(resource);
    if (name != null) {
      b.append('/').append(name);
    }
    return b.toString();
  }

  /**
   * "resource.group" as kube-apiserver names a resource in messages
   * ("aimservices.aim.eai.amd.com").
   */
  String qualifiedResource() {
    return group.isEmpty() ? resource : resource + "." + group;
  }

  boolean isStatus() {
    return "status".equals(subresource);
  }
}
