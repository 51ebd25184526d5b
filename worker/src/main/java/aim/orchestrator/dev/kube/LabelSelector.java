package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code labelSelector} with the full Kubernetes syntax: {@code key=value}, {@code ==}, {@code
 * !=}, {@code key in (a,b)}, {@code key notin (a,b)}, {@code key} and {@code !key}, comma
 * separated. fabric8's CRUD store knows the equality and existence forms only and ignores set-based
 * ones, so {@code kubectl get -l 'tier notin (gpu)'} would list everything.
 */
record LabelSelector(List<Requirement> requirements) {

  /** One requirement; {@code values} is empty for the existence operators. */
  record Requirement(String key, Operator operator, Set<String> values) {}

  enum Operator {
    IN,
    NOT_IN,
    EXISTS,
    NOT_EXISTS
  }

  static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private static final Pattern SET =
      Pattern.compile("^\\s*([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*$");

  static LabelSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> out = new ArrayList<>();
    for (String part : splitTopLevel(selector)) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      Matcher set = SET.matcher(p);
      if (set.matches()) {
        List<String> values = new ArrayList<>();
        for (String v : set.group(3).split(",")) {
          if (!v.isBlank()) {
            values.add(v.strip());
          }
        }
        out.add(
            new Requirement(
                set.group(1),
                set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN,
                Set.copyOf(values)));
      } else if (p.contains("!=")) {
        int at = p.indexOf("!=");
        out.add(
            new Requirement(
                p.substring(0, at).strip(), Operator.NOT_IN, Set.of(p.substring(at + 2).strip())));
      } else if (p.contains("=")) {
        int at = p.indexOf('=');
        String value = p.substring(at + 1);
        if (value.startsWith("=")) {
          value = value.substring(1);
        }
        out.add(new Requirement(p.substring(0, at).strip(), Operator.IN, Set.of(value.strip())));
      } else if (p.startsWith("!")) {
        out.add(new Requirement(p.substring(1).strip(), Operator.NOT_EXISTS, Set.of()));
      } else {
        out.add(new Requirement(p, Operator.EXISTS, Set.of()));
      }
    }
    return new LabelSelector(List.copyOf(out));
  }

  /** Splits at commas outside parentheses ("a in (x,y),b" is two requirements). */
  private static List<String> splitTopLevel(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    return parts;
  }

  boolean isEmpty() {
    return requirements.isEmpty();
  }

  boolean matches(JsonNode object) {
    JsonNode labels = object.path("metadata").path("labels");
    for (Requirement r : requirements) {
      JsonNode value = labels.get(r.key());
      boolean present = value != null && !value.isNull();
      boolean ok =
          switch (r.operator()) {
            case IN -> present && r.values().contains(value.asText());
            case NOT_IN -> !present || !r.values().contains(value.asText());
            case EXISTS -> present;
            case NOT_EXISTS -> !present;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
