package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Seed 002's hardware selection guide, computed from parameter count, precision and GPU memory. */
class RecommenderTest {
  private static final Catalog CATALOG = Catalog.builtIn();

  @ParameterizedTest(name = "{0} on {1}: {2} GPUs in {3}")
  @CsvSource({
    // model file,           gpu,    count, precision, recipe
    "smollm2-135m,           MI250,  1, fp16, smollm2-135m-mi250-fp16",
    "llama-3-1-8b-instruct,  MI300X, 1, bf16, llama-3-1-8b-instruct-mi300x-bf16",
    "llama-3-1-8b-instruct,  MI250,  1, fp16, llama-3-1-8b-instruct-mi250-fp16",
    "llama-3-1-8b-instruct,  MI325X, 1, bf16, llama-3-1-8b-instruct-mi325x-bf16",
    "qwen3-32b,              MI250,  2, bf16, qwen3-32b-mi250-bf16",
    "qwen3-32b,              MI300X, 1, bf16, qwen3-32b-mi300x-bf16",
    "llama-3-1-70b-instruct, MI300X, 1, bf16, llama-3-1-70b-instruct-mi300x-bf16",
    "mixtral-8x7b-instruct,  MI300X, 1, bf16, mixtral-8x7b-instruct-mi300x-bf16",
    "llama-3-1-405b-instruct,MI300X, 4, fp8,  llama-3-1-405b-instruct-mi300x-fp8",
    "llama-3-1-405b-instruct,MI355X, 2, fp8,  llama-3-1-405b-instruct-mi355x-fp8",
    "deepseek-r1-0528,       MI300X, 8, fp8,  deepseek-r1-0528-mi300x-fp8",
    "deepseek-r1-0528,       MI325X, 4, fp8,  deepseek-r1-0528-mi325x-fp8",
  })
  void recommends(String file, String gpu, int count, String precision, String recipe) {
    ModelCard model = CATALOG.model(file).orElseThrow();
    var r = Recommender.recommend(CATALOG, model, Optional.of(gpu)).get(0);
    assertThat(r.fits()).isTrue();
    assertThat(r.gpuCount()).isEqualTo(count);
    assertThat(r.precision()).isEqualTo(precision);
    assertThat(r.availableGb()).isGreaterThanOrEqualTo(r.requiredGb());
    assertThat(r.requiredGb()).isCloseTo(r.weightsGb() / (1 - Recommender.KV_HEADROOM), org.assertj.core.data.Offset.offset(0.02));
    assertThat(r.recipeId().orElse("")).isEqualTo(recipe);
  }

  @Test
  void aModelTooLargeForEightGpusDoesNotFit() {
    ModelCard model = CATALOG.model("llama-3-1-405b-instruct").orElseThrow();
    var r = Recommender.recommend(CATALOG, model, Optional.of("MI250")).get(0);
    assertThat(r.fits()).isFalse();
    assertThat(r.precision()).isEqualTo("int8"); // MI250 has no FP8, and 405 GB of int8 weights need more than 8 × 64 GiB
    assertThat(r.note()).contains("8 × MI250");
  }

  @Test
  void withoutAGpuEveryGpuModelIsConsideredAndTheSeedsChoiceMarked() {
    var all = Recommender.recommend(CATALOG, CATALOG.model("qwen3-32b").orElseThrow(), Optional.empty());
    assertThat(all).extracting(Recommender.Recommendation::gpu).containsExactly("MI250", "MI300X", "MI325X", "MI355X");
    assertThat(all).filteredOn(Recommender.Recommendation::preferredGpu).extracting(Recommender.Recommendation::gpu).containsExactly("MI250", "MI300X");
    assertThat(all).allSatisfy(r -> assertThat(r.sizeClass()).isEqualTo("7B-32B"));
  }

  @Test
  void theRecommendedProfileIsOneTheRecipeHas() {
    var r = Recommender.recommend(CATALOG, CATALOG.model("qwen3-32b").orElseThrow(), Optional.of("MI355X")).get(0);
    // 7B-32B allows bf16 and fp16; MI355X has a qwen3 fp8 recipe only, so bf16 is recommended without a recipe.
    assertThat(r.precision()).isEqualTo("bf16");
    assertThat(r.recipeId()).isEmpty();
    var llama = Recommender.recommend(CATALOG, CATALOG.model("llama-3-1-405b-instruct").orElseThrow(), Optional.of("MI325X")).get(0);
    assertThat(llama.profileId()).contains("vllm-mi325x-fp8-tp4-latency");
  }

  @Test
  void sizeClassesFollowTheSeedsTable() {
    assertThat(Recommender.sizeClass(0.135)).isEqualTo("<7B");
    assertThat(Recommender.sizeClass(8.03)).isEqualTo("7B-32B");
    assertThat(Recommender.sizeClass(32.8)).isEqualTo("7B-32B");
    assertThat(Recommender.sizeClass(46.7)).isEqualTo("32B-70B");
    assertThat(Recommender.sizeClass(70.6)).isEqualTo("32B-70B");
    assertThat(Recommender.sizeClass(405.9)).isEqualTo(">70B");
  }
}
