package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.recipes.ValidationError.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One broken fixture per rule (src/test/resources/recipes/broken/{recipes,models}/&lt;rule&gt;/): validating it
 * reports that rule, on that file, and nothing else.
 */
class CatalogValidatorTest {
  private static final Path BROKEN = Path.of("src/test/resources/recipes/broken");

  @ParameterizedTest
  @EnumSource(
      value = Rule.class,
      names = {"YAML", "SCHEMA", "RECIPE_ID", "MODEL_EXISTS", "MODEL_ID", "SERVING_ENABLED", "TENSOR_PARALLEL", "DTYPE",
               "HARDWARE_PRECISION", "ENGINE_FLAG", "MEMORY_FIT", "DUPLICATE_PROFILE"})
  void eachBrokenRecipeBreaksItsRule(Rule rule) throws IOException {
    List<Catalog.SourceFile> recipes = files(BROKEN.resolve("recipes").resolve(rule.id()), Catalog.Kind.RECIPE);
    Catalog catalog = Catalog.builtIn().withRecipes(recipes, "fixture " + rule.id());

    List<ValidationError> errors = CatalogValidator.validate(catalog);

    assertThat(errors).as("errors for %s", rule).isNotEmpty().allSatisfy(e -> {
      assertThat(e.rule()).isEqualTo(rule);
      assertThat(e.file()).startsWith("recipes/");
      assertThat(e.message()).isNotBlank();
    });
  }

  @ParameterizedTest
  @EnumSource(value = Rule.class, names = {"YAML", "SCHEMA", "MODEL_ID", "IMAGE_NAME", "DUPLICATE_MODEL"})
  void eachBrokenModelBreaksItsRule(Rule rule) throws IOException {
    Catalog catalog = Catalog.of("fixture " + rule.id(), files(BROKEN.resolve("models").resolve(rule.id()), Catalog.Kind.MODEL));

    List<ValidationError> errors = CatalogValidator.validate(catalog);

    assertThat(errors).as("errors for %s", rule).isNotEmpty().allSatisfy(e -> assertThat(e.rule()).isEqualTo(rule));
  }

  @Test
  void errorsNameFileFieldAndRule() throws IOException {
    var catalog = Catalog.builtIn().withRecipes(files(BROKEN.resolve("recipes/tensor-parallel"), Catalog.Kind.RECIPE), "t");
    assertThat(CatalogValidator.validate(catalog))
        .extracting(ValidationError::toString)
        .containsExactly(
            "recipes/smollm2-135m-mi300x-bf16.yaml: vllm_serve.4_gpu.args.--tensor-parallel-size: [tensor-parallel]"
                + " tensor parallelism is 2 but 4_gpu has 4 GPUs");
  }

  @Test
  void schemaErrorsPointAtTheField() throws IOException {
    var catalog = Catalog.builtIn().withRecipes(files(BROKEN.resolve("recipes/schema"), Catalog.Kind.RECIPE), "s");
    assertThat(CatalogValidator.validate(catalog))
        .extracting(ValidationError::field)
        .contains("vllm_serve.3_gpu.enabled")
        .anyMatch(f -> f.startsWith("vllm_serve"));
  }

  @Test
  void modelSchemaReportsEveryMissingOrWrongField() throws IOException {
    var catalog = Catalog.of("m", files(BROKEN.resolve("models/schema"), Catalog.Kind.MODEL));
    assertThat(CatalogValidator.validate(catalog)).extracting(ValidationError::field).contains("size_gb", "parameters_b");
  }

  @Test
  void engineFlagErrorsNameTheEngineVersion() throws IOException {
    var catalog = Catalog.builtIn().withRecipes(files(BROKEN.resolve("recipes/engine-flag"), Catalog.Kind.RECIPE), "e");
    assertThat(CatalogValidator.validate(catalog))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.field()).isEqualTo("sglang_serve.1_gpu.args.--max-num-seqs");
          assertThat(e.message()).isEqualTo("--max-num-seqs is not a flag of sglang 0.5");
        });
  }

  @Test
  void aRecipeForAModelOutsideTheCatalogIsReported() throws IOException {
    var catalog = Catalog.builtIn().withRecipes(files(BROKEN.resolve("recipes/model-exists"), Catalog.Kind.RECIPE), "x");
    assertThat(CatalogValidator.validate(catalog))
        .extracting(ValidationError::toString)
        .containsExactly("recipes/smollm2-135m-mi300x-bf16.yaml: model_id: [model-exists] HuggingFaceTB/SmolLM2-360M is not a model of models/");
  }

  private static List<Catalog.SourceFile> files(Path dir, Catalog.Kind kind) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().map(p -> Catalog.readFile(p, kind)).toList();
    }
  }
}
