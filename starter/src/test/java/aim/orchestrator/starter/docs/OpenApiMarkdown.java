package aim.orchestrator.starter.docs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders an OpenAPI 3 document as one Markdown page: the operations grouped by tag (in the document's tag order),
 * each with its parameters, request body and responses, then every schema of {@code components.schemas} with its
 * properties. Schema references become links to the schema's heading.
 */
public final class OpenApiMarkdown {
  private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

  private final JsonNode doc;
  private final StringBuilder out = new StringBuilder();

  private OpenApiMarkdown(JsonNode doc) {
    this.doc = doc;
  }

  /** The page for {@code doc}; {@code preface} (Markdown) goes under the title. */
  public static String render(JsonNode doc, String preface) {
    return new OpenApiMarkdown(doc).page(preface);
  }

  private String page(String preface) {
    out.append("# ").append(doc.path("info").path("title").asText("REST API")).append(" reference\n\n");
    out.append(preface.strip()).append("\n\n");
    String description = doc.path("info").path("description").asText("");
    if (!description.isBlank()) {
      out.append(description.strip()).append("\n\n");
    }
    out.append("Version ").append(code(doc.path("info").path("version").asText("?"))).append(".\n\n");
    security();

    Map<String, List<String[]>> byTag = operationsByTag();
    out.append("## Operations\n\n");
    for (var tag : byTag.entrySet()) {
      out.append("- [").append(tag.getKey()).append("](#").append(anchor(tag.getKey())).append(")\n");
      for (String[] op : tag.getValue()) {
        out.append("  - ").append(code(op[0].toUpperCase() + " " + op[1])).append(" — ")
            .append(doc.path("paths").path(op[1]).path(op[0]).path("summary").asText("")).append('\n');
      }
    }
    out.append('\n');
    for (var tag : byTag.entrySet()) {
      out.append("## ").append(tag.getKey()).append("\n\n");
      String tagDescription = tagDescription(tag.getKey());
      if (!tagDescription.isBlank()) {
        out.append(tagDescription).append("\n\n");
      }
      for (String[] op : tag.getValue()) {
        operation(op[0], op[1], doc.path("paths").path(op[1]).path(op[0]));
      }
    }
    schemas();
    return out.toString().stripTrailing() + "\n";
  }

  private void security() {
    JsonNode schemes = doc.path("components").path("securitySchemes");
    if (schemes.isEmpty()) {
      return;
    }
    out.append("Authentication:\n\n");
    schemes.fields().forEachRemaining(e -> {
      JsonNode s = e.getValue();
      out.append("- ").append(code(e.getKey())).append(": ").append(s.path("type").asText());
      if (s.has("scheme")) {
        out.append(", scheme ").append(code(s.path("scheme").asText()));
      }
      if (s.has("description")) {
        out.append(" — ").append(oneLine(s.path("description").asText()));
      }
      out.append('\n');
    });
    out.append('\n');
  }

  /** Tag → [method, path] in the document's tag order, then any other tag by name; paths sorted, methods in order. */
  private Map<String, List<String[]>> operationsByTag() {
    Map<String, List<String[]>> byTag = new LinkedHashMap<>();
    doc.path("tags").forEach(t -> byTag.put(t.path("name").asText(), new ArrayList<>()));
    Map<String, List<String[]>> untagged = new java.util.TreeMap<>();
    for (String path : sorted(doc.path("paths").fieldNames())) {
      for (String method : METHODS) {
        JsonNode op = doc.path("paths").path(path).path(method);
        if (op.isMissingNode()) {
          continue;
        }
        String tag = op.path("tags").path(0).asText("Other");
        (byTag.containsKey(tag) ? byTag : untagged).computeIfAbsent(tag, t -> new ArrayList<>()).add(new String[] {method, path});
      }
    }
    byTag.putAll(untagged);
    byTag.values().removeIf(List::isEmpty);
    return byTag;
  }

  private String tagDescription(String tag) {
    for (JsonNode t : doc.path("tags")) {
      if (t.path("name").asText().equals(tag)) {
        return t.path("description").asText("");
      }
    }
    return "";
  }

  private void operation(String method, String path, JsonNode op) {
    out.append("### ").append(method.toUpperCase()).append(' ').append(path).append("\n\n");
    out.append(op.path("summary").asText("")).append(".\n\n");
    if (op.has("description")) {
      out.append(op.path("description").asText().strip()).append("\n\n");
    }
    if (op.has("operationId")) {
      out.append("Operation ID: ").append(code(op.path("operationId").asText())).append("\n\n");
    }
    JsonNode parameters = op.path("parameters");
    if (!parameters.isEmpty()) {
      out.append("| parameter | in | type | required | description |\n|---|---|---|---|---|\n");
      for (JsonNode p : parameters) {
        out.append("| ").append(code(p.path("name").asText())).append(" | ").append(p.path("in").asText())
            .append(" | ").append(type(p.path("schema"))).append(" | ").append(p.path("required").asBoolean() ? "yes" : "no")
            .append(" | ").append(cell(p.path("description").asText(""))).append(" |\n");
      }
      out.append('\n');
    }
    JsonNode body = op.path("requestBody");
    if (!body.isMissingNode()) {
      out.append("Request body").append(body.path("required").asBoolean() ? " (required)" : "").append(":\n\n");
      body.path("content").fields().forEachRemaining(c ->
          out.append("- ").append(code(c.getKey())).append(": ").append(type(c.getValue().path("schema"))).append('\n'));
      out.append('\n');
    }
    JsonNode responses = op.path("responses");
    if (!responses.isEmpty()) {
      out.append("| response | description | content |\n|---|---|---|\n");
      for (String status : sorted(responses.fieldNames())) {
        JsonNode r = responses.path(status);
        List<String> content = new ArrayList<>();
        r.path("content").fields().forEachRemaining(c -> content.add(code(c.getKey()) + " " + type(c.getValue().path("schema"))));
        out.append("| ").append(status).append(" | ").append(cell(r.path("description").asText(""))).append(" | ")
            .append(String.join("<br>", content)).append(" |\n");
      }
      out.append('\n');
    }
  }

  private void schemas() {
    JsonNode schemas = doc.path("components").path("schemas");
    if (schemas.isEmpty()) {
      return;
    }
    out.append("## Schemas\n\n");
    for (String name : sorted(schemas.fieldNames())) {
      JsonNode schema = schemas.path(name);
      out.append("### ").append(name).append("\n\n");
      if (schema.has("description")) {
        out.append(schema.path("description").asText().strip()).append("\n\n");
      }
      JsonNode properties = schema.path("properties");
      if (properties.isEmpty()) {
        out.append("Type: ").append(type(schema)).append("\n\n");
        continue;
      }
      TreeSet<String> required = new TreeSet<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      out.append("| property | type | required | description |\n|---|---|---|---|\n");
      properties.fields().forEachRemaining(p ->
          out.append("| ").append(code(p.getKey())).append(" | ").append(type(p.getValue())).append(" | ")
              .append(required.contains(p.getKey()) ? "yes" : "no").append(" | ")
              .append(cell(p.getValue().path("description").asText(""))).append(" |\n"));
      out.append('\n');
    }
  }

  /** A schema's type in a few words: a link for a reference, element types of arrays and maps, enum values. */
  private String type(JsonNode schema) {
    if (schema.isMissingNode() || schema.isEmpty()) {
      return "any";
    }
    if (schema.has("$ref")) {
      String name = schema.path("$ref").asText().replaceFirst("^#/components/schemas/", "");
      return "[" + name + "](#" + anchor(name) + ")";
    }
    for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
      if (schema.has(combinator)) {
        List<String> parts = new ArrayList<>();
        schema.path(combinator).forEach(s -> parts.add(type(s)));
        return String.join(combinator.equals("allOf") ? " and " : " or ", parts);
      }
    }
    String type = schema.path("type").asText("object");
    if (type.equals("array")) {
      return "array of " + type(schema.path("items"));
    }
    if (type.equals("object") && schema.has("additionalProperties") && schema.path("additionalProperties").isObject()) {
      return "map of string to " + type(schema.path("additionalProperties"));
    }
    StringBuilder t = new StringBuilder(type);
    if (schema.has("format")) {
      t.append(" (").append(schema.path("format").asText()).append(')');
    }
    if (schema.has("enum")) {
      List<String> values = new ArrayList<>();
      schema.path("enum").forEach(v -> values.add(code(v.asText())));
      t.append(": ").append(String.join(", ", values));
    }
    if (schema.has("default")) {
      t.append(", default ").append(code(schema.path("default").asText()));
    }
    return t.toString();
  }

  /** GitHub's heading anchors: lower case, spaces to dashes, other punctuation dropped. */
  static String anchor(String heading) {
    return heading.toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  private static String code(String text) {
    return "`" + text + "`";
  }

  private static String cell(String text) {
    return oneLine(text).replace("|", "\\|");
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  private static TreeSet<String> sorted(java.util.Iterator<String> names) {
    TreeSet<String> set = new TreeSet<>();
    names.forEachRemaining(set::add);
    return set;
  }
}
