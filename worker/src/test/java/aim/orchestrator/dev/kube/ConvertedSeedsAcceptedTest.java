package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.convert.Conversion;
import aim.orchestrator.convert.ConvertedDocument;
import aim.orchestrator.convert.LegacyConverter;
import aim.orchestrator.convert.SourceFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.AimKinds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code aim convert} over the example manifests of seeds 000 and 001 (the workflows module's fixtures, converted as
 * one batch), applied to the dev Kubernetes API, which enforces the CRD schemas and CEL rules: every document is
 * accepted, and stored with every field that was sent (nothing pruned).
 */
class ConvertedSeedsAcceptedTest {
  private static final Path SEEDS = Path.of("../workflows/src/test/resources/convert");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyConvertedSeedManifestIsAccepted() throws IOException {
    Conversion conversion = LegacyConverter.convert(seedFiles());
    assertThat(conversion.documents()).hasSize(20);

    List<String> problems = new ArrayList<>();
    int accepted = 0;
    try (DevKubernetesApi api = DevKubernetesApi.start(0);
        KubernetesClient client = api.newClient()) {
      Namespaces.create(api, conversion.manifests().stream().map(m -> m.path("metadata").path("namespace").asText()).filter(ns -> !ns.isEmpty()).distinct().toArray(String[]::new));
      // One file at a time, cleaned up after: the seeds reuse names (llama3-svc, llama3-8b-fast) for different examples.
      for (String file : conversion.files()) {
        List<GenericKubernetesResource> created = new ArrayList<>();
        for (ObjectNode manifest : outputsOf(conversion, file)) {
          String object = file + ": " + manifest.path("kind").asText() + " " + manifest.path("metadata").path("name").asText();
          try {
            var resources = client.genericKubernetesResources(context(manifest.path("kind").asText()));
            GenericKubernetesResource stored = resources.resource(JSON.treeToValue(manifest, GenericKubernetesResource.class)).create();
            created.add(stored);
            accepted++;
            JsonNode storedSpec = JSON.valueToTree(stored.getAdditionalProperties().get("spec"));
            missingFrom(manifest.path("spec"), storedSpec, object + ": spec", problems);
          } catch (KubernetesClientException e) {
            problems.add(object + ": rejected: " + e.getMessage());
          }
        }
        created.forEach(r -> client.genericKubernetesResources(context(r.getKind())).resource(r).delete());
      }
    }
    assertThat(problems).isEmpty();
    assertThat(accepted).isEqualTo(conversion.manifests().size());
  }

  /** The kind's API resource, from the model (no discovery round trips). */
  private static ResourceDefinitionContext context(String kind) {
    Class<? extends HasMetadata> type = AimKinds.byKind(kind);
    return new ResourceDefinitionContext.Builder()
        .withGroup(Aim.GROUP)
        .withVersion(Aim.VERSION)
        .withKind(kind)
        .withPlural(HasMetadata.getPlural(type))
        .withNamespaced(AimKinds.namespaced(type))
        .build();
  }

  private static List<SourceFile> seedFiles() throws IOException {
    List<SourceFile> sources = new ArrayList<>();
    for (String seed : List.of("seed000", "seed001")) {
      try (Stream<Path> files = Files.list(SEEDS.resolve(seed))) {
        for (Path file : files.sorted().toList()) {
          sources.add(new SourceFile(seed + "/" + file.getFileName(), Files.readString(file)));
        }
      }
    }
    return sources;
  }

  private static List<ObjectNode> outputsOf(Conversion conversion, String file) {
    return conversion.documents().stream().filter(d -> d.file().equals(file)).map(ConvertedDocument::outputs).flatMap(List::stream).toList();
  }

  /** Every field of {@code sent} is in {@code stored} with the same value; the server may only add defaults. */
  private static void missingFrom(JsonNode sent, JsonNode stored, String path, List<String> problems) {
    if (sent.isObject()) {
      for (Map.Entry<String, JsonNode> field : sent.properties()) {
        JsonNode there = stored.get(field.getKey());
        if (there == null) {
          problems.add(path + "." + field.getKey() + ": pruned by the server");
        } else {
          missingFrom(field.getValue(), there, path + "." + field.getKey(), problems);
        }
      }
    } else if (sent.isArray()) {
      for (int i = 0; i < sent.size(); i++) {
        missingFrom(sent.get(i), stored.path(i), path + "[" + i + "]", problems);
      }
    } else if (!sent.asText().equals(stored.asText())) {
      problems.add(path + ": sent " + sent + ", stored " + stored);
    }
  }
}
