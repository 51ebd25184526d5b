package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code fieldSelector} ({@code a.b=x,c!=y}, {@code ==} allowed) matched against the object's
 * JSON. kube-apiserver supports a fixed set of fields per kind; the dev API accepts any dotted
 * path, which covers them all ({@code metadata.name}, {@code involvedObject.uid} of Events, {@code
 * regarding.name} of events.k8s.io Events, {@code status.phase}, {@code spec.nodeName}, ...). A
 * missing field matches as "", as in Kubernetes.
 */
record FieldSelector(List<Term> terms) {

  /** One requirement. */
  record Term(String field, String value, boolean equal) {}

  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  static FieldSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String part : selector.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int neq = p.indexOf("!=");
      if (neq >= 0) {
        terms.add(new Term(p.substring(0, neq).strip(), p.substring(neq + 2).strip(), false));
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("invalid field selector requirement: " + p);
      }
      String value = p.substring(eq + 1);
      if (value.startsWith("=")) {
        value = value.substring(1);
      }
      terms.add(new Term(p.substring(0, eq).strip(), value.strip(), true));
    }
    return new FieldSelector(List.copyOf(terms));
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  boolean matches(JsonNode object) {
    for (Term t : terms) {
      JsonNode node = object;
      for (String segment : t.field().split("\\.")) {
        node = node.path(segment);
      }
      String actual = node.isValueNode() ? node.asText() : "";
      if (actual.equals(t.value()) != t.equal()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The terms fabric8's CRUD store understands itself ({@code metadata.name}, {@code
   * metadata.namespace} with {@code =}), as a selector string, or "" when there are none.
   */
  String storeSupported() {
    List<String> parts = new ArrayList<>();
    for (Term t : terms) {
      if (t.equal()
          && (t.field().equals("metadata.name") || t.field().equals("metadata.namespace"))) {
        parts.add(t.field() + "=" + t.value());
      }
    }
    return String.join(",", parts);
  }
}
