package aim.orchestrator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One CRD version's {@code openAPIV3Schema}, applied the way kube-apiserver applies a structural
 * schema to a custom resource on every write: prune unknown fields, apply defaults, then validate.
 * Validation runs on networknt's JSON Schema validator after translating the Kubernetes OpenAPI
 * subset into JSON Schema 2020-12; its errors are reworded into Kubernetes field errors ({@code
 * spec.model: Required value}, ...). Then the {@code x-kubernetes-validations} (CEL) rules of every
 * schema level are evaluated ({@link CelRules}), with {@code oldSelf} on updates.
 */
public final class CrdSchema {

  /**
   * Fields every object keeps at its root (and inside embedded resources) whatever the schema says.
   */
  private static final Set<String> OBJECT_ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  /** Keywords copied unchanged into the JSON Schema translation. */
  private static final List<String> PLAIN_KEYWORDS =
      List.of(
          "enum",
          "pattern",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems",
          "uniqueItems",
          "minProperties",
          "maxProperties",
          "multipleOf",
          "required");

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private final JsonNode k8sSchema;
  private final Schema validator;

  /** Compiled CEL rules by the schema node that declares them (identity: nodes are not unique). */
  private final Map<JsonNode, List<CelRules.Rule>> rules = new IdentityHashMap<>();

  public CrdSchema(JsonNode openApiV3Schema, ObjectMapper mapper) {
    this.k8sSchema = openApiV3Schema;
    compileRules(openApiV3Schema, "");
    try {
      String translated = mapper.writeValueAsString(translate(openApiV3Schema, mapper));
      this.validator = REGISTRY.getSchema(translated, InputFormat.JSON);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot translate a CRD schema", e);
    }
  }

  // ---------------------------------------------------------------- pruning

  /**
   * Drops fields the schema does not declare (unless {@code x-kubernetes-preserve-unknown-fields})
   * and {@code null} values of non-nullable fields, in place, as kube-apiserver does before
   * defaulting.
   *
   * @return the dotted paths of the dropped unknown fields, for strict field validation and
   *     warnings
   */
  public List<String> prune(ObjectNode object) {
    List<String> unknown = new ArrayList<>();
    prune(object, k8sSchema, "", true, unknown);
    return unknown;
  }

