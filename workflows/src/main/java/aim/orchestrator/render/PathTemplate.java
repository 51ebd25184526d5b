package aim.orchestrator.render;

import aim.orchestrator.model.AIMService;
import aim.orchestrator.naming.DerivedNames;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders an HTTPRoute path template (spec §3.9) such as {@code /{.metadata.namespace}/{.metadata.labels['team']}}.
 *
 * <p>Each {@code {expression}} is a Kubernetes-style JSONPath expression (as in {@code kubectl -o jsonpath}: a
 * leading {@code .} stands for the root) evaluated with Jayway JsonPath against the AIMService as the API server
 * serves it ({@code metadata}, {@code spec} without {@code spec.env}, whose inline values may be credentials,
 * {@code status}). An expression must select exactly one scalar value.
 * Values taken from {@code .metadata.annotations} are inserted as they are (so an annotation may contribute several
 * segments); every other value is made an RFC 1123 label first. The result is then split on {@code /} and every
 * non-empty segment made RFC 1123 (lower case, anything but {@code [a-z0-9-]} becomes {@code -}, trimmed, at most 63
 * characters); the whole path may be at most 200 characters.
 *
 * <p>Unlike the reference, which silently falls back to the default path, every problem is an error naming the
 * expression: a syntax error, a missing field, label or annotation, a value that is not a scalar, several values,
 * an empty value, or a path that is too long.
 */
public final class PathTemplate {
  /** The longest path the rendered template may have. */
  public static final int MAX_LENGTH = 200;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration JSONPATH =
      Configuration.builder()
          .jsonProvider(new JacksonJsonProvider(JSON))
          .mappingProvider(new JacksonMappingProvider(JSON))
          .build();

  private PathTemplate() {}

  /** Thrown when a template cannot be rendered; the message names the expression and why. */
  public static final class InvalidPathTemplateException extends IllegalArgumentException {
    private final String expression;

    InvalidPathTemplateException(String expression, String message) {
      super(message);
      this.expression = expression;
    }

    /** The offending expression with its braces, or null when the problem is the whole path (its length). */
    public String expression() {
      return expression;
    }
  }

  /** Renders {@code template} for {@code svc}; throws {@link InvalidPathTemplateException}. */
  public static String render(String template, AIMService svc) {
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = JSON.convertValue(svc, Map.class);
    // Inline env values may be credentials: a path must not carry them into a route, the status or workflow history.
    if (tree.get("spec") instanceof Map<?, ?> spec) {
      ((Map<String, Object>) spec).remove("env");
    }
    DocumentContext document = JsonPath.using(JSONPATH).parse(tree);
    StringBuilder raw = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '}') {
        throw new InvalidPathTemplateException(null, "path template \"" + template + "\" has a '}' without its '{' at position " + i);
      }
      if (c != '{') {
        raw.append(c);
        i++;
        continue;
      }
      int end = closingBrace(template, i);
      if (end < 0) {
        throw new InvalidPathTemplateException(
            template.substring(i), "path template \"" + template + "\": expression " + template.substring(i) + " has no closing '}'");
      }
      String expression = template.substring(i + 1, end).trim();
      raw.append(value(document, expression));
      i = end + 1;
    }
    List<String> segments = new ArrayList<>();
    for (String s : raw.toString().split("/")) {
      String clean = DerivedNames.rfc1123(s);
      if (!clean.isEmpty()) {
        segments.add(clean);
      }
    }
    String path = "/" + String.join("/", segments);
    if (path.length() > MAX_LENGTH) {
      throw new InvalidPathTemplateException(
          null, "path template \"" + template + "\" renders a path of " + path.length() + " characters (at most " + MAX_LENGTH + "): " + path);
    }
    return path;
  }

  /** The index of the '}' that closes the '{' at {@code open}, skipping braces inside quoted keys; -1 if none. */
  private static int closingBrace(String template, int open) {
    char quote = 0;
    for (int j = open + 1; j < template.length(); j++) {
      char c = template.charAt(j);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '}') {
        return j;
      } else if (c == '{') {
        return -1;
      }
    }
    return -1;
  }

  private static String value(DocumentContext document, String expression) {
    String shown = "{" + expression + "}";
    if (expression.isEmpty()) {
      throw new InvalidPathTemplateException(shown, "path template expression {} is empty");
    }
    // kubectl's JSONPath lets the root be implicit ("{.metadata.name}"); Jayway wants "$".
    String jsonPath = expression.startsWith("$") ? expression : "$" + (expression.startsWith("[") ? "" : expression.startsWith(".") ? "" : ".") + expression;
    JsonPath compiled;
    try {
      compiled = JsonPath.compile(jsonPath);
    } catch (InvalidPathException e) {
      throw new InvalidPathTemplateException(shown, "path template expression " + shown + " is not valid JSONPath: " + e.getMessage());
    }
    Object result;
    try {
      result = document.read(compiled);
    } catch (PathNotFoundException e) {
      throw new InvalidPathTemplateException(shown, "path template expression " + shown + " selects nothing on the AIMService: " + e.getMessage());
    } catch (InvalidPathException e) {
      throw new InvalidPathTemplateException(shown, "path template expression " + shown + " cannot be evaluated: " + e.getMessage());
    }
    if (!compiled.isDefinite()) {
      List<?> values = (List<?>) result;
      if (values.size() != 1) {
        throw new InvalidPathTemplateException(
            shown, "path template expression " + shown + " selects " + values.size() + " values; a path segment needs exactly one");
      }
      result = values.get(0);
    }
    if (result == null) {
      throw new InvalidPathTemplateException(shown, "path template expression " + shown + " selects a null value");
    }
    if (result instanceof Map<?, ?> || result instanceof List<?>) {
      throw new InvalidPathTemplateException(
          shown, "path template expression " + shown + " selects " + (result instanceof Map<?, ?> ? "an object" : "a list") + ", not a single value");
    }
    String text = String.valueOf(result);
    boolean annotation = jsonPath.startsWith("$.metadata.annotations") || jsonPath.startsWith("$['metadata']['annotations']");
    String inserted = annotation ? text : DerivedNames.rfc1123(text);
    if (DerivedNames.rfc1123(inserted.replace('/', '-')).isEmpty()) {
      throw new InvalidPathTemplateException(
          shown, "path template expression " + shown + " selects a value that leaves no path segment (RFC 1123: [a-z0-9-])");
    }
    return inserted;
  }
}
