package aim.orchestrator.recipes;

/**
 * One broken rule in one catalog file.
 *
 * @param file {@code models/x.yaml} or {@code recipes/x.yaml}
 * @param field the field, as a dotted path ({@code vllm_serve.4_gpu.args.--tensor-parallel-size}); empty for the file
 */
public record ValidationError(String file, String field, Rule rule, String message) {

  /** The validation rules; {@link #id} is what messages and docs call them. */
  public enum Rule {
    YAML("yaml", "the file parses as YAML"),
    SCHEMA("schema", "the file follows aim_recipe_schema.json / aim_model_schema.json"),
    RECIPE_ID("recipe-id", "recipe_id equals the file name and follows {model}-{hardware}-{precision}"),
    MODEL_EXISTS("model-exists", "the recipe's model_id is a model of models/"),
    MODEL_ID("model-id", "model_id and huggingface_id agree (model files: equal; recipes: the model's repository or its variant for the precision; every --model equals huggingface_id)"),
    DUPLICATE_MODEL("duplicate-model", "a model_id is defined once"),
    IMAGE_NAME("image-name", "the AIM image is amdenterpriseai/aim-<org>-<model>, lower-case, dots as dashes"),
    SERVING_ENABLED("serving-enabled", "at least one serving configuration is enabled"),
    TENSOR_PARALLEL("tensor-parallel", "tensor parallelism equals the configuration's GPU count (absent means 1)"),
    DTYPE("dtype", "--dtype matches the recipe's precision"),
    HARDWARE_PRECISION("hardware-precision", "the GPU supports the precision (no FP8 on MI250)"),
    ENGINE_FLAG("engine-flag", "every flag the recipe produces is a flag of that engine's version"),
    MEMORY_FIT("memory-fit", "the weights fit in 90% of the configuration's GPU memory"),
    DUPLICATE_PROFILE("duplicate-profile", "no two enabled configurations of one model give the same profile id");

    private final String id;
    private final String description;

    Rule(String id, String description) {
      this.id = id;
      this.description = description;
    }

    public String id() {
      return id;
    }

    public String description() {
      return description;
    }
  }

  @Override
  public String toString() {
    return file + (field.isEmpty() ? "" : ": " + field) + ": [" + rule.id() + "] " + message;
  }
}
