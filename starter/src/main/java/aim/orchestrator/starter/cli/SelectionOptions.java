package aim.orchestrator.starter.cli;

import aim.orchestrator.recipes.Catalog;
import aim.orchestrator.recipes.Engine;
import aim.orchestrator.recipes.ModelCard;
import aim.orchestrator.recipes.Precisions;
import aim.orchestrator.recipes.ProfileQuery;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options {@code select} and {@code command} share: what AIM_* would say. */
final class SelectionOptions {
  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model id (Qwen/Qwen3-32B) or model file name (qwen3-32b).")
  String model;

  @Option(names = "--gpu", required = true, paramLabel = "GPU", description = "GPU model: MI250, MI300X, MI325X, MI355X.")
  String gpu;

  @Option(names = "--gpus", paramLabel = "N", defaultValue = "1", description = "GPU count (default: ${DEFAULT-VALUE}).")
  int gpus;

  @Option(names = "--precision", paramLabel = "P", defaultValue = "auto", description = "auto (default) or fp16, bf16, fp8, int8, int4, fp4, fp32.")
  String precision;

  @Option(names = "--metric", paramLabel = "M", defaultValue = "latency", description = "latency (default) or throughput.")
  String metric;

  @Option(names = "--engine", paramLabel = "E", defaultValue = "vllm", description = "vllm (default) or sglang.")
  String engine;

  @Option(names = "--profile-id", paramLabel = "ID", description = "Bypass selection: take this profile, e.g. vllm-mi300x-bf16-tp1-latency.")
  String profileId;

  /** The query, after checking every value (a bad one is a usage error). */
  ProfileQuery query(Catalog catalog, CommandLine cl) {
    ModelCard card = catalog.model(model).orElseThrow(() -> new CommandLine.ParameterException(cl,
        "--model " + model + " is not in the catalog (" + catalog.models().stream().map(ModelCard::file).toList() + ")"));
    if (gpus < 1) {
      throw new CommandLine.ParameterException(cl, "--gpus must be at least 1");
    }
    if (!precision.equalsIgnoreCase("auto") && !Precisions.known(precision)) {
      throw new CommandLine.ParameterException(cl, "--precision " + precision + " is not one of auto, " + String.join(", ", Precisions.ALL));
    }
    if (!List.of("latency", "throughput").contains(metric.toLowerCase(java.util.Locale.ROOT))) {
      throw new CommandLine.ParameterException(cl, "--metric must be latency or throughput");
    }
    if (Engine.byId(engine).isEmpty()) {
      throw new CommandLine.ParameterException(cl, "--engine must be vllm or sglang");
    }
    return new ProfileQuery(card.modelId(), gpu, gpus, precision, metric, engine, profileId, List.of());
  }
}
