package aim.orchestrator.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fields of one legacy object, each taken at most once by the converter. Whatever nobody took is reported as not
 * converted ({@link #reportLeftovers}), so that the report is exact without a list of unknown fields per kind.
 */
final class Fields {
  private final ObjectNode node;
  private final String path;
  private final LegacyDocument doc;
  private final Set<String> taken = new HashSet<>();
  private final List<Fields> children = new ArrayList<>();

  Fields(ObjectNode node, String path, LegacyDocument doc) {
    this.node = node;
    this.path = path;
    this.doc = doc;
  }

  /** The dotted path of a field of this object, for findings. */
  String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  /** The value of {@code field} without taking it; null when absent or null. */
  JsonNode peek(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  /** Marks {@code field} as handled and returns its value; null when absent or null. */
  JsonNode take(String field) {
    taken.add(field);
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  /** Takes an object-valued field, whose own fields are then taken one by one; null when absent or not an object. */
  Fields object(String field) {
    JsonNode value = take(field);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      doc.lost(path(field), "expected an object, found " + describe(value));
      return null;
    }
    Fields child = new Fields((ObjectNode) value, path(field), doc);
    children.add(child);
    return child;
  }

  /** Takes a string field (numbers and booleans are read as their text); null when absent or not a scalar. */
  String text(String field) {
    JsonNode value = take(field);
    if (value == null) {
      return null;
    }
    if (!value.isValueNode()) {
      doc.lost(path(field), "expected a string, found " + describe(value));
      return null;
    }
    return value.asText();
  }

  /** Takes an integer field; null when absent or not an integer. */
  Integer integer(String field) {
    JsonNode value = take(field);
    if (value == null) {
      return null;
    }
    if (value.canConvertToInt() && value.isIntegralNumber()) {
      return value.intValue();
    }
    if (value.isTextual() && value.asText().matches("-?\\d{1,9}")) {
      return Integer.valueOf(value.asText());
    }
    doc.lost(path(field), "expected an integer, found " + describe(value));
    return null;
  }

  /** Takes a boolean field; null when absent or not a boolean. */
  Boolean bool(String field) {
    JsonNode value = take(field);
    if (value == null) {
      return null;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
      return Boolean.valueOf(value.asText());
    }
    doc.lost(path(field), "expected true or false, found " + describe(value));
    return null;
  }

  /** Reports every field that nobody took, here and in the objects taken with {@link #object}. */
  void reportLeftovers(String reason) {
    node.fieldNames()
        .forEachRemaining(
            field -> {
              if (!taken.contains(field) && !node.get(field).isNull()) {
                doc.lost(path(field), reason);
              }
            });
    children.forEach(child -> child.reportLeftovers(reason));
  }

  static String describe(JsonNode value) {
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
  }
}
