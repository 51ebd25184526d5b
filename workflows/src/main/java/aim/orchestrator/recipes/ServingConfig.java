package aim.orchestrator.recipes;

import java.util.Map;

/**
 * One serving configuration of a recipe: {@code vllm_serve."4_gpu"} and the like.
 *
 * @param key the configuration's key in the recipe ({@code 4_gpu}, {@code 4_gpu_throughput})
 * @param gpuCount from the key
 * @param metric {@code throughput} for {@code _throughput} keys, else {@code latency}
 * @param type the profile type, or null to use the recipe's
 * @param args the engine arguments as written (generic names allowed), in file order
 */
public record ServingConfig(
    Engine engine,
    String key,
    int gpuCount,
    String metric,
    boolean enabled,
    boolean manualSelectionOnly,
    String type,
    Map<String, String> env,
    Map<String, Object> args) {

  /** Parses {@code N_gpu} / {@code N_gpu_throughput}; null when the key has another shape. */
  static int[] parseKey(String key) {
    var m = java.util.regex.Pattern.compile("^([0-9]+)_gpu(_throughput)?$").matcher(key);
    if (!m.matches()) {
      return null;
    }
    return new int[] {Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : 1};
  }
}
