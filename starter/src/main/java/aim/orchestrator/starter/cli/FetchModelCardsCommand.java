package aim.orchestrator.starter.cli;

import aim.orchestrator.recipes.Catalog;
import aim.orchestrator.recipes.ModelCard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code aim recipes fetch-model-cards}: parameter count, licence and gating from Hugging Face. */
@Command(name = "fetch-model-cards", mixinStandardHelpOptions = true, description = {
    "Fetch parameter count, licence and gating of every model from Hugging Face.",
    "GET {endpoint}/api/models/{id}; HF_TOKEN is sent as a bearer token when set. With --models-dir the model files",
    "there are updated in place; without it the catalog's models are only compared and printed. Exit code 1 when a",
    "model could not be fetched."})
final class FetchModelCardsCommand implements Callable<Integer> {
  @ParentCommand RecipesCommand parent;

  @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "https://huggingface.co", description = "Hugging Face endpoint (default: ${DEFAULT-VALUE}).")
  String endpoint;

  @Option(names = "--models-dir", paramLabel = "DIR", description = "Model files to update.")
  Path modelsDir;

  @Override
  public Integer call() throws InterruptedException {
    CommandLine cl = parent.spec.commandLine();
    Catalog catalog;
    Path dir = null;
    if (modelsDir != null) {
      dir = parent.context.workingDir().resolve(modelsDir);
      if (!Files.isDirectory(dir)) {
        throw new CommandLine.ParameterException(cl, "--models-dir " + modelsDir + " is not a directory");
      }
      catalog = Catalog.load(dir, null, dir.toString());
    } else {
      catalog = parent.catalog();
    }
    var cards = new HuggingFaceModelCards(parent.context.http(), endpoint, parent.context.env().get("HF_TOKEN"));
    List<Map<String, Object>> results = new ArrayList<>();
    int failures = 0;
    for (ModelCard model : catalog.models()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("model", model.modelId());
      r.put("file", "models/" + model.file() + ".yaml");
      try {
        var card = cards.fetch(model.huggingfaceId());
        r.put("parameters_b", card.parametersB());
        r.put("license", card.license());
        r.put("gated", card.gated());
        boolean changed = (card.parametersB() != null && card.parametersB().doubleValue() != model.parametersB())
            || (card.license() != null && !card.license().equals(model.license()))
            || card.gated() != model.gated();
        r.put("changed", changed);
        if (dir != null && changed) {
          update(dir.resolve(model.file() + ".yaml"), card);
        }
        r.put("updated", dir != null && changed);
      } catch (HuggingFaceModelCards.FetchException e) {
        r.put("error", e.getMessage());
        failures++;
      }
      results.add(r);
    }
    var out = cl.getOut();
    if (parent.json()) {
      parent.printJson(out, results);
    } else {
      String format = "%-36s %-10s %-14s %-6s %s%n";
      out.printf(format, "MODEL", "PARAMS(B)", "LICENSE", "GATED", "STATUS");
      for (var r : results) {
        if (r.containsKey("error")) {
          out.printf(format, r.get("model"), "-", "-", "-", "error: " + r.get("error"));
        } else {
          String status = Boolean.TRUE.equals(r.get("updated")) ? "updated " + r.get("file") : Boolean.TRUE.equals(r.get("changed")) ? "differs from the catalog" : "unchanged";
          out.printf(format, r.get("model"), r.get("parameters_b") == null ? "?" : r.get("parameters_b"), r.get("license"), r.get("gated"), status);
        }
      }
    }
    return failures == 0 ? 0 : 1;
  }

  private static void update(Path file, HuggingFaceModelCards.Card card) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (card.parametersB() != null) {
        text = HuggingFaceModelCards.setField(text, "parameters_b", card.parametersB().toPlainString());
      }
      if (card.license() != null) {
        text = HuggingFaceModelCards.setField(text, "license", card.license());
      }
      text = HuggingFaceModelCards.setField(text, "gated", String.valueOf(card.gated()));
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update " + file, e);
    }
  }
}
