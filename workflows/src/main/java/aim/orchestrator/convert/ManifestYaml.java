package aim.orchestrator.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Multi-document YAML in and out. */
final class ManifestYaml {
  private static final ObjectMapper READER = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper WRITER =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  private ManifestYaml() {}

  /** The non-empty documents of a file, in order. */
  static List<JsonNode> read(SourceFile file) {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = READER.readerFor(JsonNode.class).readValues(file.text())) {
      while (it.hasNextValue()) {
        JsonNode document = it.nextValue();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (IOException | RuntimeException e) {
      String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getOriginalMessage() + locationOf(p) : e.getMessage();
      throw new UnreadableInputException(file.name() + ": not YAML: " + reason, e);
    }
    return documents;
  }

  private static String locationOf(com.fasterxml.jackson.core.JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  /** Documents separated by {@code ---}. */
  static String write(List<ObjectNode> documents) {
    StringBuilder out = new StringBuilder();
    for (ObjectNode document : documents) {
      if (out.length() > 0) {
        out.append("---\n");
      }
      try {
        out.append(WRITER.writeValueAsString(document));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toString();
  }
}
