package aim.orchestrator.convert;

import aim.orchestrator.convert.Finding.Severity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** One input document: where it came from, what it became, and what was found on the way. */
final class LegacyDocument {
  final String file;
  final int index;
  final JsonNode node;
  final String apiVersion;
  final String kind;
  final String namespace;
  final String name;
  final List<Finding> findings = new ArrayList<>();
  final List<ObjectNode> outputs = new ArrayList<>();
  ConvertedDocument.Result result;

  LegacyDocument(String file, int index, JsonNode node) {
    this.file = file;
    this.index = index;
    this.node = node;
    this.apiVersion = node.path("apiVersion").asText("");
    this.kind = node.path("kind").asText("");
    this.namespace = node.path("metadata").path("namespace").asText("");
    this.name = node.path("metadata").path("name").asText("");
  }

  /** The API group of {@link #apiVersion}; empty for the core group. */
  String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** {@code aim.silogen.ai/v1alpha1 AIMService team-a/llama3-svc}: what the converted-from annotation says. */
  String describe() {
    return apiVersion + " " + kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }

  void lost(String field, String reason) {
    findings.add(new Finding(file, index, kind, namespace, name, field, Severity.NOT_CONVERTED, reason));
  }

  void note(String field, String reason) {
    findings.add(new Finding(file, index, kind, namespace, name, field, Severity.NOTE, reason));
  }

  boolean lostSomething() {
    return findings.stream().anyMatch(f -> f.severity() == Severity.NOT_CONVERTED);
  }
}
