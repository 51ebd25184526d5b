package aim.orchestrator.recipes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AIM runtime profile (spec §5.3): what the AIM container selects and runs. Profiles come from the catalog's
 * serving configurations ({@link Profiles}) or from a simulated image's descriptor.
 *
 * @param id {@code {engine}-{gpu}-{precision}-tp{gpu_count}-{metric}}, lower-case; the profile file's stem
 * @param aimId the model (AIM_ID) the profile belongs to
 * @param modelId the repository actually loaded (may be a quantized variant)
 * @param engineArgs engine flags without dashes, sorted by name as in AIM's profile files
 * @param envVars container environment, sorted by name
 * @param enabled false for a recipe configuration with {@code enabled: false}
 * @param recipeId the recipe it comes from, or null
 * @param configKey the configuration key in that recipe, or null
 */
public record Profile(
    String id,
    String aimId,
    String modelId,
    Metadata metadata,
    Map<String, Object> engineArgs,
    Map<String, String> envVars,
    boolean enabled,
    String recipeId,
    String configKey) {

  /** The profile's {@code metadata} block. */
  public record Metadata(
      String engine, String gpu, int gpuCount, boolean manualSelectionOnly, String metric, String precision, String type) {}

  public String filename() {
    return id + ".yaml";
  }

  /** Where the profile comes from, for messages: {@code recipe qwen3-32b-mi300x-bf16 vllm_serve."1_gpu"}. */
  public String origin() {
    return recipeId == null ? filename() : recipeId + " " + metadata.engine() + "_serve.\"" + configKey + "\"";
  }

  /** The profile as AIM's profile YAML holds it (and its dry-run prints it): keys in AIM's order. */
  public Map<String, Object> toAimProfile() {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("engine", metadata.engine());
    meta.put("gpu", metadata.gpu());
    meta.put("gpu_count", metadata.gpuCount());
    meta.put("manual_selection_only", metadata.manualSelectionOnly());
    meta.put("metric", metadata.metric());
    meta.put("precision", metadata.precision());
    meta.put("type", metadata.type());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("aim_id", aimId);
    out.put("model_id", modelId);
    out.put("metadata", meta);
    out.put("engine_args", engineArgs);
    out.put("env_vars", envVars);
    return out;
  }
}
