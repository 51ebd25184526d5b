package aim.orchestrator.dev.kube;

import aim.orchestrator.crd.JsonMergePatch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the PATCH bodies kube-apiserver accepts, so the dev API can compute (and validate) the
 * patched object itself instead of relying on the CRUD mock, which only knows JSON patch and JSON
 * merge patch.
 *
 * <p>Strategic merge patch is approximated: lists whose elements carry a well-known merge key
 * (containers, env, volumes, ... by {@code name}; conditions by {@code type}; ...) are merged by
 * that key and {@code $patch: delete} removes an element; any other list is replaced, as in a JSON
 * merge patch; other {@code $} directives are dropped. For custom resources (which have no merge
 * keys) a strategic merge patch is applied as a JSON merge patch, where kube-apiserver would answer
 * 415.
 */
final class Patches {

  /** The content types of PATCH requests, by their subtype. */
  enum Type {
    JSON_PATCH,
    MERGE,
    STRATEGIC,
    APPLY,
    UNSUPPORTED;

    static Type of(String contentType) {
      if (contentType == null) {
        return JSON_PATCH; // what the CRUD mock assumed, so existing callers keep working
      }
      String t = contentType.toLowerCase(java.util.Locale.ROOT);
      if (t.contains("application/json-patch+json")) {
        return JSON_PATCH;
      }
      if (t.contains("application/merge-patch+json")) {
        return MERGE;
      }
      if (t.contains("application/strategic-merge-patch+json")) {
        return STRATEGIC;
      }
      if (t.contains("application/apply-patch")) {
        return APPLY;
      }
      return UNSUPPORTED;
    }
  }

  /** Merge keys of strategic-merge lists in the built-in kinds, by field name. */
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("env", "name"),
          Map.entry("volumes", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("conditions", "type"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("hostAliases", "ip"),
          Map.entry("topologySpreadConstraints", "topologyKey"),
          Map.entry("resourceClaims", "name"));

  private Patches() {}

  /**
   * Applies a patch of the given type to a copy of {@code target}; {@code custom} says the object
   * is a custom resource (strategic merge patch then degrades to a JSON merge patch).
   */
  static JsonNode apply(Type type, JsonNode target, JsonNode patch, boolean custom) {
    return switch (type) {
      case JSON_PATCH -> JsonPatch.apply(patch, target.deepCopy());
      case MERGE -> JsonMergePatch.apply(target.deepCopy(), patch);
      case STRATEGIC ->
          custom
              ? JsonMergePatch.apply(target.deepCopy(), stripDirectives(patch))
              : strategic(target.deepCopy(), patch, null);
      default -> throw new IllegalArgumentException("unsupported patch type " + type);
    };
  }

  private static JsonNode strategic(JsonNode target, JsonNode patch, String fieldName) {
    if (patch.isArray()) {
      return strategicList(target, (ArrayNode) patch, fieldName);
    }
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    String directive = patch.path("$patch").asText("");
    if (directive.equals("replace")) {
      return stripDirectives(patch);
    }
    ObjectNode result =
        target != null && target.isObject()
            ? (ObjectNode) target
            : JsonNodeFactory.instance.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String list = key.substring("$deleteFromPrimitiveList/".length());
        JsonNode current = result.get(list);
        if (current != null && current.isArray()) {
          ArrayNode kept = JsonNodeFactory.instance.arrayNode();
          current.forEach(
              v -> {
                if (!contains(e.getValue(), v)) {
                  kept.add(v);
                }
              });
          result.set(list, kept);
        }
      } else if (key.startsWith("$")) {
        continue; // $setElementOrder, $retainKeys: ordering/cleanup hints the approximation does
        // without
      } else if (e.getValue().isNull()) {
        result.remove(key);
      } else {
        result.set(key, strategic(result.get(key), e.getValue(), key));
      }
    }
    return result;
  }

  private static JsonNode strategicList(JsonNode target, ArrayNode patch, String fieldName) {
    String mergeKey = fieldName == null ? null : MERGE_KEYS.get(fieldName);
    boolean keyed = mergeKey != null && target != null && target.isArray();
    if (keyed) {
      for (JsonNode element : patch) {
        if (!element.isObject() || !element.has(mergeKey)) {
          keyed = false;
        }
      }
    }
    if (!keyed) {
      if (fieldName != null
          && fieldName.equals("finalizers")
          && target != null
          && target.isArray()) {
        ArrayNode union = target.deepCopy(); // finalizers merge as a set of strings
        patch.forEach(
            v -> {
              if (!contains(union, v)) {
                union.add(v);
              }
            });
        return union;
      }
      return stripDirectives(patch);
    }
    Map<String, JsonNode> byKey = new LinkedHashMap<>();
    target.forEach(element -> byKey.put(element.path(mergeKey).asText(), element));
    for (JsonNode element : patch) {
      String key = element.get(mergeKey).asText();
      if (element.path("$patch").asText("").equals("delete")) {
        byKey.remove(key);
      } else {
        byKey.put(key, strategic(byKey.get(key), element, null));
      }
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    byKey.values().forEach(out::add);
    return out;
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode v : array) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode stripDirectives(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.properties()
          .forEach(
              e -> {
                if (!e.getKey().startsWith("$")) {
                  out.set(e.getKey(), stripDirectives(e.getValue()));
                }
              });
      return out;
    }
    if (node.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      node.forEach(n -> items.add(stripDirectives(n)));
      return JsonNodeFactory.instance.arrayNode().addAll(items);
    }
    return node.deepCopy();
  }
}
