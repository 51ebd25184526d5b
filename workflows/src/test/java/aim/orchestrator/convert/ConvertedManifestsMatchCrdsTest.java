package aim.orchestrator.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest converted from the seeds against its CRD in {@code k8s/crds/}: the {@code openAPIV3Schema} with
 * networknt's OpenAPI 3.0 dialect, made strict (a field the schema does not declare is an error here, where the API
 * server would silently prune it), then the CEL rules of a create, checked by hand. The dev Kubernetes API applies the
 * same manifests in the worker module ({@code ConvertedSeedsAcceptedTest}).
 */
class ConvertedManifestsMatchCrdsTest {
  private static final Path CRDS = Path.of("../k8s/crds");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());

  /**
   * The CEL rules of the CRDs that apply on create, each as a Java predicate over {@code self}. Rules using {@code
   * oldSelf} (immutability) only apply to updates. A rule missing here fails the test, so new rules get a check.
   */
  private static final Map<String, Predicate<JsonNode>> CEL =
      Map.of(
          "has(self.gpu) || has(self.cpu)", self -> self.has("gpu") || self.has("cpu"),
          "!(has(self.model) && size(self.model) > 0 && has(self.minVram))",
              self -> !(self.has("model") && !self.get("model").asText().isEmpty() && self.has("minVram")),
          "size(self) >= 1", self -> self.size() >= 1,
          "(has(self.name) ? 1 : 0) + (has(self.image) ? 1 : 0) + (has(self.custom) ? 1 : 0) == 1",
              self -> (self.has("name") ? 1 : 0) + (self.has("image") ? 1 : 0) + (self.has("custom") ? 1 : 0) == 1,
          "!has(self.modelSources) || size(self.modelSources) == 0 || (has(self.custom) && has(self.custom.hardware))"
              + " || (has(self.customTemplates) && self.customTemplates.all(t, has(t.hardware)))",
              self -> !self.has("modelSources") || self.get("modelSources").isEmpty() || self.path("custom").has("hardware")
                  || (self.has("customTemplates") && allHave(self.get("customTemplates"), "hardware")));

  private static final Map<String, JsonNode> SCHEMAS = new HashMap<>();
  private static final Map<String, Schema> VALIDATORS = new HashMap<>();

  @BeforeAll
  static void loadCrds() throws IOException {
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        JsonNode crd = YAML.readTree(file.toFile());
        String kind = crd.path("spec").path("names").path("kind").asText();
        JsonNode schema = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
        SCHEMAS.put(kind, schema);
        VALIDATORS.put(kind, REGISTRY.getSchema(Values.JSON.writeValueAsString(strict(schema.deepCopy(), true)), InputFormat.JSON));
      }
    }
    assertThat(SCHEMAS).containsKeys("AIMService", "AIMServiceTemplate", "AIMClusterModel", "AIMRuntimeConfig");
  }

  @Test
  void bothSeedsAsOneBatch() throws IOException {
    assertValid(LegacyConverter.convert(SeedFixtures.both()));
  }

  @Test
  void seed000Alone() throws IOException {
    // Unresolved model ids give derived names: still valid objects.
    assertValid(LegacyConverter.convert(SeedFixtures.seed("seed000")));
  }

  @Test
  void theStrictSchemaCatchesWhatTheServerWouldPrune() throws IOException {
    ObjectNode service = (ObjectNode) Values.JSON.readTree("""
        {"apiVersion": "aim.eai.amd.com/v1alpha1", "kind": "AIMService", "metadata": {"name": "x"},
         "spec": {"model": {"name": "m"}, "templateRef": "t", "overrides": {"hardware": {}}}}""");
    assertThat(problems(service)).anyMatch(p -> p.contains("templateRef")).anyMatch(p -> p.contains("has(self.gpu) || has(self.cpu)"));
  }

  private static void assertValid(Conversion conversion) throws IOException {
    List<String> problems = new ArrayList<>();
    for (ObjectNode manifest : conversion.manifests()) {
      problems.addAll(problems(manifest));
    }
    assertThat(conversion.manifests()).isNotEmpty();
    assertThat(problems).isEmpty();
  }

  private static List<String> problems(ObjectNode manifest) throws IOException {
    String kind = manifest.path("kind").asText();
    String object = kind + " " + manifest.path("metadata").path("name").asText();
    assertThat(manifest.path("apiVersion").asText()).as(object).isEqualTo("aim.eai.amd.com/v1alpha1");
    Schema validator = VALIDATORS.get(kind);
    assertThat(validator).as("a CRD for %s", kind).isNotNull();
    List<String> problems = new ArrayList<>();
    validator.validate(Values.JSON.writeValueAsString(manifest), InputFormat.JSON).forEach(e -> problems.add(object + ": " + e.getMessage()));
    celRules(manifest, SCHEMAS.get(kind), object, problems);
    return problems;
  }

  /**
   * The schema with {@code additionalProperties: false} on every object that declares properties and does not
   * preserve unknown fields; the root also allows apiVersion, kind and metadata.
   */
  private static JsonNode strict(JsonNode schema, boolean root) {
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode object = (ObjectNode) schema;
    if (root) {
      ObjectNode properties = object.withObjectProperty("properties");
      properties.putObject("apiVersion").put("type", "string");
      properties.putObject("kind").put("type", "string");
      properties.putObject("metadata").put("type", "object");
    }
    if (object.has("properties") && !object.has("additionalProperties") && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      object.put("additionalProperties", false);
    }
    object.path("properties").forEach(p -> strict(p, false));
    for (String nested : List.of("items", "additionalProperties")) {
      if (object.get(nested) != null) {
        strict(object.get(nested), false);
      }
    }
    object.path("anyOf").forEach(p -> strict(p, false));
    return object;
  }

  /** Walks the value with its schema and checks every create-time CEL rule on the way. */
  private static void celRules(JsonNode value, JsonNode schema, String path, List<String> problems) {
    if (schema == null || schema.isMissingNode() || value == null) {
      return;
    }
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      String rule = validation.path("rule").asText();
      if (rule.contains("oldSelf")) {
        continue;
      }
      Predicate<JsonNode> check = CEL.get(rule);
      if (check == null) {
        fail("no hand-written check for the CEL rule %s (at %s): add one to CEL", rule, path);
      } else if (!check.test(value)) {
        problems.add(path + ": " + rule + ": " + validation.path("message").asText());
      }
    }
    if (value.isObject()) {
      value.properties().forEach(e -> celRules(e.getValue(), schema.path("properties").get(e.getKey()), path + "." + e.getKey(), problems));
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        celRules(value.get(i), schema.get("items"), path + "[" + i + "]", problems);
      }
    }
  }

  private static boolean allHave(JsonNode list, String field) {
    for (JsonNode item : list) {
      if (!item.has(field)) {
        return false;
      }
    }
    return true;
  }
}
