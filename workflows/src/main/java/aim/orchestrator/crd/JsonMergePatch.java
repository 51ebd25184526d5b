package aim.orchestrator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 7386 JSON merge patch, as kube-apiserver applies {@code application/merge-patch+json}. */
public final class JsonMergePatch {
  private JsonMergePatch() {}

  /**
   * Applies {@code patch} to {@code target}: objects merge member by member, {@code null} removes a member, anything
   * else replaces. Modifies {@code target} when it is an object; pass a copy to keep it.
   *
   * @return the patched document
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : JsonNodeFactory.instance.objectNode();
    patch
        .properties()
        .forEach(
            e -> {
              if (e.getValue().isNull()) {
                result.remove(e.getKey());
              } else {
                result.set(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
              }
            });
    return result;
  }
}
