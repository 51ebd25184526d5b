package aim.orchestrator.starter.cli;

import aim.orchestrator.recipes.Catalog;
import aim.orchestrator.recipes.Recipe;
import aim.orchestrator.recipes.ServingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code aim recipes list}: every recipe with its serving configurations. */
@Command(name = "list", mixinStandardHelpOptions = true, description = {"List the catalog's recipes.",
    "Configurations: N = N GPUs for latency, Nt = for throughput, (N) = disabled, N* = manual selection only."})
final class ListCommand implements Callable<Integer> {
  @ParentCommand RecipesCommand parent;

  @Override
  public Integer call() {
    Catalog catalog = parent.catalog();
    var out = parent.spec.commandLine().getOut();
    if (parent.json()) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (Recipe r : catalog.recipes()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recipe_id", r.recipeId());
        m.put("model_id", r.modelId());
        m.put("huggingface_id", r.huggingfaceId());
        m.put("hardware", r.hardware());
        m.put("precision", r.precision());
        m.put("profiles", catalog.profiles().stream().filter(p -> r.recipeId().equals(p.recipeId()))
            .map(p -> Map.of("profile_id", p.id(), "config", p.metadata().engine() + "_serve." + p.configKey(), "enabled", p.enabled(),
                "manual_selection_only", p.metadata().manualSelectionOnly()))
            .toList());
        list.add(m);
      }
      parent.printJson(out, list);
      return 0;
    }
    String format = "%-38s %-36s %-7s %-5s %s%n";
    out.printf(format, "RECIPE", "MODEL", "GPU", "PREC", "CONFIGURATIONS");
    for (Recipe r : catalog.recipes()) {
      out.printf(format, r.recipeId(), r.modelId(), r.hardware(), r.precision(), configs(r));
    }
    out.printf("%d recipe(s), %d model(s) from %s%n", catalog.recipes().size(), catalog.models().size(), catalog.origin());
    return 0;
  }

  static String configs(Recipe r) {
    StringBuilder b = new StringBuilder();
    for (var engine : aim.orchestrator.recipes.Engine.values()) {
      List<ServingConfig> cs = r.configs(engine);
      if (cs.isEmpty()) {
        continue;
      }
      if (b.length() > 0) {
        b.append("  ");
      }
      b.append(engine.id()).append(": ");
      List<String> items = new ArrayList<>();
      for (ServingConfig c : cs) {
        String s = c.gpuCount() + (c.metric().equals("throughput") ? "t" : "") + (c.manualSelectionOnly() ? "*" : "");
        items.add(c.enabled() ? s : "(" + s + ")");
      }
      b.append(String.join(",", items));
    }
    return b.toString();
  }
}
