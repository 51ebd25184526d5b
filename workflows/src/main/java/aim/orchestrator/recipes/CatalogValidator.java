package aim.orchestrator.recipes;

import aim.orchestrator.recipes.ValidationError.Rule;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a catalog against seed 002's rules (see {@link Rule}). Schema compliance is checked with networknt's JSON
 * Schema validator against the schemas packed with the catalog; the other rules need a file that follows the schema
 * closely enough to be read.
 */
public final class CatalogValidator {
  /** Share of GPU memory the weights may take for {@link Rule#MEMORY_FIT}. */
  public static final double MAX_WEIGHT_SHARE = 0.9;

  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Schema RECIPE_SCHEMA = schema("aim_recipe_schema.json");
  private static final Schema MODEL_SCHEMA = schema("aim_model_schema.json");

  private final EngineFlags flags;

  public CatalogValidator(EngineFlags flags) {
    this.flags = flags;
  }

  /** Every rule over every file, with the built-in engine flag lists. */
  public static List<ValidationError> validate(Catalog catalog) {
    List<ValidationError> out = new ArrayList<>();
    var validator = new CatalogValidator(EngineFlags.builtIn());
    out.addAll(validator.validateModels(catalog));
    out.addAll(validator.validateRecipes(catalog));
    return out;
  }

  // ------------------------------------------------------------------ models

