package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-side printing ({@code meta.k8s.io/v1 Table}) for custom resources, from the CRD's {@code
 * additionalPrinterColumns}, so {@code kubectl get aimservices} shows the same columns (Status,
 * Model, ...) as on a real cluster instead of only NAME and AGE. Column paths support the JSONPath
 * subset CRDs use: {@code .a.b}, {@code [n]}, {@code [*]} and {@code [?(@.key=='value')]}.
 */
final class Tables {

  private static final Pattern FILTER =
      Pattern.compile("\\[\\?\\(@\\.([A-Za-z0-9_.-]+)\\s*==\\s*['\"]([^'\"]*)['\"]\\)]");
  private static final Pattern INDEX = Pattern.compile("\\[(\\*|-?\\d+|'[^']*'|\"[^\"]*\")]");
  private static final Pattern FIELD = Pattern.compile("\\.([A-Za-z0-9_$-]+)");

  private final ObjectMapper mapper;

  Tables(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Printer columns of the built-in kinds whose kubectl output would otherwise lack a column people
   * look for (a namespace's STATUS, which shows Terminating); other built-in kinds are answered as
   * plain lists, which kubectl prints as NAME and AGE.
   */
  static Optional<JsonNode> builtinColumns(String group, String plural) {
    if (group.isEmpty() && plural.equals("namespaces")) {
      ArrayNode columns = JsonNodeFactory.instance.arrayNode();
      columns
          .addObject()
          .put("name", "Status")
          .put("type", "string")
          .put("description", "The phase of the namespace (Active or Terminating).")
          .put("jsonPath", ".status.phase");
      columns
          .addObject()
          .put("name", "Age")
          .put("type", "date")
          .put("jsonPath", ".metadata.creationTimestamp");
      return Optional.of(columns);
    }
    return Optional.empty();
  }

  /** Whether the Accept header asks for a Table (kubectl get does, with a plain JSON fallback). */
  static boolean wantsTable(String accept) {
    return accept != null && accept.replace(" ", "").contains("as=Table");
  }

  /**
   * A Table for a list (items) or a single object.
   *
   * @param body the CRUD store's answer: a list with {@code items}, or one object
   * @param columns the CRD version's {@code additionalPrinterColumns}
   */
  ObjectNode table(JsonNode body, JsonNode columns, Instant now) {
    ObjectNode table = mapper.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (body.path("metadata").has("resourceVersion")) {
      metadata.set("resourceVersion", body.path("metadata").get("resourceVersion"));
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    ObjectNode nameColumn = definitions.addObject();
    nameColumn.put("name", "Name");
    nameColumn.put("type", "string");
    nameColumn.put("format", "name");
    nameColumn.put("description", "Name must be unique within a namespace.");
    nameColumn.put("priority", 0);
    List<JsonNode> printed = new ArrayList<>();
    columns.forEach(printed::add);
    if (printed.isEmpty()) {
      // kube-apiserver's default for CRDs without printer columns
      printed.add(
          mapper
              .createObjectNode()
              .put("name", "Age")
              .put("type", "date")
              .put("jsonPath", ".metadata.creationTimestamp"));
    }
    for (JsonNode column : printed) {
      ObjectNode d = definitions.addObject();
      d.put("name", column.path("name").asText());
      d.put("type", column.path("type").asText("string"));
      d.put("format", column.path("format").asText(""));
      d.put("description", column.path("description").asText(""));
      d.put("priority", column.path("priority").asInt(0));
    }
    ArrayNode rows = table.putArray("rows");
    List<JsonNode> objects = new ArrayList<>();
    if (body.has("items")) {
      body.get("items").forEach(objects::add);
    } else {
      objects.add(body);
    }
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(object.path("metadata").path("name").asText());
      for (JsonNode column : printed) {
        cells.add(cell(object, column, now));
      }
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", object.path("metadata").deepCopy());
    }
    return table;
  }

  private JsonNode cell(JsonNode object, JsonNode column, Instant now) {
    List<JsonNode> values = evaluate(object, column.path("jsonPath").asText(""));
    if (values.isEmpty() || values.stream().allMatch(JsonNode::isNull)) {
      return mapper.nullNode();
    }
    String type = column.path("type").asText("string");
    JsonNode first = values.get(0);
    switch (type) {
      case "integer":
      case "number":
      case "boolean":
        return values.size() == 1 ? first : mapper.getNodeFactory().textNode(join(values));
      case "date":
        try {
          return mapper
              .getNodeFactory()
              .textNode(humanDuration(Duration.between(Instant.parse(first.asText()), now)));
        } catch (DateTimeParseException e) {
          return mapper.getNodeFactory().textNode(first.asText());
        }
      default:
        return mapper.getNodeFactory().textNode(join(values));
    }
  }

  private static String join(List<JsonNode> values) {
    List<String> parts = new ArrayList<>();
    for (JsonNode v : values) {
      parts.add(v.isValueNode() ? v.asText() : v.toString());
    }
    return String.join(",", parts);
  }

  /**
   * Evaluates a CRD printer-column JSONPath ({@code
   * .status.conditions[?(@.type=='Ready')].status}).
   */
  static List<JsonNode> evaluate(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    List<JsonNode> current = new ArrayList<>(List.of(root));
    int pos = 0;
    while (pos < p.length()) {
      List<JsonNode> next = new ArrayList<>();
      Matcher field = FIELD.matcher(p).region(pos, p.length());
      Matcher filter = FILTER.matcher(p).region(pos, p.length());
      Matcher index = INDEX.matcher(p).region(pos, p.length());
      if (field.lookingAt()) {
        for (JsonNode n : current) {
          if (n.has(field.group(1))) {
            next.add(n.get(field.group(1)));
          }
        }
        pos = field.end();
      } else if (filter.lookingAt()) {
        for (JsonNode n : current) {
          for (JsonNode element : n) {
            List<JsonNode> key = evaluate(element, "." + filter.group(1));
            if (!key.isEmpty() && key.get(0).asText().equals(filter.group(2))) {
              next.add(element);
            }
          }
        }
        pos = filter.end();
      } else if (index.lookingAt()) {
        String i = index.group(1);
        for (JsonNode n : current) {
          if (i.equals("*")) {
            n.forEach(next::add);
          } else if (i.startsWith("'") || i.startsWith("\"")) {
            String name = i.substring(1, i.length() - 1);
            if (n.has(name)) {
              next.add(n.get(name));
            }
          } else if (n.isArray()) {
            int at = Integer.parseInt(i);
            JsonNode element = n.get(at < 0 ? n.size() + at : at);
            if (element != null) {
              next.add(element);
            }
          }
        }
        pos = index.end();
      } else {
        return List.of(); // outside the supported subset: print <none> rather than fail the request
      }
      current = next;
    }
    return current;
  }

  /**
   * Kubernetes' short age format ("45s", "3m12s", "5h", "12d"), as kubectl shows in the AGE column.
   */
  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + h + "h";
    }
    if (hours < 24 * 365 * 2) {
      return (hours / 24) + "d";
    }
    if (hours < 24 * 365 * 8) {
      long days = (hours / 24) % 365;
      return days == 0 ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + days + "d";
    }
    return (hours / 24 / 365) + "y";
  }
}
