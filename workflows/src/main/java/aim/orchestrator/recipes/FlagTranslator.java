package aim.orchestrator.recipes;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a recipe's arguments into an engine's real flags. Seed 002 writes generic names that neither engine has
 * ({@code --max-batch-size}, {@code --max-context-len}, {@code --dtype float8}); this maps them, passes every
 * other flag through, and types string values ({@code "true"} → true, {@code "24"} → 24, {@code "0.9"} → 0.9).
 */
public final class FlagTranslator {
  /** A generic argument and what each engine calls it. */
  public record Mapping(String generic, String vllm, String sglang, String note) {}

  /** The generic names of seed 002 (docs/recipes.md shows this table). */
  public static final List<Mapping> MAPPINGS =
      List.of(
          new Mapping("--model", "--model", "--model-path", "given before the other flags; must equal huggingface_id"),
          new Mapping("--port", "--port", "--port", "given after the other flags (AIM_PORT wins at run time)"),
          new Mapping("--tensor-parallel-size", "--tensor-parallel-size", "--tp-size", "must equal the GPU count"),
          new Mapping("--max-batch-size", "--max-num-seqs", "--max-running-requests", "concurrent sequences"),
          new Mapping("--max-context-len", "--max-model-len", "--context-length", "tokens, prompt included"),
          new Mapping("--gpu-memory-utilization", "--gpu-memory-utilization", "--mem-fraction-static", "fraction of GPU memory"),
          new Mapping("--dtype bfloat16|float16", "--dtype bfloat16|float16", "--dtype bfloat16|float16", "unchanged"),
          new Mapping(
              "--dtype float8",
              "--quantization fp8 --kv-cache-dtype fp8",
              "--quantization fp8 --kv-cache-dtype fp8_e4m3",
              "no --quantization when the checkpoint is already FP8 (the engine reads it from config.json); an explicit --quantization or --kv-cache-dtype wins"),
          new Mapping("--dtype int8|int4", "(none)", "(none)", "a pre-quantized checkpoint; the engine reads its method from config.json"),
          new Mapping("--kv-cache-dtype fp8", "--kv-cache-dtype fp8", "--kv-cache-dtype fp8_e4m3", "SGLang names the FP8 format"),
          new Mapping("--trust-remote-code \"true\"", "--trust-remote-code", "--trust-remote-code", "\"false\" drops the flag"));

  /**
   * The translated arguments.
   *
   * @param model the {@code --model} value (the repository to load)
   * @param port the {@code --port} value, or null
   * @param args the engine's flags without their leading dashes, typed, in recipe order
   */
  public record Translation(String model, Integer port, Map<String, Object> args) {}

  private FlagTranslator() {}

  /**
   * Translates one configuration's arguments for an engine.
   *
   * @param checkpointIsFp8 whether the loaded checkpoint is stored in FP8 (then {@code --dtype float8} needs no
   *     {@code --quantization})
   */
  public static Translation translate(Engine engine, Map<String, Object> recipeArgs, boolean checkpointIsFp8) {
    boolean sglang = engine == Engine.SGLANG;
    String model = null;
    Integer port = null;
    Map<String, Object> out = new LinkedHashMap<>();
    boolean explicitQuantization = recipeArgs.containsKey("--quantization");
    boolean explicitKvCache = recipeArgs.containsKey("--kv-cache-dtype");
    for (var e : recipeArgs.entrySet()) {
      String flag = e.getKey();
      Object value = typed(e.getValue());
      switch (flag) {
        case "--model", "--model-path" -> model = String.valueOf(value);
        case "--port" -> port = value instanceof Number n ? n.intValue() : Integer.valueOf(String.valueOf(value));
        case "--tensor-parallel-size" -> out.put(sglang ? "tp-size" : "tensor-parallel-size", value);
        case "--max-batch-size" -> out.put(sglang ? "max-running-requests" : "max-num-seqs", value);
        case "--max-context-len" -> out.put(sglang ? "context-length" : "max-model-len", value);
        case "--gpu-memory-utilization" -> out.put(sglang ? "mem-fraction-static" : "gpu-memory-utilization", value);
        case "--kv-cache-dtype" -> out.put("kv-cache-dtype", sglang && "fp8".equals(value) ? "fp8_e4m3" : value);
        case "--dtype" -> {
          String dtype = String.valueOf(value);
          switch (dtype) {
            case "float8" -> {
              if (!checkpointIsFp8 && !explicitQuantization) {
                out.put("quantization", "fp8");
              }
              if (!explicitKvCache) {
                out.put("kv-cache-dtype", sglang ? "fp8_e4m3" : "fp8");
              }
            }
            case "int8", "int4" -> {
              // A pre-quantized checkpoint: its config.json names the method; dtype stays auto.
            }
            default -> out.put("dtype", dtype);
          }
        }
        default -> out.put(flag.substring(2), value);
      }
    }
    return new Translation(model, port, out);
  }

  /** Types a YAML value the way a command line reads it. */
  static Object typed(Object value) {
    if (!(value instanceof String s)) {
      return value;
    }
    if (s.equals("true")) {
      return Boolean.TRUE;
    }
    if (s.equals("false")) {
      return Boolean.FALSE;
    }
    if (s.matches("-?[0-9]{1,18}")) {
      return Long.valueOf(s);
    }
    if (s.matches("-?[0-9]+\\.[0-9]+")) {
      return new BigDecimal(s);
    }
    return s;
  }
}
