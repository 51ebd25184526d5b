package aim.orchestrator.dev.kube;

import aim.orchestrator.dev.kube.ResourceType.Subresource;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Discovery documents (legacy {@code APIVersions}/{@code APIGroupList}/{@code APIResourceList} and
 * aggregated {@code apidiscovery.k8s.io/v2 APIGroupDiscoveryList}) for the built-in table plus the
 * stored CRDs. The CRUD mock's own answers (a {@code List} for {@code /apis}) make kubectl unable
 * to map kinds, hence this.
 */
final class Discovery {

  /**
   * The media type kubectl asks for first and that a real API server answers aggregated discovery
   * with.
   */
  static final String AGGREGATED_V2 =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

  private final ObjectMapper mapper;

  Discovery(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Whether the Accept header asks for aggregated discovery v2 (kubectl ≥ 1.26 does, with a JSON
   * fallback).
   */
  static boolean wantsAggregated(String accept) {
    if (accept == null) {
      return false;
    }
    for (String part : accept.split(",")) {
      String p = part.replace(" ", "");
      if (p.contains("g=apidiscovery.k8s.io")
          && p.contains("v=v2;")
          && p.contains("as=APIGroupDiscoveryList")) {
        return true;
      }
    }
    return false;
  }

  /** Groups (name → versions, preferred first): built-in groups, then CRD groups. */
  private static Map<String, List<String>> groups(CrdRegistry crds) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (List<String> gv : BuiltinResources.GROUP_VERSIONS) {
      out.put(gv.get(0), gv.subList(1, gv.size()));
    }
    Map<String, Set<String>> custom = new LinkedHashMap<>();
    for (CrdRegistry.Crd crd : crds.all()) {
      Set<String> versions = custom.computeIfAbsent(crd.group(), g -> new LinkedHashSet<>());
      crd.servedByPriority().forEach(v -> versions.add(v.name()));
    }
    custom.forEach(
        (group, versions) -> {
          if (!versions.isEmpty() && !out.containsKey(group)) {
            out.put(group, versions.stream().sorted(CrdRegistry::compareVersions).toList());
          }
        });
    return out;
  }

  private static List<ResourceType> resources(CrdRegistry crds, String group, String version) {
    List<ResourceType> out = new ArrayList<>();
    for (ResourceType t : BuiltinResources.ALL) {
      if (t.group().equals(group) && t.version().equals(version)) {
        out.add(t);
      }
    }
    for (ResourceType t : crds.resourceTypes()) {
      if (t.group().equals(group) && t.version().equals(version)) {
        out.add(t);
      }
    }
    return out;
  }

  ObjectNode apiVersions(String serverAddress) {
    ObjectNode root = mapper.createObjectNode();
    root.put("kind", "APIVersions");
    root.putArray("versions").add("v1");
    ObjectNode cidr = root.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return root;
  }

  ObjectNode apiGroupList(CrdRegistry crds) {
    ObjectNode root = mapper.createObjectNode();
    root.put("kind", "APIGroupList");
    root.put("apiVersion", "v1");
    ArrayNode array = root.putArray("groups");
    groups(crds).forEach((name, versions) -> array.add(apiGroup(name, versions)));
    return root;
  }

  Optional<ObjectNode> apiGroup(CrdRegistry crds, String group) {
    List<String> versions = groups(crds).get(group);
    if (versions == null) {
      return Optional.empty();
    }
    ObjectNode g = apiGroup(group, versions);
    g.put("kind", "APIGroup");
    g.put("apiVersion", "v1");
    return Optional.of(g);
  }

  private ObjectNode apiGroup(String name, List<String> versions) {
    ObjectNode g = mapper.createObjectNode();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      ObjectNode gv = vs.addObject();
      gv.put("groupVersion", name + "/" + v);
      gv.put("version", v);
    }
    ObjectNode preferred = g.putObject("preferredVersion");
    preferred.put("groupVersion", name + "/" + versions.get(0));
    preferred.put("version", versions.get(0));
    return g;
  }

  /** The APIResourceList of one group version, or empty when nothing is served there. */
  Optional<ObjectNode> apiResourceList(CrdRegistry crds, String group, String version) {
    boolean served =
        group.isEmpty()
            ? version.equals("v1")
            : groups(crds).getOrDefault(group, List.of()).contains(version);
    if (!served) {
      return Optional.empty();
    }
    ObjectNode root = mapper.createObjectNode();
    root.put("kind", "APIResourceList");
    root.put("apiVersion", "v1");
    root.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode array = root.putArray("resources");
    for (ResourceType t : resources(crds, group, version)) {
      ObjectNode r = array.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      strings(r.putArray("verbs"), t.verbs());
      if (!t.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), t.shortNames());
      }
      if (!t.categories().isEmpty()) {
        strings(r.putArray("categories"), t.categories());
      }
      for (Subresource s : t.subresources()) {
        ObjectNode sr = array.addObject();
        sr.put("name", t.plural() + "/" + s.name());
        sr.put("singularName", "");
        sr.put("namespaced", t.namespaced());
        if (!s.responseGroup().equals(t.group()) || !s.responseVersion().equals(t.version())) {
          sr.put("group", s.responseGroup());
          sr.put("version", s.responseVersion());
        }
        sr.put("kind", s.responseKind());
        strings(sr.putArray("verbs"), s.verbs());
      }
    }
    return Optional.of(root);
  }

  /**
   * Aggregated discovery: {@code core} true answers {@code /api} (the core group only), false
   * answers {@code /apis} (every other group).
   */
  ObjectNode aggregated(CrdRegistry crds, boolean core) {
    ObjectNode root = mapper.createObjectNode();
    root.put("kind", "APIGroupDiscoveryList");
    root.put("apiVersion", "apidiscovery.k8s.io/v2");
    root.putObject("metadata");
    ArrayNode items = root.putArray("items");
    Map<String, List<String>> groups = new LinkedHashMap<>();
    if (core) {
      groups.put("", List.of("v1"));
    } else {
      groups.putAll(groups(crds));
    }
    groups.forEach(
        (group, versions) -> {
          ObjectNode item = items.addObject();
          ObjectNode metadata = item.putObject("metadata");
          if (!group.isEmpty()) {
            metadata.put("name", group);
          }
          ArrayNode vs = item.putArray("versions");
          for (String version : versions) {
            ObjectNode v = vs.addObject();
            v.put("version", version);
            ArrayNode rs = v.putArray("resources");
            for (ResourceType t : resources(crds, group, version)) {
              ObjectNode r = rs.addObject();
              r.put("resource", t.plural());
              kind(r.putObject("responseKind"), t.group(), t.version(), t.kind());
              r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
              r.put("singularResource", t.singular());
              strings(r.putArray("verbs"), t.verbs());
              if (!t.shortNames().isEmpty()) {
                strings(r.putArray("shortNames"), t.shortNames());
              }
              if (!t.categories().isEmpty()) {
                strings(r.putArray("categories"), t.categories());
              }
              if (!t.subresources().isEmpty()) {
                ArrayNode subs = r.putArray("subresources");
                for (Subresource s : t.subresources()) {
                  ObjectNode sr = subs.addObject();
                  sr.put("subresource", s.name());
                  kind(
                      sr.putObject("responseKind"),
                      s.responseGroup(),
                      s.responseVersion(),
                      s.responseKind());
                  strings(sr.putArray("verbs"), s.verbs());
                }
              }
            }
            v.put("freshness", "Current");
          }
        });
    return root;
  }

  private static void kind(ObjectNode node, String group, String version, String kind) {
    node.put("group", group);
    node.put("version", version);
    node.put("kind", kind);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
