package aim.orchestrator.convert;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Something a conversion could not carry over ({@link Severity#NOT_CONVERTED}), or a decision worth knowing
 * ({@link Severity#NOTE}).
 *
 * @param file the input file, as named in {@link SourceFile#name()}
 * @param document index of the document in the file, from 0, counting non-empty documents
 * @param kind the legacy kind
 * @param namespace the legacy object's namespace; empty for cluster-scoped objects or when not given
 * @param name the legacy object's name
 * @param field the legacy field, as a dotted path ({@code spec.credentials.s3[1]}); empty for the whole document
 * @param severity whether something was lost
 * @param reason why, and what to do about it
 */
public record Finding(
    String file, int document, String kind, String namespace, String name, String field, Severity severity, String reason) {

  /** Whether a finding means something was lost. */
  public enum Severity {
    NOT_CONVERTED("not converted"),
    NOTE("note");

    private final String label;

    Severity(String label) {
      this.label = label;
    }

    @JsonValue
    public String label() {
      return label;
    }
  }

  /** {@code file#0 AIMService team-a/llama3-svc: spec.modelId: note: ...}. */
  @Override
  public String toString() {
    String object = namespace.isEmpty() ? name : namespace + "/" + name;
    return file + "#" + document + " " + kind + " " + object + ": " + (field.isEmpty() ? "" : field + ": ") + severity.label() + ": "
        + reason;
  }
}
