package aim.orchestrator.dev.kube;

import aim.orchestrator.crd.CrdSchema;
import aim.orchestrator.dev.kube.ResourceType.Subresource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A snapshot of the CustomResourceDefinitions stored in the dev API: what discovery advertises for
 * custom kinds and which schema validates a write. Rebuilt whenever a CRD is written, so adding a
 * CRD makes its kind discoverable and validated.
 */
final class CrdRegistry {

  /** One served version of a CRD. */
  record Version(
      String name,
      boolean served,
      boolean storage,
      JsonNode schema,
      boolean statusSubresource,
      boolean scaleSubresource,
      JsonNode printerColumns) {}

  /** One CRD. */
  record Crd(
      String name,
      String group,
      String kind,
      String plural,
      String singular,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      List<Version> versions) {

    Optional<Version> version(String name) {
      return versions.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** Served versions, most preferred first, as kube-apiserver orders them. */
    List<Version> servedByPriority() {
      return versions.stream()
          .filter(Version::served)
          .sorted(Comparator.comparing(Version::name, CrdRegistry::compareVersions))
          .toList();
    }
  }

  private static final Pattern KUBE_VERSION = Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$");

  private final Map<String, Crd> byGroupPlural = new LinkedHashMap<>();
  private final Map<String, CrdSchema> schemas = new ConcurrentHashMap<>();
  private final ObjectMapper mapper;

  CrdRegistry(JsonNode crdList, ObjectMapper mapper) {
    this.mapper = mapper;
    for (JsonNode item : crdList.path("items")) {
      Crd crd = parse(item);
      if (crd != null) {
        byGroupPlural.put(crd.group() + "/" + crd.plural(), crd);
      }
    }
  }

  private static Crd parse(JsonNode item) {
    JsonNode spec = item.path("spec");
    JsonNode names = spec.path("names");
    if (!spec.hasNonNull("group") || !names.hasNonNull("plural") || !names.hasNonNull("kind")) {
      return null;
    }
    List<Version> versions = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      JsonNode subresources = v.path("subresources");
      versions.add(
          new Version(
              v.path("name").asText(),
              v.path("served").asBoolean(true),
              v.path("storage").asBoolean(false),
              v.path("schema").path("openAPIV3Schema"),
              subresources.has("status"),
              subresources.has("scale"),
              v.path("additionalPrinterColumns")));
    }
    String kind = names.path("kind").asText();
    return new Crd(
        item.path("metadata").path("name").asText(),
        spec.path("group").asText(),
        kind,
        names.path("plural").asText(),
        names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT)),
        !"Cluster".equals(spec.path("scope").asText("Namespaced")),
        strings(names.path("shortNames")),
        strings(names.path("categories")),
        List.copyOf(versions));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }

  Optional<Crd> find(String group, String plural) {
    return Optional.ofNullable(byGroupPlural.get(group + "/" + plural));
  }

  List<Crd> all() {
    return List.copyOf(byGroupPlural.values());
  }

  /** The compiled schema of a CRD version, or empty when the version declares none. */
  Optional<CrdSchema> schema(Crd crd, Version version) {
    if (version.schema() == null || !version.schema().isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        schemas.computeIfAbsent(
            crd.name() + "/" + version.name(), k -> new CrdSchema(version.schema(), mapper)));
  }

  /** Discovery entries for every served version of every CRD. */
  List<ResourceType> resourceTypes() {
    List<ResourceType> out = new ArrayList<>();
    for (Crd crd : byGroupPlural.values()) {
      for (Version v : crd.versions()) {
        if (!v.served()) {
          continue;
        }
        List<Subresource> subs = new ArrayList<>();
        if (v.statusSubresource()) {
          subs.add(
              new Subresource("status", crd.group(), v.name(), crd.kind(), ResourceType.SUB_VERBS));
        }
        if (v.scaleSubresource()) {
          subs.add(new Subresource("scale", "autoscaling", "v1", "Scale", ResourceType.SUB_VERBS));
        }
        out.add(
            new ResourceType(
                crd.group(),
                v.name(),
                crd.plural(),
                crd.singular(),
                crd.kind(),
                crd.namespaced(),
                ResourceType.ALL_VERBS,
                crd.shortNames(),
                crd.categories(),
                List.copyOf(subs)));
      }
    }
    return out;
  }

  /**
   * Kubernetes version priority: GA before beta before alpha, higher numbers first, anything else
   * last in lexical order (the order kube-apiserver uses to pick a CRD group's preferred version).
   */
  static int compareVersions(String a, String b) {
    return Long.compare(priority(b), priority(a)) != 0
        ? Long.compare(priority(b), priority(a))
        : a.compareTo(b);
  }

  private static long priority(String v) {
    Matcher m = KUBE_VERSION.matcher(v);
    if (!m.matches()) {
      return 0;
    }
    long major = Long.parseLong(m.group(1));
    if (m.group(2) == null) {
      return 3_000_000 + major * 1000;
    }
    long minor = Long.parseLong(m.group(3));
    return (m.group(2).equals("beta") ? 2_000_000 : 1_000_000) + major * 1000 + minor;
  }
}
