package aim.orchestrator.convert;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What became of one input document.
 *
 * @param file the input file
 * @param document index of the document in the file, from 0
 * @param apiVersion the input's apiVersion
 * @param kind the input's kind
 * @param namespace the input's namespace, empty if none
 * @param name the input's name
 * @param result converted, partly converted, not converted, or copied unchanged
 * @param outputs the manifests written for it, in order (a converted template may bring the namespaced AIMModel it
 *     names)
 */
public record ConvertedDocument(
    String file, int document, String apiVersion, String kind, String namespace, String name, Result result, List<ObjectNode> outputs) {

  /** The outcome of one document. */
  public enum Result {
    /** Every field has a place in the new API. */
    CONVERTED("converted"),
    /** Written, but some fields could not be converted (see the report). */
    PARTLY_CONVERTED("partly converted"),
    /** Nothing written. */
    NOT_CONVERTED("not converted"),
    /** Not a legacy AIM document (already {@code aim.eai.amd.com}, or another API): written as it is. */
    COPIED_UNCHANGED("copied unchanged");

    private final String label;

    Result(String label) {
      this.label = label;
    }

    @JsonValue
    public String label() {
      return label;
    }
  }
}