  private static void prune(
      JsonNode node, JsonNode schema, String path, boolean objectRoot, List<String> unknown) {
    if (schema == null || schema.isMissingNode()) {
      return;
    }
    boolean embedded = schema.path("x-kubernetes-embedded-resource").asBoolean(false);
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      JsonNode props = schema.get("properties");
      JsonNode additional = schema.get("additionalProperties");
      boolean preserve =
          schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
              || (additional != null && additional.isBoolean() && additional.asBoolean());
      Iterator<Map.Entry<String, JsonNode>> it = obj.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = e.getKey();
        String childPath = path.isEmpty() ? field : path + "." + field;
        if ((objectRoot || embedded) && OBJECT_ROOT_FIELDS.contains(field)) {
          continue; // apiVersion/kind/metadata belong to the API machinery, whatever the schema
          // says about them
        }
        JsonNode sub = props != null ? props.get(field) : null;
        if (sub == null && additional != null && additional.isObject()) {
          sub = additional;
        }
        if (sub != null) {
          if (e.getValue().isNull() && !sub.path("nullable").asBoolean(false)) {
            it.remove();
          } else {
            prune(e.getValue(), sub, childPath, false, unknown);
          }
        } else if (!preserve) {
          it.remove();
          unknown.add(childPath);
        }
      }
    } else if (node.isArray()) {
      JsonNode items = schema.get("items");
      for (int i = 0; i < node.size(); i++) {
        prune(node.get(i), items, path + "[" + i + "]", false, unknown);
      }
    }
  }

  // ---------------------------------------------------------------- defaulting

  /** Sets {@code default} values of absent fields, in place, under every object present. */
  public void applyDefaults(ObjectNode object) {
    applyDefaults(object, k8sSchema, true);
  }

  private static void applyDefaults(JsonNode node, JsonNode schema, boolean objectRoot) {
    if (schema == null || node == null) {
      return;
    }
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      JsonNode props = schema.get("properties");
      boolean embedded =
          objectRoot || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
      if (props != null) {
        props
            .properties()
            .forEach(
                p -> {
                  if (embedded && OBJECT_ROOT_FIELDS.contains(p.getKey())) {
                    return;
                  }
                  if (!obj.has(p.getKey()) && p.getValue().has("default")) {
                    obj.set(p.getKey(), p.getValue().get("default").deepCopy());
                  }
                  applyDefaults(obj.get(p.getKey()), p.getValue(), false);
                });
      }
      JsonNode additional = schema.get("additionalProperties");
      if (additional != null && additional.isObject()) {
        obj.properties()
            .forEach(
                e -> {
                  if (props == null || !props.has(e.getKey())) {
                    applyDefaults(e.getValue(), additional, false);
                  }
                });
      }
    } else if (node.isArray()) {
      JsonNode items = schema.get("items");
      node.forEach(item -> applyDefaults(item, items, false));
    }
  }

  // ---------------------------------------------------------------- validation

  /** Validates against the schema; an empty list means valid. */
  public List<FieldError> validate(ObjectNode object, ObjectMapper mapper) {
    String json;
    try {
      json = mapper.writeValueAsString(object);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    List<FieldError> causes = new ArrayList<>();
    for (com.networknt.schema.Error error : validator.validate(json, InputFormat.JSON)) {
      FieldError cause = toCause(error);
      if (!causes.contains(cause)) {
        causes.add(cause);
      }
    }
    return causes;
  }

  /**
   * Rewords one networknt error as the Kubernetes field error kube-apiserver would report. Values
   * print as JSON, so strings come out quoted like in kube-apiserver's messages.
   */
  private static FieldError toCause(com.networknt.schema.Error error) {
    String field = fieldPath(error.getInstanceLocation());
    var value = error.getInstanceNode();
    var schemaValue = error.getSchemaNode();
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    switch (keyword) {
      case "required":
        {
          String property = error.getProperty();
          String missing = field.isEmpty() ? property : field + "." + property;
          return new FieldError("FieldValueRequired", missing, "Required value");
        }
      case "enum":
        {
          List<String> supported = new ArrayList<>();
          if (schemaValue != null) {
            schemaValue.forEach(v -> supported.add(v.toString()));
          }
          return new FieldError(
              "FieldValueNotSupported",
              field,
              "Unsupported value: "
                  + String.valueOf(value)
                  + ": supported values: "
                  + String.join(", ", supported));
        }
      case "type":
        return new FieldError(
            "FieldValueInvalid",
            field,
            "Invalid value: \""
                + jsonType(value)
                + "\": "
                + field
                + " in body must be of type "
                + typeNames(schemaValue)
                + ": \""
                + jsonType(value)
                + "\"");
      case "pattern":
        return new FieldError(
            "FieldValueInvalid",
            field,
            "Invalid value: "
                + String.valueOf(value)
                + ": "
                + field
                + " in body should match '"
                + schemaValue.asString()
                + "'");
      case "minimum":
      case "exclusiveMinimum":
        return new FieldError(
            "FieldValueInvalid",
            field,
            "Invalid value: "
                + number(value)
                + ": "
                + field
                + " in body should be greater than "
                + (keyword.equals("minimum") ? "or equal to " : "")
                + number(schemaValue));
      case "maximum":
      case "exclusiveMaximum":
        return new FieldError(
            "FieldValueInvalid",
            field,
            "Invalid value: "
                + number(value)
                + ": "
                + field
                + " in body should be less than "
                + (keyword.equals("maximum") ? "or equal to " : "")
                + number(schemaValue));
      case "minLength":
        return new FieldError(
            "FieldValueInvalid",
            field,
            "Invalid value: "
                + String.valueOf(value)
                + ": "
                + field
                + " in body should be at least "
                + number(schemaValue)
                + " chars long");
      case "maxLength":
        return new FieldError(
            "FieldValueTooLong",
            field,
            "Too long: may not be more than " + number(schemaValue) + " bytes");
      case "minItems":
        return new FieldError(
            "FieldValueInvalid",
            field,
            "Invalid value: "
                + value.size()
                + ": "
                + field
                + " in body should have at least "
                + number(schemaValue)
                + " items");
      case "maxItems":
        return new FieldError(
            "FieldValueTooMany",
            field,
            "Too many: " + value.size() + ": must have at most " + number(schemaValue) + " items");
      default:
        return new FieldError(
            "FieldValueInvalid",
            field,
            "Invalid value: " + String.valueOf(value) + ": " + error.getMessage());
    }
  }

  /** "spec.env[0].name" from a networknt instance location. */
  private static String fieldPath(NodePath location) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        b.append('[').append(index).append(']');
      } else {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(element);
      }
    }
    return b.toString();
  }

  private static String jsonType(tools.jackson.databind.JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isString()) {
      return "string";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return value.isArray() ? "array" : "object";
  }

  private static String typeNames(tools.jackson.databind.JsonNode schemaValue) {
    if (schemaValue == null) {
      return "";
    }
    if (schemaValue.isArray()) {
      List<String> names = new ArrayList<>();
      schemaValue.forEach(t -> names.add(t.asString()));
      return String.join(",", names);
    }
    return schemaValue.asString();
  }

  /** Prints 1.0 (how the generated CRDs spell integer bounds) as 1. */
  private static String number(tools.jackson.databind.JsonNode n) {
    if (n == null) {
      return "";
    }
    if (n.isNumber()) {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    return n.toString();
  }

  // ---------------------------------------------------------------- CEL rules

  private void compileRules(JsonNode schema, String path) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    JsonNode validations = schema.get("x-kubernetes-validations");
    if (validations != null && validations.isArray() && !validations.isEmpty()) {
      rules.put(schema, CelRules.compile(validations, path));
    }
    JsonNode props = schema.get("properties");
    if (props != null) {
      props
          .properties()
          .forEach(
              p ->
                  compileRules(
                      p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey()));
    }
    JsonNode additional = schema.get("additionalProperties");
    if (additional != null && additional.isObject()) {
      compileRules(additional, path + "[*]");
    }
    JsonNode items = schema.get("items");
    if (items != null && items.isObject()) {
      compileRules(items, path + "[*]");
    }
  }

  /** Whether the schema declares any CEL rule (so that callers can skip the walk). */
  public boolean hasRules() {
    return !rules.isEmpty();
  }

  /**
   * Evaluates the CEL rules of every schema level present in {@code object}; {@code old} is the
   * stored object on an update, null on a create.
   *
   * <p>As kube-apiserver does (since 1.30, CRD validation ratcheting), a rule that does not use
   * {@code oldSelf} is not evaluated on a value that the update leaves unchanged, so adding a rule
   * to a CRD does not block unrelated updates of objects stored before it.
   */
  public List<FieldError> validateRules(ObjectNode object, ObjectNode old) {
    List<FieldError> causes = new ArrayList<>();
    if (!rules.isEmpty()) {
      walkRules(object, old, k8sSchema, "", true, causes);
    }
    return causes;
  }

  private void walkRules(
      JsonNode value, JsonNode old, JsonNode schema, String path, boolean root, List<FieldError> out) {
    if (schema == null || value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    if (old != null && (old.isNull() || old.isMissingNode())) {
      old = null;
    }
    List<CelRules.Rule> here = rules.getOrDefault(schema, List.of());
    if (!here.isEmpty()) {
      boolean unchanged = old != null && old.equals(value);
      Object self = null;
      Object oldSelf = null;
      for (CelRules.Rule rule : here) {
        if (rule.transition() && old == null && !rule.optionalOldSelf()) {
          continue; // transition rules need an old value
        }
        if (unchanged && !rule.transition()) {
          continue; // ratcheting: an unchanged value keeps passing
        }
        if (self == null) {
          self = celValue(value, schema, root);
          oldSelf = old == null ? null : celValue(old, schema, root);
        }
        Optional<CelRules.Failure> failure = CelRules.evaluate(rule, self, oldSelf, old != null);
        if (failure.isPresent()) {
          out.add(ruleCause(rule, failure.get(), schema, path));
        }
      }
    }
    if (value.isObject()) {
      JsonNode props = schema.get("properties");
      JsonNode additional = schema.get("additionalProperties");
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        String field = e.getKey();
        if (root && OBJECT_ROOT_FIELDS.contains(field)) {
          continue; // metadata is the API machinery's, and validated by it
        }
        JsonNode sub = props != null ? props.get(field) : null;
        if (sub == null && additional != null && additional.isObject()) {
          sub = additional;
        }
        if (sub != null) {
          walkRules(
              e.getValue(),
              old == null ? null : old.get(field),
              sub,
              childPath(path, field, props != null && props.has(field)),
              false,
              out);
        }
      }
    } else if (value.isArray()) {
      JsonNode items = schema.get("items");
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        walkRules(item, correlate(item, old, schema), items, path + "[" + i + "]", false, out);
      }
    }
  }

  /**
   * The old element an array element is compared with: only {@code x-kubernetes-list-type: map}
   * lists correlate elements (by their map keys), as in Kubernetes; elements of other lists have no
   * {@code oldSelf}.
   */
  private static JsonNode correlate(JsonNode item, JsonNode oldList, JsonNode schema) {
    if (oldList == null
        || !oldList.isArray()
        || !"map".equals(schema.path("x-kubernetes-list-type").asText())) {
      return null;
    }
    JsonNode keys = schema.path("x-kubernetes-list-map-keys");
    for (JsonNode candidate : oldList) {
      boolean same = true;
      for (JsonNode key : keys) {
        if (!candidate.path(key.asText()).equals(item.path(key.asText()))) {
          same = false;
          break;
        }
      }
      if (same) {
        return candidate;
      }
    }
    return null;
  }

  private static String childPath(String path, String field, boolean declared) {
    if (!declared) {
      return path + "[" + field + "]"; // a map key, printed like kube-apiserver's field paths
    }
    return path.isEmpty() ? field : path + "." + field;
  }

  /** At the root, {@code self.metadata} only offers name and generateName, as in Kubernetes. */
  private static Object celValue(JsonNode value, JsonNode schema, boolean root) {
    Object converted = CelRules.value(value, schema);
    if (root && converted instanceof Map<?, ?> map && map.get("metadata") instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, v));
      Map<String, Object> metadata = new LinkedHashMap<>();
      for (String key : List.of("name", "generateName")) {
        if (m.containsKey(key)) {
          metadata.put(key, m.get(key));
        }
      }
      copy.put("metadata", metadata);
      return copy;
    }
    return converted;
  }

  /**
   * The field error kube-apiserver reports for a failed rule: the path (plus the rule's fieldPath),
   * the reason, and the value shown as the schema type ("object", "string", ...).
   */
  private static FieldError ruleCause(
      CelRules.Rule rule, CelRules.Failure failure, JsonNode schema, String path) {
    String field = path;
    if (!failure.evaluationError() && !rule.fieldPath().isBlank()) {
      field = joinFieldPath(path, rule.fieldPath());
    }
    String type = schema.path("type").asText("object");
    String reason = failure.evaluationError() ? "FieldValueInvalid" : rule.reason();
    String message =
        switch (reason) {
          case "FieldValueForbidden" -> "Forbidden: " + failure.message();
          case "FieldValueRequired" -> "Required value: " + failure.message();
          case "FieldValueDuplicate" -> "Duplicate value: \"" + type + "\"";
          default -> "Invalid value: \"" + type + "\": " + failure.message();
        };
    return new FieldError(
        switch (reason) {
          case "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate" -> reason;
          default -> "FieldValueInvalid";
        },
        field,
        message);
  }

  /** "spec" + ".model['name']" gives "spec.model.name". */
  public static String joinFieldPath(String base, String relative) {
    StringBuilder b = new StringBuilder(base);
    String rest = relative.strip();
    while (!rest.isEmpty()) {
      String segment;
      if (rest.startsWith(".")) {
        int end = 1;
        while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
          end++;
        }
        segment = rest.substring(1, end);
        rest = rest.substring(end);
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(segment);
      } else if (rest.startsWith("[")) {
        int end = rest.indexOf(']');
        if (end < 0) {
          break;
        }
        segment = rest.substring(1, end).replace("'", "").replace("\"", "");
        rest = rest.substring(end + 1);
        if (segment.matches("\\d+")) {
          b.append('[').append(segment).append(']');
        } else {
          if (b.length() > 0) {
            b.append('.');
          }
          b.append(segment);
        }
      } else {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(rest);
        break;
      }
    }
    return b.toString();
  }

  /**
   * Syntax errors of the CEL rules in a CRD (what kube-apiserver refuses the CRD for), as field
   * errors on the CRD.
   */
  public static List<FieldError> ruleSyntaxErrors(JsonNode crd) {
    List<FieldError> causes = new ArrayList<>();
    JsonNode versions = crd.path("spec").path("versions");
    for (int i = 0; i < versions.size(); i++) {
      collectSyntaxErrors(
          versions.get(i).path("schema").path("openAPIV3Schema"),
          "spec.versions[" + i + "].schema.openAPIV3Schema",
          causes);
    }
    return causes;
  }

  private static void collectSyntaxErrors(JsonNode schema, String path, List<FieldError> out) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    JsonNode validations = schema.path("x-kubernetes-validations");
    for (int i = 0; i < validations.size(); i++) {
      JsonNode v = validations.get(i);
      String at = path + ".x-kubernetes-validations[" + i + "]";
      for (String key : List.of("rule", "messageExpression")) {
        String expression = v.path(key).asText("");
        if (!expression.isBlank()) {
          CelRules.syntaxError(expression)
              .ifPresent(
                  error ->
                      out.add(
                          new FieldError(
                              "FieldValueInvalid",
                              at + "." + key,
                              "Invalid value: \""
                                  + expression
                                  + "\": compilation failed: "
                                  + error)));
        }
      }
    }
    JsonNode props = schema.path("properties");
    props
        .properties()
        .forEach(
            p -> collectSyntaxErrors(p.getValue(), path + ".properties[" + p.getKey() + "]", out));
    collectSyntaxErrors(schema.get("additionalProperties"), path + ".additionalProperties", out);
    collectSyntaxErrors(schema.get("items"), path + ".items", out);
  }

  // ---------------------------------------------------------------- translation

  /**
   * Kubernetes structural schema (OpenAPI v3 subset) to JSON Schema 2020-12, validation keywords
   * only.
   */
  public static ObjectNode translate(JsonNode s, ObjectMapper mapper) {
    ObjectNode out = mapper.createObjectNode();
    if (s == null || !s.isObject()) {
      return out;
    }
    boolean nullable = s.path("nullable").asBoolean(false);
    boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean(false);
    if (intOrString) {
      ArrayNode types = out.putArray("type").add("integer").add("string");
      if (nullable) {
        types.add("null");
      }
    } else if (s.has("type")) {
      if (nullable) {
        out.putArray("type").add(s.get("type").asText()).add("null");
      } else {
        out.put("type", s.get("type").asText());
      }
    }
    for (String keyword : PLAIN_KEYWORDS) {
      if (s.has(keyword)) {
        out.set(keyword, s.get(keyword).deepCopy());
      }
    }
    if (nullable && out.has("enum")) {
      ((ArrayNode) out.get("enum")).addNull();
    }
    // OpenAPI 3.0 spells exclusive bounds as booleans next to minimum/maximum; JSON Schema as
    // numbers.
    bound(s, out, "minimum", "exclusiveMinimum");
    bound(s, out, "maximum", "exclusiveMaximum");
    if (s.has("properties")) {
      ObjectNode props = out.putObject("properties");
      s.get("properties")
          .properties()
          .forEach(p -> props.set(p.getKey(), translate(p.getValue(), mapper)));
    }
    JsonNode additional = s.get("additionalProperties");
    if (additional != null) {
      out.set(
          "additionalProperties",
          additional.isObject() ? translate(additional, mapper) : additional.deepCopy());
    }
    if (s.has("items") && s.get("items").isObject()) {
      out.set("items", translate(s.get("items"), mapper));
    }
    // int-or-string fields carry an anyOf of the two types, which the type union above already
    // covers.
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      if (s.has(combinator) && !(intOrString && combinator.equals("anyOf"))) {
        ArrayNode array = out.putArray(combinator);
        s.get(combinator).forEach(sub -> array.add(translate(sub, mapper)));
      }
    }
    if (s.has("not")) {
      out.set("not", translate(s.get("not"), mapper));
    }
    return out;
  }

  private static void bound(JsonNode s, ObjectNode out, String inclusive, String exclusive) {
    if (!s.has(inclusive)) {
      return;
    }
    if (s.path(exclusive).asBoolean(false)) {
      out.set(exclusive, s.get(inclusive).deepCopy());
    } else {
      out.set(inclusive, s.get(inclusive).deepCopy());
    }
  }
}
