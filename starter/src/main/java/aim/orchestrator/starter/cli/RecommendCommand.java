package aim.orchestrator.starter.cli;

import aim.orchestrator.recipes.Catalog;
import aim.orchestrator.recipes.Gpus;
import aim.orchestrator.recipes.ModelCard;
import aim.orchestrator.recipes.Recommender;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code aim recipes recommend}: seed 002's hardware selection guide for one model. */
@Command(name = "recommend", mixinStandardHelpOptions = true, description = {
    "Recommend GPU count and precision for a model.",
    "From seed 002's guide, the model's parameter count, the precision's bytes per parameter and the GPU's memory",
    "(30% kept for the KV cache); names the matching catalog recipe and profile."})
final class RecommendCommand implements Callable<Integer> {
  @ParentCommand RecipesCommand parent;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model id or model file name.")
  String model;

  @Option(names = "--gpu", paramLabel = "GPU", description = "One GPU model (default: every known one).")
  String gpu;

  @Override
  public Integer call() {
    Catalog catalog = parent.catalog();
    CommandLine cl = parent.spec.commandLine();
    ModelCard card = catalog.model(model).orElseThrow(() -> new CommandLine.ParameterException(cl, "--model " + model + " is not in the catalog"));
    if (gpu != null && Gpus.find(gpu).isEmpty()) {
      throw new CommandLine.ParameterException(cl, "--gpu " + gpu + " is not one of " + Gpus.all().stream().map(Gpus.Gpu::model).toList());
    }
    var recommendations = Recommender.recommend(catalog, card, Optional.ofNullable(gpu));
    var out = cl.getOut();
    if (parent.json()) {
      parent.printJson(out, recommendations.stream().map(r -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("size_class", r.sizeClass());
        m.put("gpu", r.gpu());
        m.put("preferred_gpu", r.preferredGpu());
        m.put("fits", r.fits());
        m.put("gpu_count", r.gpuCount());
        m.put("precision", r.precision());
        m.put("weights_gb", r.weightsGb());
        m.put("required_gb", r.requiredGb());
        m.put("available_gb", r.availableGb());
        m.put("recipe_id", r.recipeId().orElse(null));
        m.put("profile_id", r.profileId().orElse(null));
        m.put("note", r.note());
        return m;
      }).toList());
      return 0;
    }
    out.printf("%s: %.3g B parameters, size class %s (seed 002 guide), %.0f%% of GPU memory kept for the KV cache%n",
        card.modelId(), card.parametersB(), Recommender.sizeClass(card.parametersB()), Recommender.KV_HEADROOM * 100);
    String format = "%-8s %-5s %-5s %-10s %-10s %-10s %-36s %s%n";
    out.printf(format, "GPU", "GPUS", "PREC", "WEIGHTS", "NEEDED", "AVAILABLE", "PROFILE", "NOTE");
    for (var r : recommendations) {
      out.printf(format, r.gpu() + (r.preferredGpu() ? "*" : ""), r.fits() ? r.gpuCount() : "-", r.precision(),
          String.format("%.1fG", r.weightsGb()), String.format("%.1fG", r.requiredGb()), String.format("%.0fG", r.availableGb()),
          r.profileId().orElse("-"), r.fits() ? r.note() : "does not fit: " + r.note());
    }
    out.println("* the GPU the seed's table names for this size class");
    return 0;
  }
}
