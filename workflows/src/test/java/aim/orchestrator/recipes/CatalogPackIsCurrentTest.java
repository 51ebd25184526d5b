package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMClusterModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/catalog/pack and k8s/catalog/catalog-index.txt are generated from the catalog. This test regenerates them and
 * fails when the committed files differ; run
 * {@code ./mvnw -pl workflows test -Dtest=CatalogPackIsCurrentTest -Daim.catalog.update=true} after changing the
 * catalog.
 */
class CatalogPackIsCurrentTest {
  private static final Path CATALOG = Path.of("..", "k8s", "catalog");
  private static final Path PACK = CATALOG.resolve("pack");
  private static final boolean UPDATE = Boolean.getBoolean("aim.catalog.update");

  @Test
  void committedPackMatchesTheCatalog() throws IOException {
    Map<String, String> generated = CatalogPack.render(Catalog.load(CATALOG));
    if (UPDATE) {
      Files.createDirectories(PACK);
      try (Stream<Path> old = Files.list(PACK)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
      for (var e : generated.entrySet()) {
        Files.writeString(PACK.resolve(e.getKey()), e.getValue());
      }
    }
    for (var e : generated.entrySet()) {
      Path committed = PACK.resolve(e.getKey());
      assertThat(committed).as("%s is missing; regenerate with -Daim.catalog.update=true", committed).exists();
      assertThat(Files.readString(committed)).as("%s is stale; regenerate with -Daim.catalog.update=true", committed).isEqualTo(e.getValue());
    }
    try (Stream<Path> files = Files.list(PACK)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("k8s/catalog/pack holds only generated files")
          .containsExactlyInAnyOrderElementsOf(generated.keySet());
    }
  }

  @Test
  void committedIndexListsEveryCatalogFile() throws IOException {
    StringBuilder index = new StringBuilder(
        "# The catalog's files, for loading it from the classpath. Kept current by CatalogPackIsCurrentTest (-Daim.catalog.update=true).\n");
    for (String dir : List.of("models", "recipes")) {
      try (Stream<Path> files = Files.list(CATALOG.resolve(dir))) {
        files.map(p -> dir + "/" + p.getFileName()).filter(n -> n.endsWith(".yaml")).sorted().forEach(n -> index.append(n).append('\n'));
      }
    }
    Path committed = CATALOG.resolve(Catalog.INDEX);
    if (UPDATE) {
      Files.writeString(committed, index.toString());
    }
    assertThat(Files.readString(committed)).as("%s is stale; regenerate with -Daim.catalog.update=true", committed).isEqualTo(index.toString());
  }

  @Test
  void packModelsCarryTheImageAndItsRecommendedDeployments() throws IOException {
    String qwen = Files.readString(PACK.resolve("qwen3-32b.yaml"));
    AIMClusterModel model = CatalogYaml.YAML.readValue(qwen, AIMClusterModel.class);
    assertThat(model.getKind()).isEqualTo("AIMClusterModel");
    assertThat(model.getApiVersion()).isEqualTo("aim.eai.amd.com/v1alpha1");
    assertThat(model.getMetadata().getName()).isEqualTo("qwen3-32b");
    assertThat(model.getSpec().image).isEqualTo("amdenterpriseai/aim-qwen-qwen3-32b:0.8.5");
    var meta = model.getSpec().imageMetadata.model;
    assertThat(meta.canonicalName).isEqualTo("Qwen/Qwen3-32B");
    assertThat(meta.source).isEqualTo("https://huggingface.co/Qwen/Qwen3-32B");
    assertThat(meta.hfTokenRequired).isFalse();
    assertThat(meta.recommendedDeployments)
        .anySatisfy(d -> {
          assertThat(d.gpuModel).isEqualTo("MI300X");
          assertThat(d.gpuCount).isEqualTo(1);
          assertThat(d.precision).isEqualTo("bf16");
          assertThat(d.metric).isEqualTo("latency");
          assertThat(d.profileId).isEqualTo("vllm-mi300x-bf16-tp1-latency");
        })
        .allSatisfy(d -> assertThat(d.profileId).startsWith("vllm-"));
    assertThat(Files.readString(PACK.resolve("llama-3-1-8b-instruct.yaml"))).contains("hfTokenRequired: true");
    assertThat(Files.readString(PACK.resolve("kustomization.yaml"))).contains("- qwen3-32b.yaml", "- smollm2-135m.yaml");
  }
}
