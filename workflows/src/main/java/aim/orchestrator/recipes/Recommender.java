package aim.orchestrator.recipes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Seed 002's hardware selection guide as a calculation. The model's size class picks the precisions to try
 * (&lt;7B: fp16, bf16; 7–32B: bf16, fp16; 32–70B: bf16, fp8; &gt;70B: fp8, int8). For each precision the GPU
 * supports, the GPU count is the smallest power of two (tensor parallelism, at most 8) whose memory holds the
 * weights with {@link #KV_HEADROOM} left for the KV cache and activations. The first precision that fits and has a
 * catalog recipe wins; without such a recipe, the first that fits.
 */
public final class Recommender {
  /** Share of GPU memory kept free of weights (KV cache, activations, graphs). */
  public static final double KV_HEADROOM = 0.30;

  private static final int[] GPU_COUNTS = {1, 2, 4, 8};

  /**
   * One GPU model's recommendation.
   *
   * @param sizeClass the seed's row: {@code <7B}, {@code 7B-32B}, {@code 32B-70B}, {@code >70B}
   * @param preferredGpu whether the seed's table names this GPU for the size class
   * @param fits false when no precision fits on 8 GPUs (then count and precision are those of the last try)
   * @param weightsGb the weights in GiB at that precision
   * @param requiredGb weights plus headroom
   * @param availableGb memory of {@code gpuCount} GPUs
   * @param recipeId the catalog recipe for model, GPU and precision, if any
   * @param profileId the recipe's profile for that GPU count (vLLM, latency preferred), if any
   */
  public record Recommendation(
      String model,
      String sizeClass,
      String gpu,
      boolean preferredGpu,
      boolean fits,
      int gpuCount,
      String precision,
      double weightsGb,
      double requiredGb,
      double availableGb,
      Optional<String> recipeId,
      Optional<String> profileId,
      String note) {}

  private Recommender() {}

  /** Recommendations for one GPU model, or for every known GPU model when {@code gpu} is empty. */
  public static List<Recommendation> recommend(Catalog catalog, ModelCard model, Optional<String> gpu) {
    List<Gpus.Gpu> gpus;
    if (gpu.isPresent()) {
      gpus = List.of(Gpus.find(gpu.get()).orElseThrow(() -> new IllegalArgumentException("unknown GPU " + gpu.get() + "; known: " + Gpus.all().stream().map(Gpus.Gpu::model).toList())));
    } else {
      gpus = Gpus.all();
    }
    List<Recommendation> out = new ArrayList<>();
    for (Gpus.Gpu g : gpus) {
      out.add(recommend(catalog, model, g));
    }
    return out;
  }

  /** The seed's size class of a parameter count (billions). */
  public static String sizeClass(double parametersB) {
    if (parametersB < 7.5) {
      return "<7B";
    }
    if (parametersB < 34) {
      return "7B-32B";
    }
    if (parametersB < 75) {
      return "32B-70B";
    }
    return ">70B";
  }

  static List<String> precisionsFor(String sizeClass) {
    return switch (sizeClass) {
      case "<7B" -> List.of("fp16", "bf16");
      case "7B-32B" -> List.of("bf16", "fp16");
      case "32B-70B" -> List.of("bf16", "fp8");
      default -> List.of("fp8", "int8");
    };
  }

  static boolean preferred(String sizeClass, String gpu) {
    return switch (sizeClass) {
      case "<7B" -> gpu.equals("MI250");
      case "7B-32B" -> gpu.equals("MI250") || gpu.equals("MI300X");
      default -> gpu.equals("MI300X");
    };
  }

  /** Weights in GiB: the published size when the catalog has the checkpoint, else parameters × bytes. */
  static double weightsGb(ModelCard model, String precision) {
    if (precision.equals(model.nativePrecision())) {
      return model.sizeGb();
    }
    var variant = model.variant(precision);
    if (variant.isPresent()) {
      return variant.get().sizeGb();
    }
    return model.parametersB() * 1e9 * Precisions.bytes(precision) / (1024.0 * 1024 * 1024);
  }

  private static Recommendation recommend(Catalog catalog, ModelCard model, Gpus.Gpu gpu) {
    String sizeClass = sizeClass(model.parametersB());
    Recommendation first = null;
    Recommendation last = null;
    for (String precision : precisionsFor(sizeClass)) {
      if (precision.equals("fp8") && !gpu.fp8()) {
        continue;
      }
      double weights = weightsGb(model, precision);
      double required = weights / (1 - KV_HEADROOM);
      Recommendation fit = null;
      for (int count : GPU_COUNTS) {
        double available = (double) count * gpu.vramGib();
        if (available >= required) {
          fit = withRecipe(catalog, model, sizeClass, gpu, count, precision, weights, required, available);
          break;
        }
      }
      if (fit != null && fit.recipeId().isPresent()) {
        return fit; // the guide allows several precisions: take the first the catalog has a recipe for
      }
      if (fit != null && first == null) {
        first = fit;
      }
      if (fit == null) {
        last = new Recommendation(model.modelId(), sizeClass, gpu.model(), preferred(sizeClass, gpu.model()), false, 8, precision,
            round(weights), round(required), 8.0 * gpu.vramGib(), Optional.empty(), Optional.empty(),
            String.format("%s weights need %.0f GiB with headroom; 8 × %s have %d GiB", precision, required, gpu.model(), 8 * gpu.vramGib()));
      }
    }
    if (first != null) {
      return first;
    }
    if (last == null) {
      last = new Recommendation(model.modelId(), sizeClass, gpu.model(), false, false, 0, "-", 0, 0, 0, Optional.empty(), Optional.empty(),
          gpu.model() + " supports none of the precisions the guide names for " + sizeClass + " models");
    }
    return last;
  }

  private static Recommendation withRecipe(
      Catalog catalog, ModelCard model, String sizeClass, Gpus.Gpu gpu, int count, String precision, double weights, double required, double available) {
    Optional<Recipe> recipe =
        catalog.recipes().stream()
            .filter(r -> r.modelId().equalsIgnoreCase(model.modelId()) && r.hardware().equals(gpu.model()) && r.precision().equals(precision))
            .findFirst();
    Optional<String> profileId = Optional.empty();
    String note;
    if (recipe.isEmpty()) {
      note = "no catalog recipe for " + model.file() + " on " + gpu.model() + " in " + precision;
    } else {
      // The recipe's enabled, auto-selectable configuration closest above the computed count; vLLM and latency first.
      Optional<ServingConfig> config =
          recipe.get().configs().stream()
              .filter(c -> c.enabled() && !c.manualSelectionOnly() && c.gpuCount() >= count)
              .min(Comparator.comparingInt(ServingConfig::gpuCount)
                  .thenComparing(c -> c.engine() == Engine.VLLM ? 0 : 1)
                  .thenComparing(c -> c.metric().equals("latency") ? 0 : 1));
      if (config.isPresent()) {
        profileId = Optional.of(Profiles.id(config.get().engine().id(), gpu.model(), precision, config.get().gpuCount(), config.get().metric()));
        note = config.get().gpuCount() == count
            ? "recipe " + recipe.get().recipeId() + " has this configuration"
            : "recipe " + recipe.get().recipeId() + " starts at " + config.get().gpuCount() + " GPUs";
      } else {
        note = "recipe " + recipe.get().recipeId() + " has no enabled configuration with " + count + " or more GPUs";
      }
    }
    return new Recommendation(model.modelId(), sizeClass, gpu.model(), preferred(sizeClass, gpu.model()), true, count, precision,
        round(weights), round(required), available, recipe.map(Recipe::recipeId), profileId, note);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
