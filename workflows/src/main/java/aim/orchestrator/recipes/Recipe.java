package aim.orchestrator.recipes;

import java.util.List;
import java.util.Map;

/**
 * A recipe of the catalog ({@code recipes/<recipe_id>.yaml}): one model on one GPU model in one precision.
 *
 * @param file the file name without {@code .yaml}
 * @param modelId the catalog model it serves (its AIM_ID)
 * @param huggingfaceId the repository it loads (the model's own or a variant)
 * @param type the profile type of its configurations ({@code optimized} unless the file says)
 * @param env environment variables common to all its configurations
 * @param configs every serving configuration, vLLM first, each engine's in file order
 */
public record Recipe(
    String file,
    String recipeId,
    String modelId,
    String huggingfaceId,
    String hardware,
    String precision,
    String type,
    Map<String, String> env,
    List<ServingConfig> configs) {

  public List<ServingConfig> configs(Engine engine) {
    return configs.stream().filter(c -> c.engine() == engine).toList();
  }
}
