package aim.orchestrator.starter.cli;

import aim.orchestrator.recipes.Catalog;
import aim.orchestrator.recipes.Profile;
import aim.orchestrator.recipes.ProfileSelection;
import aim.orchestrator.recipes.ProfileSelector;
import aim.orchestrator.recipes.ServeCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code aim recipes command}: the exact serve command of the profile {@code select} chooses. */
@Command(name = "command", mixinStandardHelpOptions = true, description = {
    "Print the exact serve command of the profile select chooses.",
    "vLLM: python -m vllm.entrypoints.openai.api_server ...; SGLang: python -m sglang.launch_server .... With",
    "--output json also the profile's environment variables. Exit code 1 when nothing is compatible."})
final class ServeCommandCommand implements Callable<Integer> {
  @ParentCommand RecipesCommand parent;
  @Mixin SelectionOptions options;

  @Option(names = "--model-path", paramLabel = "PATH", description = "What to load (default: the Hugging Face id), e.g. /workspace/model-cache/Qwen/Qwen3-32B.")
  String modelPath;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000", description = "Serving port (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() {
    Catalog catalog = parent.catalog();
    ProfileSelection s = ProfileSelector.select(catalog.profiles(), options.query(catalog, parent.spec.commandLine()));
    var out = parent.spec.commandLine().getOut();
    if (s.chosen().isEmpty()) {
      parent.spec.commandLine().getErr().println("no compatible profile; `aim recipes select` with the same options says why");
      return 1;
    }
    Profile p = s.chosen().get();
    List<String> argv = ServeCommand.argv(p, modelPath, port);
    if (parent.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("profile_id", p.id());
      m.put("recipe_id", p.recipeId());
      m.put("argv", argv);
      m.put("command", ServeCommand.shell(argv));
      m.put("env", p.envVars());
      parent.printJson(out, m);
    } else {
      out.println(ServeCommand.shell(argv));
    }
    return 0;
  }
}
