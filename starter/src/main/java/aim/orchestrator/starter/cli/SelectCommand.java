package aim.orchestrator.starter.cli;

import aim.orchestrator.recipes.Catalog;
import aim.orchestrator.recipes.ProfileSelection;
import aim.orchestrator.recipes.ProfileSelector;
import aim.orchestrator.recipes.SelectionReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code aim recipes select}: the AIM container's profile selection over the catalog, with every rejection. */
@Command(name = "select", mixinStandardHelpOptions = true, description = {
    "Select a profile the way the AIM container does, and say why every other one was rejected.",
    "Checks in AIM's order: engine, metric, model, GPU, GPU count, precision; manual-only profiles are dropped; the",
    "compatible ones are ranked by precision, then type. Exit code 1 when nothing is compatible."})
final class SelectCommand implements Callable<Integer> {
  @ParentCommand RecipesCommand parent;
  @Mixin SelectionOptions options;

  @picocli.CommandLine.Option(names = "--all", description = "Also list the rejected profiles of other models (text output; JSON always has them).")
  boolean all;

  @Override
  public Integer call() {
    Catalog catalog = parent.catalog();
    ProfileSelection s = ProfileSelector.select(catalog.profiles(), options.query(catalog, parent.spec.commandLine()));
    var out = parent.spec.commandLine().getOut();
    if (parent.json()) {
      parent.printJson(out, SelectionReport.json(s));
    } else {
      out.print(SelectionReport.text(s, all));
    }
    return s.chosen().isPresent() ? 0 : 1;
  }
}
