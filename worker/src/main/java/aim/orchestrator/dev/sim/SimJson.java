package aim.orchestrator.dev.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JSON helpers for the simulated controllers that work on untyped (map-shaped) objects. */
final class SimJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SimJson() {}

  /**
   * Whether two values serialise to the same JSON.
   *
   * <p>Values read from the API server and values built in Java differ in number types ({@code
   * Integer} vs {@code Long}) and map classes; comparing re-parsed JSON trees ignores both, which
   * is what "would this write change anything?" needs. Object key order does not matter.
   */
  static boolean same(KubernetesClient client, Object a, Object b) {
    try {
      JsonNode x = MAPPER.readTree(client.getKubernetesSerialization().asJson(a));
      JsonNode y = MAPPER.readTree(client.getKubernetesSerialization().asJson(b));
      return x.equals(y);
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** A mutable copy of {@code value} if it is a map (keys as strings), else an empty map. */
  static Map<String, Object> asMap(Object value) {
    Map<String, Object> copy = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
    }
    return copy;
  }

  /** The maps in {@code value} if it is a list, else an empty list. */
  static List<Map<String, Object>> asMaps(Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().filter(Map.class::isInstance).map(SimJson::asMap).toList();
  }

  /** The value as a string, if it is a non-blank scalar. */
  static Optional<String> text(Object value) {
    if (value == null || value instanceof Map || value instanceof List) {
      return Optional.empty();
    }
    String s = String.valueOf(value);
    return s.isBlank() ? Optional.empty() : Optional.of(s);
  }

  /**
   * The transition time to write for a condition: the old one when a condition of that type had the
   * same status already (nothing transitioned), else {@code now}.
   */
  static String since(Object oldConditions, String type, String status, String now) {
    for (Map<String, Object> c : asMaps(oldConditions)) {
      if (type.equals(c.get("type"))
          && status.equals(c.get("status"))
          && c.get("lastTransitionTime") != null) {
        return String.valueOf(c.get("lastTransitionTime"));
      }
    }
    return now;
  }
}
