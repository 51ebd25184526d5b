package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The AIM container's {@code dry-run --format json} answered from the catalog (spec §5.4). */
class DryRunTest {
  private static final Catalog CATALOG = Catalog.builtIn();
  private static final Map<String, String> QWEN_FP8 =
      Map.of("AIM_ID", "Qwen/Qwen3-32B", "AIM_GPU_MODEL", "MI300X", "AIM_GPU_COUNT", "1", "AIM_PRECISION", "fp8", "AIM_METRIC", "latency");

  @Test
  void outputHasTheContainersShape() throws Exception {
    JsonNode out = new ObjectMapper().readTree(DryRun.toJson(DryRun.run(CATALOG, QWEN_FP8)));

    assertThat(out.isArray()).isTrue();
    assertThat(out).hasSize(1);
    JsonNode entry = out.get(0);
    assertThat(entry.fieldNames()).toIterable().containsExactly("filename", "profile", "models");
    assertThat(entry.get("filename").asText()).isEqualTo("vllm-mi300x-fp8-tp1-latency.yaml");
    JsonNode profile = entry.get("profile");
    assertThat(profile.fieldNames()).toIterable().containsExactly("aim_id", "model_id", "metadata", "engine_args", "env_vars");
    assertThat(profile.get("aim_id").asText()).isEqualTo("Qwen/Qwen3-32B");
    assertThat(profile.get("model_id").asText()).isEqualTo("Qwen/Qwen3-32B-FP8");
    assertThat(profile.get("metadata").fieldNames()).toIterable()
        .containsExactly("engine", "gpu", "gpu_count", "manual_selection_only", "metric", "precision", "type");
    assertThat(profile.get("metadata").get("gpu_count").asInt()).isEqualTo(1);
    assertThat(profile.get("metadata").get("manual_selection_only").asBoolean()).isFalse();
    assertThat(profile.get("engine_args").get("kv-cache-dtype").asText()).isEqualTo("fp8");
    assertThat(profile.get("engine_args").get("max-model-len").asInt()).isEqualTo(32768);
    assertThat(profile.get("env_vars").get("GPU_ARCHS").asText()).isEqualTo("gfx942");
    JsonNode model = entry.get("models").get(0);
    assertThat(model.get("name").asText()).isEqualTo("Qwen/Qwen3-32B-FP8");
    assertThat(model.get("source").asText()).isEqualTo("hf://Qwen/Qwen3-32B-FP8");
    assertThat(model.get("size_gb").asDouble()).isEqualTo(32.43);
  }

  @Test
  void jsonIsLaidOutLikePythonsJsonDumpsIndent2() {
    String json = DryRun.toJson(DryRun.run(CATALOG, QWEN_FP8));
    assertThat(json).startsWith("[\n  {\n    \"filename\": \"vllm-mi300x-fp8-tp1-latency.yaml\",\n    \"profile\": {\n      \"aim_id\": ");
    assertThat(json).contains("\"size_gb\": 32.43\n");
    assertThat(DryRun.toJson(List.of())).isEqualTo("[]");
  }

  @Test
  void nothingCompatiblePrintsAnEmptyList() {
    assertThat(DryRun.run(CATALOG, Map.of("AIM_ID", "Qwen/Qwen3-32B", "AIM_GPU_MODEL", "MI250", "AIM_GPU_COUNT", "1"))).isEmpty();
    assertThat(DryRun.run(CATALOG, Map.of("AIM_ID", "org/unknown", "AIM_GPU_MODEL", "MI300X"))).isEmpty();
    assertThat(DryRun.run(CATALOG, Map.of("AIM_ID", "Qwen/Qwen3-32B"))).as("no GPU model: nothing to match").isEmpty();
  }

  @Test
  void gpuCountAutoMeansOneWhenAGpuModelIsSet() {
    var entries = DryRun.run(CATALOG, Map.of("AIM_ID", "Qwen/Qwen3-32B", "AIM_GPU_MODEL", "mi300x", "AIM_GPU_COUNT", "auto", "AIM_PRECISION", "bf16"));
    assertThat(entries).singleElement().extracting(DryRun.Entry::filename).isEqualTo("vllm-mi300x-bf16-tp1-latency.yaml");
  }

  @Test
  void usesTheSameSelectionAsSelect() {
    for (String precision : List.of("auto", "bf16", "fp8", "fp16")) {
      for (String count : List.of("1", "2", "4", "8")) {
        var env = Map.of("AIM_ID", "Qwen/Qwen3-32B", "AIM_GPU_MODEL", "MI300X", "AIM_GPU_COUNT", count, "AIM_PRECISION", precision, "AIM_METRIC", "throughput");
        var selected = ProfileSelector.select(CATALOG.profiles(), ProfileQuery.fromEnv(env, null)).chosen().map(Profile::filename);
        assertThat(DryRun.run(CATALOG, env).stream().map(DryRun.Entry::filename).findFirst()).as("%s %s", precision, count).isEqualTo(selected);
      }
    }
  }

  @Test
  void profileIdBypassesSelection() {
    var entries = DryRun.run(CATALOG, Map.of("AIM_ID", "HuggingFaceTB/SmolLM2-135M", "AIM_PROFILE_ID", "vllm-mi300x-fp8-tp1-latency"));
    assertThat(entries).singleElement().satisfies(e -> {
      assertThat(e.filename()).isEqualTo("vllm-mi300x-fp8-tp1-latency.yaml");
      assertThat(((Map<?, ?>) e.profile().get("metadata")).get("manual_selection_only")).isEqualTo(true);
    });
  }

  @Test
  void environmentErrorsAndWarningsFollowAim() {
    assertThatThrownBy(() -> DryRun.run(CATALOG, Map.of("AIM_ID", "a/b", "AIM_MODEL_ID", "c/d"))).isInstanceOf(IllegalArgumentException.class);
    var q = ProfileQuery.fromEnv(Map.of("AIM_ID", "a/b", "AIM_PRECISION", "fp12", "AIM_METRIC", "speed"), null);
    assertThat(q.precision()).isEqualTo("auto");
    assertThat(q.metric()).isEqualTo("latency");
    assertThat(q.warnings()).hasSize(2);
  }
}
