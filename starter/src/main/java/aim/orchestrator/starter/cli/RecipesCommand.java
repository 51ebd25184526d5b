package aim.orchestrator.starter.cli;

import aim.orchestrator.recipes.Catalog;
import aim.orchestrator.recipes.Engine;
import aim.orchestrator.recipes.EngineFlags;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code aim recipes}: the recipe catalog of seed 002 from the command line. Exit codes: 0 ok, 1 a validation
 * failure (or nothing selected, or a fetch that failed), 2 a usage error.
 */
@Command(
    name = "recipes",
    mixinStandardHelpOptions = true,
    versionProvider = RecipesCommand.Version.class,
    description = "Validate, list and query the AIM recipe catalog.",
    subcommands = {
      ValidateCommand.class,
      ValidateModelsCommand.class,
      ListCommand.class,
      SelectCommand.class,
      ServeCommandCommand.class,
      RecommendCommand.class,
      FetchModelCardsCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:validation failure, nothing selected, or a failed fetch", "2:usage error"})
public final class RecipesCommand implements Runnable {
  /** Where the default catalog is looked for, relative to the working directory. */
  public static final Path REPOSITORY_CATALOG = Path.of("k8s", "catalog");

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--catalog",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Catalog directory (with models/ and recipes/). Default: k8s/catalog when present, else the built-in catalog.")
  Path catalogDir;

  @Option(
      names = "--output",
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "text (default) or json.",
      defaultValue = "text")
  Output output;

  final Context context;

  /** Output formats. */
  public enum Output {
    text,
    json
  }

  /** What the commands need from outside: the environment, the working directory and an HTTP client. */
  public record Context(Map<String, String> env, Path workingDir, HttpClient http) {}

  public RecipesCommand(Context context) {
    this.context = context;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  /** Runs {@code aim recipes <args>} and returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err, Context context) {
    CommandLine cli = new CommandLine(new RecipesCommand(context));
    cli.setCommandName("aim recipes");
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The catalog to work on: --catalog, else k8s/catalog under the working directory, else the built-in one. */
  Catalog catalog() {
    if (catalogDir != null) {
      Path dir = context.workingDir().resolve(catalogDir);
      if (!Files.isDirectory(dir)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--catalog " + catalogDir + " is not a directory");
      }
      return Catalog.load(dir);
    }
    Path local = context.workingDir().resolve(REPOSITORY_CATALOG);
    if (Files.isDirectory(local.resolve("models")) && Files.isDirectory(local.resolve("recipes"))) {
      return Catalog.load(local);
    }
    return Catalog.builtIn();
  }

  boolean json() {
    return output == Output.json;
  }

  void printJson(PrintWriter out, Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code --version}: the build and the engine versions the flag lists describe. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String build = RecipesCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "aim recipes " + (build == null ? "(development build)" : build),
        "engine flags: vLLM " + EngineFlags.VERSIONS.get(Engine.VLLM) + ", SGLang " + EngineFlags.VERSIONS.get(Engine.SGLANG)
      };
    }
  }

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
}
