package aim.orchestrator.starter.cli;

import aim.orchestrator.recipes.Catalog;
import aim.orchestrator.recipes.CatalogValidator;
import aim.orchestrator.recipes.EngineFlags;
import aim.orchestrator.recipes.ValidationError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code aim recipes validate}: the catalog, one recipe file, or a recipe directory against the catalog's models. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validate recipes against the catalog's rules.",
      "Schema, recipe id = file name, model exists and ids agree, a serving configuration enabled, tensor parallelism =",
      "GPU count, --dtype matches the precision, the GPU supports it, every flag is the engine's, the weights fit.",
      "Without options: the whole catalog, models included; --recipe / --recipes-dir: those recipes against the",
      "catalog's models."
    })
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand RecipesCommand parent;

  @ArgGroup(exclusive = true)
  Source source;

  static final class Source {
    @Option(names = "--recipe", paramLabel = "FILE", description = "One recipe file.")
    Path recipe;

    @Option(names = "--recipes-dir", paramLabel = "DIR", description = "A directory of recipe files.")
    Path recipesDir;
  }

  @Override
  public Integer call() {
    Catalog catalog = parent.catalog();
    List<ValidationError> errors = new ArrayList<>();
    Catalog checked;
    if (source == null) {
      checked = catalog;
      errors.addAll(CatalogValidator.validate(catalog));
    } else {
      List<Catalog.SourceFile> files = new ArrayList<>();
      if (source.recipe != null) {
        Path file = parent.context.workingDir().resolve(source.recipe);
        requireFile(file, Files.isRegularFile(file), "--recipe");
        files.add(Catalog.readFile(file, Catalog.Kind.RECIPE));
        checked = catalog.withRecipes(files, file.toString());
      } else {
        Path dir = parent.context.workingDir().resolve(source.recipesDir);
        requireFile(dir, Files.isDirectory(dir), "--recipes-dir");
        checked = catalog.withRecipes(Catalog.load(null, dir, dir.toString()).files().stream().map(Catalog.ParsedFile::source).toList(), dir.toString());
      }
      errors.addAll(new CatalogValidator(EngineFlags.builtIn()).validateRecipes(checked));
    }
    long recipes = checked.files().stream().filter(f -> f.source().kind() == Catalog.Kind.RECIPE).count();
    long models = source == null ? checked.files().size() - recipes : 0;
    report(parent, errors, models, recipes, checked.origin());
    return errors.isEmpty() ? 0 : 1;
  }

  private void requireFile(Path path, boolean exists, String option) {
    if (!exists) {
      throw new CommandLine.ParameterException(parent.spec.commandLine(), option + " " + path + " does not exist");
    }
  }

  static void report(RecipesCommand parent, List<ValidationError> errors, long models, long recipes, String origin) {
    var out = parent.spec.commandLine().getOut();
    if (parent.json()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("catalog", origin);
      result.put("models", models);
      result.put("recipes", recipes);
      result.put("valid", errors.isEmpty());
      result.put("errors", errors.stream().map(e -> Map.of("file", e.file(), "field", e.field(), "rule", e.rule().id(), "message", e.message())).toList());
      parent.printJson(out, result);
      return;
    }
    errors.forEach(out::println);
    out.printf("%s: %d model file(s), %d recipe file(s), %d error(s)%n", origin, models, recipes, errors.size());
  }
}
