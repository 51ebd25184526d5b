package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Selection over the built-in catalog: the chosen profile and every rejection, as golden text files. */
class SelectionGoldenTest {
  private static final Catalog CATALOG = Catalog.builtIn();

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("qwen3-mi300x-1gpu-auto", ProfileQuery.of("Qwen/Qwen3-32B", "MI300X", 1, "auto", "latency", "vllm")),
        Arguments.of("qwen3-mi300x-1gpu-bf16", ProfileQuery.of("Qwen/Qwen3-32B", "MI300X", 1, "bf16", "latency", "vllm")),
        Arguments.of("qwen3-mi300x-4gpu-bf16-throughput", ProfileQuery.of("Qwen/Qwen3-32B", "MI300X", 4, "bf16", "throughput", "vllm")),
        Arguments.of("qwen3-mi300x-2gpu-sglang", ProfileQuery.of("Qwen/Qwen3-32B", "mi300x", 2, "bf16", "latency", "sglang")),
        Arguments.of("smollm2-mi300x-auto", ProfileQuery.of("HuggingFaceTB/SmolLM2-135M", "MI300X", 1, "auto", "auto", "vllm")),
        Arguments.of("smollm2-profile-id-manual",
            ProfileQuery.of("HuggingFaceTB/SmolLM2-135M", "MI300X", 1, "auto", "latency", "vllm").withProfileId("vllm-mi300x-fp8-tp1-latency")),
        Arguments.of("smollm2-mi300x-2gpu-disabled", ProfileQuery.of("HuggingFaceTB/SmolLM2-135M", "MI300X", 2, "bf16", "latency", "vllm")),
        Arguments.of("llama405b-mi355x-2gpu-fp8", ProfileQuery.of("meta-llama/Llama-3.1-405B-Instruct", "MI355X", 2, "fp8", "latency", "vllm")),
        Arguments.of("deepseek-mi250", ProfileQuery.of("deepseek-ai/DeepSeek-R1-0528", "MI250", 8, "auto", "latency", "vllm")));
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void selection(String scenario, ProfileQuery query) throws IOException {
    ProfileSelection s = ProfileSelector.select(CATALOG.profiles(), query);
    Golden.check("select-" + scenario + ".txt", SelectionReport.text(s));
  }

  @Test
  void everyProfileIsChosenOrRejectedExactlyOnce() {
    var profiles = CATALOG.profiles();
    ProfileSelection s = ProfileSelector.select(profiles, ProfileQuery.of("Qwen/Qwen3-32B", "MI300X", 1, "auto", "latency", "vllm"));
    assertThat(s.rejected().size() + 1).isEqualTo(profiles.size());
  }

  @Test
  void autoPrecisionPrefersAimsLowerRankedPrecision() {
    ProfileSelection s = ProfileSelector.select(CATALOG.profiles(), ProfileQuery.of("Qwen/Qwen3-32B", "MI300X", 1, "auto", "latency", "vllm"));
    assertThat(s.chosen()).get().extracting(Profile::id).isEqualTo("vllm-mi300x-fp8-tp1-latency");
    assertThat(s.rejected())
        .filteredOn(r -> r.reason() == Rejection.Reason.OUTRANKED)
        .extracting(r -> r.profile().id())
        .containsExactly("vllm-mi300x-bf16-tp1-latency");
  }

  @Test
  void reasonsFollowAimsCheckOrder() {
    // A profile that differs in engine and GPU is an engine mismatch: the engine is checked first.
    ProfileSelection s = ProfileSelector.select(CATALOG.profiles(), ProfileQuery.of("Qwen/Qwen3-32B", "MI325X", 1, "bf16", "latency", "vllm"));
    assertThat(s.chosen()).get().extracting(Profile::id).isEqualTo("vllm-mi325x-bf16-tp1-latency");
    assertThat(s.rejected())
        .filteredOn(r -> r.profile().id().equals("sglang-mi300x-bf16-tp1-latency") && r.profile().aimId().equals("Qwen/Qwen3-32B"))
        .extracting(Rejection::reason)
        .containsExactly(Rejection.Reason.ENGINE_MISMATCH);
  }

  @Test
  void aDuplicateProfileIdKeepsTheFirst() {
    Profile first = CATALOG.profiles().get(0);
    Profile copy = new Profile(first.id(), first.aimId(), first.modelId(), first.metadata(), first.engineArgs(), first.envVars(), true, "copy", "1_gpu");
    var m = first.metadata();
    ProfileSelection s = ProfileSelector.select(List.of(first, copy), ProfileQuery.of(first.aimId(), m.gpu(), m.gpuCount(), m.precision(), m.metric(), m.engine()));
    assertThat(s.chosen()).containsSame(first);
    assertThat(s.rejected()).singleElement().extracting(Rejection::reason).isEqualTo(Rejection.Reason.DUPLICATE_PROFILE_ID);
  }
}
