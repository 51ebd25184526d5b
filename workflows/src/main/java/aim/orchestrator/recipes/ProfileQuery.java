package aim.orchestrator.recipes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the AIM container selects a profile for (spec §5.2, §5.3).
 *
 * @param aimId the model (AIM_ID)
 * @param gpuModel upper-case GPU model, {@code NONE} when no GPU is known
 * @param gpuCount the GPU count the profile must have
 * @param precision a concrete precision or {@code auto}
 * @param metric {@code latency} or {@code throughput}
 * @param engine the engine id ({@code vllm} by default)
 * @param profileId a profile id that bypasses selection, or null
 * @param warnings what was ignored while reading the environment (invalid values fall back to defaults)
 */
public record ProfileQuery(
    String aimId,
    String gpuModel,
    int gpuCount,
    String precision,
    String metric,
    String engine,
    String profileId,
    List<String> warnings) {

  public ProfileQuery {
    gpuModel = gpuModel == null || gpuModel.isBlank() ? "NONE" : gpuModel.trim().toUpperCase(Locale.ROOT);
    precision = precision == null || precision.isBlank() ? "auto" : precision.trim().toLowerCase(Locale.ROOT);
    metric = metric == null || metric.isBlank() || metric.equalsIgnoreCase("auto") ? "latency" : metric.trim().toLowerCase(Locale.ROOT);
    engine = engine == null || engine.isBlank() ? "vllm" : engine.trim().toLowerCase(Locale.ROOT);
    profileId = profileId == null || profileId.isBlank() ? null : profileId.trim();
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** A query without a profile id. */
  public static ProfileQuery of(String aimId, String gpuModel, int gpuCount, String precision, String metric, String engine) {
    return new ProfileQuery(aimId, gpuModel, gpuCount, precision, metric, engine, null, List.of());
  }

  public ProfileQuery withProfileId(String id) {
    return new ProfileQuery(aimId, gpuModel, gpuCount, precision, metric, engine, id, warnings);
  }

  /**
   * Reads the AIM container's environment: AIM_ID (or AIM_MODEL_ID), AIM_GPU_MODEL, AIM_GPU_COUNT ({@code auto} ⇒
   * 1 when a GPU model is set, since nothing can be detected), AIM_PRECISION, AIM_METRIC, AIM_ENGINE,
   * AIM_PROFILE_ID. Invalid precision or metric values fall back to the default with a warning, as AIM does.
   *
   * @param defaultAimId the image's baked-in AIM_ID, used when the environment has none (may be null)
   * @throws IllegalArgumentException when both AIM_ID and AIM_MODEL_ID are set, or AIM_GPU_COUNT is not a number
   */
  public static ProfileQuery fromEnv(Map<String, String> env, String defaultAimId) {
    List<String> warnings = new ArrayList<>();
    String aimId = blankToNull(env.get("AIM_ID"));
    String modelId = blankToNull(env.get("AIM_MODEL_ID"));
    if (aimId != null && modelId != null) {
      throw new IllegalArgumentException("AIM_ID and AIM_MODEL_ID are both set; set one");
    }
    if (aimId == null) {
      aimId = modelId != null ? modelId : defaultAimId;
    }
    String gpu = blankToNull(env.get("AIM_GPU_MODEL"));
    String countText = blankToNull(env.get("AIM_GPU_COUNT"));
    int count;
    if (countText == null || countText.equalsIgnoreCase("auto")) {
      // No GPU detection here: a named GPU model means one GPU, no GPU model means none.
      count = gpu == null ? 0 : 1;
    } else {
      try {
        count = Integer.parseInt(countText.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("AIM_GPU_COUNT must be a number or auto, not " + countText);
      }
    }
    String precision = blankToNull(env.get("AIM_PRECISION"));
    if (precision != null && !precision.equalsIgnoreCase("auto") && !Precisions.known(precision)) {
      warnings.add("AIM_PRECISION " + precision + " is not a precision; using auto");
      precision = "auto";
    }
    String metric = blankToNull(env.get("AIM_METRIC"));
    if (metric != null && !List.of("latency", "throughput", "auto").contains(metric.toLowerCase(Locale.ROOT))) {
      warnings.add("AIM_METRIC " + metric + " is not latency or throughput; using latency");
      metric = "latency";
    }
    return new ProfileQuery(
        aimId, gpu, count, precision, metric, blankToNull(env.get("AIM_ENGINE")), blankToNull(env.get("AIM_PROFILE_ID")), warnings);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
