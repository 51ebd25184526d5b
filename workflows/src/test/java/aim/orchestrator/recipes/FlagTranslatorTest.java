package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seed 002's generic argument names become each engine's real flags. */
class FlagTranslatorTest {
  private static Map<String, Object> seedArgs(String dtype) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("--model", "Qwen/Qwen3-32B");
    a.put("--dtype", dtype);
    a.put("--tensor-parallel-size", "4");
    a.put("--max-batch-size", "24");
    a.put("--max-context-len", "32768");
    a.put("--gpu-memory-utilization", "0.9");
    a.put("--trust-remote-code", "true");
    a.put("--port", "8001");
    return a;
  }

  @Test
  void vllm() {
    var t = FlagTranslator.translate(Engine.VLLM, seedArgs("bfloat16"), false);
    assertThat(t.model()).isEqualTo("Qwen/Qwen3-32B");
    assertThat(t.port()).isEqualTo(8001);
    assertThat(t.args()).containsExactly(
        Map.entry("dtype", "bfloat16"), Map.entry("tensor-parallel-size", 4L), Map.entry("max-num-seqs", 24L),
        Map.entry("max-model-len", 32768L), Map.entry("gpu-memory-utilization", new BigDecimal("0.9")), Map.entry("trust-remote-code", true));
  }

  @Test
  void sglang() {
    var t = FlagTranslator.translate(Engine.SGLANG, seedArgs("bfloat16"), false);
    assertThat(t.args()).containsOnlyKeys("dtype", "tp-size", "max-running-requests", "context-length", "mem-fraction-static", "trust-remote-code");
  }

  @Test
  void float8BecomesQuantizationAndKvCache() {
    assertThat(FlagTranslator.translate(Engine.VLLM, seedArgs("float8"), false).args())
        .containsEntry("quantization", "fp8").containsEntry("kv-cache-dtype", "fp8").doesNotContainKey("dtype");
    assertThat(FlagTranslator.translate(Engine.SGLANG, seedArgs("float8"), false).args())
        .containsEntry("quantization", "fp8").containsEntry("kv-cache-dtype", "fp8_e4m3");
    // An FP8 checkpoint declares its quantization; only the KV cache is asked for.
    assertThat(FlagTranslator.translate(Engine.VLLM, seedArgs("float8"), true).args())
        .doesNotContainKey("quantization").containsEntry("kv-cache-dtype", "fp8");
    var explicit = seedArgs("float8");
    explicit.put("--kv-cache-dtype", "auto");
    assertThat(FlagTranslator.translate(Engine.VLLM, explicit, true).args()).containsEntry("kv-cache-dtype", "auto");
  }

  @Test
  void integerPrecisionsLeaveTheMethodToTheCheckpoint() {
    assertThat(FlagTranslator.translate(Engine.VLLM, seedArgs("int4"), false).args()).doesNotContainKeys("dtype", "quantization");
  }

  @Test
  void everyGeneratedFlagOfTheMappingTableExistsInTheVendoredLists() {
    var flags = EngineFlags.builtIn();
    for (String f : new String[] {"--max-num-seqs", "--max-model-len", "--quantization", "--kv-cache-dtype", "--tensor-parallel-size",
        "--gpu-memory-utilization", "--trust-remote-code", "--served-model-name", "--port", "--model"}) {
      assertThat(flags.known(Engine.VLLM, f)).as(f).isTrue();
    }
    for (String f : new String[] {"--max-running-requests", "--context-length", "--quantization", "--kv-cache-dtype", "--tp-size",
        "--mem-fraction-static", "--trust-remote-code", "--served-model-name", "--port", "--model-path", "--host"}) {
      assertThat(flags.known(Engine.SGLANG, f)).as(f).isTrue();
    }
    assertThat(flags.known(Engine.VLLM, "--max-batch-size")).isFalse();
    assertThat(flags.known(Engine.VLLM, "--no-enable-prefix-caching")).isTrue();
    assertThat(flags.known(Engine.SGLANG, "--max-num-seqs")).isFalse();
  }
}
