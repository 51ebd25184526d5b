package aim.orchestrator.starter.cli;

import aim.orchestrator.recipes.Catalog;
import aim.orchestrator.recipes.CatalogValidator;
import aim.orchestrator.recipes.EngineFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code aim recipes validate-models}: model files (schema, ids, image name, duplicates). */
@Command(name = "validate-models", mixinStandardHelpOptions = true, description = {"Validate model files.", "Schema, model_id = huggingface_id, image name, no duplicate model ids."})
final class ValidateModelsCommand implements Callable<Integer> {
  @ParentCommand RecipesCommand parent;

  @Option(names = "--models-dir", paramLabel = "DIR", description = "A directory of model files (default: the catalog's).")
  Path modelsDir;

  @Override
  public Integer call() {
    Catalog catalog;
    if (modelsDir != null) {
      Path dir = parent.context.workingDir().resolve(modelsDir);
      if (!Files.isDirectory(dir)) {
        throw new CommandLine.ParameterException(parent.spec.commandLine(), "--models-dir " + modelsDir + " is not a directory");
      }
      catalog = Catalog.load(dir, null, dir.toString());
    } else {
      catalog = parent.catalog();
    }
    var errors = new CatalogValidator(EngineFlags.builtIn()).validateModels(catalog);
    long models = catalog.files().stream().filter(f -> f.source().kind() == Catalog.Kind.MODEL).count();
    ValidateCommand.report(parent, errors, models, 0, catalog.origin());
    return errors.isEmpty() ? 0 : 1;
  }
}
