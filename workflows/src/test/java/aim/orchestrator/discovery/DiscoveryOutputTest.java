package aim.orchestrator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aim.orchestrator.discovery.DiscoveryOutput.InvalidOutputException;
import aim.orchestrator.discovery.DiscoveryOutput.Problem;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscoveryOutputTest {
  /** What aim-dummy prints with its default env (spec §3.4). */
  static final String DUMMY =
      "[{\"filename\":\"smol2-135m\",\"profile\":{\"model\":\"smol2-135m\",\"quantized_model\":\"smol2-135m-bf16\","
          + "\"metadata\":{\"engine\":\"vllm\",\"gpu\":\"MI300X\",\"precision\":\"fp8\",\"gpu_count\":0,\"metric\":\"latency\",\"type\":\"optimized\"},"
          + "\"engine_args\":{\"distributed_executor_backend\":\"mp\",\"gpu-memory-utilization\":0.95,\"tensor-parallel-size\":1},"
          + "\"env_vars\":{\"AIM_ENGINE_ARGS\":\"{\\\"max-model-len\\\": 4096}\",\"HIP_FORCE_DEV_KERNARG\":\"1\",\"VLLM_USE_V1\":\"0\"}},"
          + "\"models\":[{\"name\":\"HuggingFaceTB/SmolLM2-135M\",\"source\":\"hf://HuggingFaceTB/SmolLM2-135M\",\"size_gb\":0.5}]}]";

  @Test
  void parsesACleanOutput() throws Exception {
    DiscoveryOutput.Result r = DiscoveryOutput.parse(DUMMY);
    assertThat(r.profile().metadata.engine).isEqualTo("vllm");
    assertThat(r.profile().metadata.gpu).isEqualTo("MI300X");
    assertThat(r.profile().metadata.gpuCount).isZero();
    assertThat(r.profile().metadata.precision).isEqualTo("fp8");
    assertThat(r.profile().metadata.type).isEqualTo("optimized");
    assertThat(r.profile().engineArgs.get("tensor-parallel-size").asInt()).isEqualTo(1);
    assertThat(r.profile().envVars).containsEntry("VLLM_USE_V1", "0").containsEntry("AIM_ENGINE_ARGS", "{\"max-model-len\": 4096}");
    assertThat(r.modelSources()).singleElement().satisfies(s -> {
      assertThat(s.modelId).isEqualTo("HuggingFaceTB/SmolLM2-135M");
      assertThat(s.sourceUri).isEqualTo("hf://HuggingFaceTB/SmolLM2-135M");
      assertThat(s.size.toString()).isEqualTo("512Mi");
    });
  }

  @Test
  void toleratesLogNoiseAroundTheJson() throws Exception {
    String noisy =
        "WARNING: amdsmi not found [no GPU]\n"
            + "INFO [profile_selector] scanning profiles\n"
            + DUMMY.replace(",", ",\n  ")
            + "\nexiting [0]\n";
    assertThat(DiscoveryOutput.parse(noisy).modelSources()).hasSize(1);
  }

  @Test
  void anEmptyListMeansNoCompatibleProfile() {
    assertThatThrownBy(() -> DiscoveryOutput.parse("[]\n"))
        .isInstanceOf(InvalidOutputException.class)
        .satisfies(e -> assertThat(((InvalidOutputException) e).problem()).isEqualTo(Problem.NO_COMPATIBLE_PROFILE))
        .hasMessageContaining("no profile compatible");
    assertThat(Problem.NO_COMPATIBLE_PROFILE.reason()).isEqualTo("NoCompatibleProfile");
  }

  @Test
  void invalidOutputIsNamed() {
    assertThatThrownBy(() -> DiscoveryOutput.parse("Traceback (most recent call last):\n  KeyError: 'AIM_ID'"))
        .isInstanceOf(InvalidOutputException.class)
        .satisfies(e -> assertThat(((InvalidOutputException) e).problem()).isEqualTo(Problem.INVALID_OUTPUT))
        .hasMessageContaining("KeyError");
    assertThatThrownBy(() -> DiscoveryOutput.parse("")).hasMessageContaining("(empty log)");
    assertThatThrownBy(() -> DiscoveryOutput.parse("[{\"filename\": \"x\"}]")).hasMessageContaining("no \"profile\"");
  }

  @Test
  void aMissingSizeLeavesTheSizeEmpty() throws Exception {
    String out = DUMMY.replace("\"size_gb\":0.5", "\"size_gb\":null");
    assertThat(DiscoveryOutput.parse(out).modelSources().get(0).size).isNull();
  }

  @ParameterizedTest
  @CsvSource({"0.5, 512Mi", "1, 1Gi", "65.5, 67072Mi", "16.06, 17244293693", "0, 0"})
  void sizesAreBinaryQuantitiesOfWholeBytes(String gb, String quantity) {
    assertThat(DiscoveryOutput.sizeFromGb(new BigDecimal(gb)).toString()).isEqualTo(quantity);
  }
}
