package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The templates under k8s/catalog/templates give valid catalog files once their placeholders are filled. */
class TemplatesTest {
  private static final Path TEMPLATES = Path.of("..", "k8s", "catalog", "templates");

  @Test
  void filledTemplatesValidate() throws IOException {
    Map<String, String> values = Map.ofEntries(
        Map.entry("model", "phi-3-mini"), Map.entry("model_id", "microsoft/Phi-3-mini-4k-instruct"),
        Map.entry("huggingface_id", "microsoft/Phi-3-mini-4k-instruct"), Map.entry("hardware", "MI300X"),
        Map.entry("hardware_lower", "mi300x"), Map.entry("precision", "bf16"), Map.entry("dtype", "bfloat16"),
        Map.entry("gpu_arch", "gfx942"), Map.entry("name", "Phi 3 mini"), Map.entry("vendor", "Microsoft"),
        Map.entry("parameters_b", "3.82"), Map.entry("size_gb", "7.12"), Map.entry("license", "mit"),
        Map.entry("image", "amdenterpriseai/aim-microsoft-phi-3-mini-4k-instruct:0.1.0"), Map.entry("description", "A small model."));
    String model = fill(Files.readString(TEMPLATES.resolve("model-template.yaml")), values);
    String recipe = fill(Files.readString(TEMPLATES.resolve("recipe-template.yaml")), values);
    assertThat(model.lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.contains("{{"));
    assertThat(recipe.lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.contains("{{"));

    Catalog catalog = Catalog.of("templates", List.of(
        new Catalog.SourceFile(Catalog.Kind.MODEL, "phi-3-mini.yaml", model),
        new Catalog.SourceFile(Catalog.Kind.RECIPE, "phi-3-mini-mi300x-bf16.yaml", recipe)));
    assertThat(CatalogValidator.validate(catalog)).isEmpty();
    assertThat(catalog.profiles()).extracting(Profile::id)
        .containsExactly("vllm-mi300x-bf16-tp1-latency", "vllm-mi300x-bf16-tp2-throughput", "sglang-mi300x-bf16-tp1-latency");
  }

  private static String fill(String template, Map<String, String> values) {
    String out = template;
    for (var e : values.entrySet()) {
      out = out.replace("{{" + e.getKey() + "}}", e.getValue());
    }
    return out;
  }
}
