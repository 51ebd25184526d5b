package aim.orchestrator.convert;

import aim.orchestrator.convert.ConvertedDocument.Result;
import aim.orchestrator.convert.Finding.Severity;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The outcome of one {@code aim convert}: the manifests written for each input document, and the report of what
 * could not be converted (and notes on decisions the converter took).
 */
public final class Conversion {
  private final List<String> files;
  private final List<ConvertedDocument> documents;
  private final List<Finding> findings;

  Conversion(List<String> files, List<ConvertedDocument> documents, List<Finding> findings) {
    this.files = List.copyOf(files);
    this.documents = List.copyOf(documents);
    this.findings = List.copyOf(findings);
  }

  /** The input files, in order. */
  public List<String> files() {
    return files;
  }

  public List<ConvertedDocument> documents() {
    return documents;
  }

  /** Every finding, in document order. */
  public List<Finding> findings() {
    return findings;
  }

  /** What could not be converted, and why. */
  public List<Finding> notConverted() {
    return findings.stream().filter(f -> f.severity() == Severity.NOT_CONVERTED).toList();
  }

  public List<Finding> notes() {
    return findings.stream().filter(f -> f.severity() == Severity.NOTE).toList();
  }

  /** True when nothing was lost: every document converted (or copied) completely. */
  public boolean complete() {
    return notConverted().isEmpty();
  }

  public long count(Result result) {
    return documents.stream().filter(d -> d.result() == result).count();
  }

  /** Every manifest written, in input order. */
  public List<ObjectNode> manifests() {
    return documents.stream().flatMap(d -> d.outputs().stream()).toList();
  }

  /** Every manifest written, as multi-document YAML. */
  public String yaml() {
    return ManifestYaml.write(manifests());
  }

  /** The manifests written for the documents of one input file, as multi-document YAML; empty if none. */
  public String yaml(String file) {
    return ManifestYaml.write(documents.stream().filter(d -> d.file().equals(file)).flatMap(d -> d.outputs().stream()).toList());
  }

  /** {@code 20 documents: 18 converted, 2 partly converted, ...; 3 fields not converted}. */
  public String summary() {
    return documents.size() + " document(s) in " + files.size() + " file(s): "
        + count(Result.CONVERTED) + " converted, "
        + count(Result.PARTLY_CONVERTED) + " partly converted, "
        + count(Result.NOT_CONVERTED) + " not converted, "
        + count(Result.COPIED_UNCHANGED) + " copied unchanged; "
        + notConverted().size() + " field(s) not converted";
  }

  /** One line per finding, then the summary. */
  public String reportText() {
    StringBuilder out = new StringBuilder();
    findings.forEach(f -> out.append(f).append('\n'));
    return out.append(summary()).append('\n').toString();
  }

  /**
   * The report as JSON: {@code summary}, {@code documents} (each with its result and the objects written for it),
   * {@code notConverted} and {@code notes} (each finding with file, document, kind, namespace, name, field, reason).
   */
  public ObjectNode reportJson() {
    ObjectNode report = Values.JSON.createObjectNode();
    ObjectNode summary = report.putObject("summary");
    summary.put("files", files.size());
    summary.put("documents", documents.size());
    summary.put("converted", count(Result.CONVERTED));
    summary.put("partlyConverted", count(Result.PARTLY_CONVERTED));
    summary.put("notConverted", count(Result.NOT_CONVERTED));
    summary.put("copiedUnchanged", count(Result.COPIED_UNCHANGED));
    summary.put("fieldsNotConverted", notConverted().size());
    ArrayNode docs = report.putArray("documents");
    for (ConvertedDocument d : documents) {
      ObjectNode doc = docs.addObject();
      doc.put("file", d.file());
      doc.put("document", d.document());
      doc.put("apiVersion", d.apiVersion());
      doc.put("kind", d.kind());
      doc.put("namespace", d.namespace());
      doc.put("name", d.name());
      doc.put("result", d.result().label());
      ArrayNode outputs = doc.putArray("outputs");
      for (ObjectNode o : d.outputs()) {
        ObjectNode ref = outputs.addObject();
        ref.put("apiVersion", o.path("apiVersion").asText());
        ref.put("kind", o.path("kind").asText());
        ref.put("namespace", o.path("metadata").path("namespace").asText(""));
        ref.put("name", o.path("metadata").path("name").asText(""));
      }
    }
    report.set("notConverted", findingsJson(notConverted()));
    report.set("notes", findingsJson(notes()));
    return report;
  }

  private static ArrayNode findingsJson(List<Finding> list) {
    ArrayNode array = Values.JSON.createArrayNode();
    for (Finding f : list) {
      ObjectNode o = array.addObject();
      o.put("file", f.file());
      o.put("document", f.document());
      o.put("kind", f.kind());
      o.put("namespace", f.namespace());
      o.put("name", f.name());
      o.put("field", f.field());
      o.put("reason", f.reason());
    }
    return array;
  }
}