  public List<ValidationError> validateModels(Catalog catalog) {
    List<ValidationError> out = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Catalog.ParsedFile f : catalog.files()) {
      if (f.source().kind() != Catalog.Kind.MODEL) {
        continue;
      }
      String file = f.source().path();
      if (!parsed(f, out) || !schema(MODEL_SCHEMA, f, out)) {
        continue;
      }
      JsonNode n = f.node();
      String modelId = n.path("model_id").asText();
      String hf = n.path("huggingface_id").asText();
      if (!modelId.equals(hf)) {
        out.add(new ValidationError(file, "huggingface_id", Rule.MODEL_ID, "is " + hf + " but model_id is " + modelId + "; they must be equal"));
      }
      String previous = seen.putIfAbsent(modelId.toLowerCase(Locale.ROOT), file);
      if (previous != null) {
        out.add(new ValidationError(file, "model_id", Rule.DUPLICATE_MODEL, modelId + " is already defined in " + previous));
      }
      String image = n.path("aim").path("image").asText();
      String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
      String expected = ModelCard.conventionalRepository(modelId);
      if (!repository.equals(expected)) {
        out.add(new ValidationError(file, "aim.image", Rule.IMAGE_NAME, "repository is " + repository + "; for " + modelId + " it must be " + expected));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ recipes

  public List<ValidationError> validateRecipes(Catalog catalog) {
    List<ValidationError> out = new ArrayList<>();
    Map<String, String> profileOwners = new HashMap<>();
    for (Catalog.ParsedFile f : catalog.files()) {
      if (f.source().kind() != Catalog.Kind.RECIPE) {
        continue;
      }
      String file = f.source().path();
      if (!parsed(f, out)) {
        continue;
      }
      if (!schema(RECIPE_SCHEMA, f, out)) {
        continue; // the other rules would only repeat what the schema says in other words
      }
      String stem = f.source().stem();
      Optional<Recipe> recipe = catalog.recipes().stream().filter(r -> r.file().equals(stem)).findFirst();
      if (recipe.isEmpty()) {
        continue;
      }
      check(catalog, recipe.get(), file, out);
      for (ServingConfig c : recipe.get().configs()) {
        if (!c.enabled()) {
          continue;
        }
        String id = recipe.get().modelId() + " " + Profiles.id(c.engine().id(), recipe.get().hardware(), recipe.get().precision(), c.gpuCount(), c.metric());
        String owner = profileOwners.putIfAbsent(id, file + " " + c.engine().section() + "." + c.key());
        if (owner != null) {
          out.add(new ValidationError(file, c.engine().section() + "." + c.key(), Rule.DUPLICATE_PROFILE,
              "gives profile " + id.substring(id.indexOf(' ') + 1) + " of " + recipe.get().modelId() + ", as " + owner + " does"));
        }
      }
    }
    return out;
  }

  private void check(Catalog catalog, Recipe r, String file, List<ValidationError> out) {
    if (!r.recipeId().equals(r.file())) {
      out.add(new ValidationError(file, "recipe_id", Rule.RECIPE_ID, "is " + r.recipeId() + " but the file is " + r.file() + ".yaml"));
    }
    String suffix = "-" + r.hardware().toLowerCase(Locale.ROOT) + "-" + r.precision();
    if (!r.recipeId().endsWith(suffix)) {
      out.add(new ValidationError(file, "recipe_id", Rule.RECIPE_ID, r.recipeId() + " does not end in " + suffix + " ({model}-{hardware}-{precision})"));
    }
    Optional<ModelCard> model = catalog.models().stream().filter(m -> m.modelId().equals(r.modelId())).findFirst();
    if (model.isEmpty()) {
      out.add(new ValidationError(file, "model_id", Rule.MODEL_EXISTS, r.modelId() + " is not a model of models/"));
    } else {
      ModelCard m = model.get();
      boolean own = m.huggingfaceId().equals(r.huggingfaceId());
      boolean variant = m.variant(r.precision()).map(v -> v.huggingfaceId().equals(r.huggingfaceId())).orElse(false);
      if (!own && !variant) {
        out.add(new ValidationError(file, "huggingface_id", Rule.MODEL_ID,
            r.huggingfaceId() + " is neither " + m.huggingfaceId() + " nor its " + r.precision() + " variant"
                + m.variant(r.precision()).map(v -> " (" + v.huggingfaceId() + ")").orElse("")));
      }
    }
    var gpu = Gpus.find(r.hardware());
    if (gpu.isPresent() && r.precision().equals("fp8") && !gpu.get().fp8()) {
      out.add(new ValidationError(file, "precision", Rule.HARDWARE_PRECISION, r.hardware() + " has no FP8 support"));
    }
    if (r.configs().stream().noneMatch(ServingConfig::enabled)) {
      out.add(new ValidationError(file, "", Rule.SERVING_ENABLED, "no serving configuration is enabled (vllm_serve / sglang_serve)"));
    }
    for (ServingConfig c : r.configs()) {
      String at = c.engine().section() + "." + c.key();
      Object modelArg = c.args().get("--model");
      if (modelArg != null && !String.valueOf(modelArg).equals(r.huggingfaceId())) {
        out.add(new ValidationError(file, at + ".args.--model", Rule.MODEL_ID, "is " + modelArg + " but huggingface_id is " + r.huggingfaceId()));
      }
      checkTensorParallel(c, file, at, out);
      Object dtype = c.args().get("--dtype");
      String expectedDtype = Precisions.genericDtype(r.precision());
      if (dtype != null && expectedDtype != null && !expectedDtype.equals(String.valueOf(dtype))
          && !(r.precision().equals("fp16") && "half".equals(dtype))) {
        out.add(new ValidationError(file, at + ".args.--dtype", Rule.DTYPE, "is " + dtype + " but a " + r.precision() + " recipe uses " + expectedDtype));
      }
      boolean fp8Checkpoint = model.map(m -> m.checkpointIsFp8(r.huggingfaceId())).orElse(false);
      var translation = FlagTranslator.translate(c.engine(), c.args(), fp8Checkpoint);
      for (String flag : translation.args().keySet()) {
        if (!flags.known(c.engine(), "--" + flag)) {
          String written = c.args().containsKey("--" + flag) ? "--" + flag : "--" + flag + " (translated)";
          out.add(new ValidationError(file, at + ".args." + written.split(" ")[0], Rule.ENGINE_FLAG,
              written + " is not a flag of " + c.engine().id() + " " + flags.version(c.engine())));
        }
      }
      if (c.enabled() && gpu.isPresent() && model.isPresent()) {
        double weights = model.get().sizeOf(r.huggingfaceId()).orElse(Recommender.weightsGb(model.get(), r.precision()));
        double budget = MAX_WEIGHT_SHARE * c.gpuCount() * gpu.get().vramGib();
        if (weights > budget) {
          out.add(new ValidationError(file, at, Rule.MEMORY_FIT, String.format(
              "%.1f GiB of weights do not fit in %d × %s (%.1f GiB usable at %.0f%%)", weights, c.gpuCount(), r.hardware(), budget, MAX_WEIGHT_SHARE * 100)));
        }
      }
    }
  }

  private static void checkTensorParallel(ServingConfig c, String file, String at, List<ValidationError> out) {
    List<String> names = c.engine() == Engine.SGLANG ? List.of("--tensor-parallel-size", "--tp-size", "--tp") : List.of("--tensor-parallel-size", "-tp");
    int tp = 1;
    String flag = null;
    for (String name : names) {
      Object v = c.args().get(name);
      if (v != null) {
        flag = name;
        try {
          tp = Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
          out.add(new ValidationError(file, at + ".args." + name, Rule.TENSOR_PARALLEL, "is " + v + ", not a number"));
          return;
        }
      }
    }
    if (tp != c.gpuCount()) {
      out.add(new ValidationError(file, at + (flag == null ? "" : ".args." + flag), Rule.TENSOR_PARALLEL,
          (flag == null ? "tensor parallelism defaults to 1" : "tensor parallelism is " + tp) + " but " + c.key() + " has " + c.gpuCount() + " GPUs"));
    }
  }

  // ------------------------------------------------------------------ yaml and schema

  private static boolean parsed(Catalog.ParsedFile f, List<ValidationError> out) {
    if (f.node() == null) {
      out.add(new ValidationError(f.source().path(), "", Rule.YAML, f.parseError()));
      return false;
    }
    if (!f.node().isObject()) {
      out.add(new ValidationError(f.source().path(), "", Rule.YAML, "the document is not a mapping"));
      return false;
    }
    return true;
  }

  private static boolean schema(Schema schema, Catalog.ParsedFile f, List<ValidationError> out) {
    String json;
    try {
      json = CatalogYaml.JSON.writeValueAsString(f.node());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    boolean ok = true;
    for (com.networknt.schema.Error error : schema.validate(json, InputFormat.JSON)) {
      String field = fieldPath(error.getInstanceLocation());
      if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
        field = field.isEmpty() ? error.getProperty() : field + "." + error.getProperty();
      }
      out.add(new ValidationError(f.source().path(), field, Rule.SCHEMA, message(error)));
      ok = false;
    }
    return ok;
  }

  /** networknt's message without its leading JSON-pointer location (the field already says where). */
  private static String message(com.networknt.schema.Error error) {
    String m = error.getMessage();
    return m.replaceFirst("^\\$[^:]*:\\s*", "");
  }

  private static String fieldPath(NodePath location) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        b.append('[').append(index).append(']');
      } else {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(element);
      }
    }
    return b.toString();
  }

  private static Schema schema(String name) {
    String text = Catalog.readResource(CatalogValidator.class.getClassLoader(), Catalog.CLASSPATH_ROOT + "/" + name);
    return REGISTRY.getSchema(text, InputFormat.JSON);
  }
}
