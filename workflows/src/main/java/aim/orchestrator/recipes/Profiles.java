package aim.orchestrator.recipes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Derives AIM profiles from the catalog's recipes: one per serving configuration. */
public final class Profiles {
  private Profiles() {}

  /** The AIM profile id convention: {@code {engine}-{gpu}-{precision}-tp{gpu_count}-{metric}}, lower-case. */
  public static String id(String engine, String gpu, String precision, int gpuCount, String metric) {
    return (engine + "-" + gpu + "-" + precision + "-tp" + gpuCount + "-" + metric).toLowerCase(Locale.ROOT);
  }

  /** Every configuration of every usable recipe, in recipe-file order (vLLM before SGLang within a recipe). */
  public static List<Profile> of(Catalog catalog) {
    List<Profile> out = new ArrayList<>();
    for (Recipe recipe : catalog.recipes()) {
      var model = catalog.model(recipe.modelId());
      for (ServingConfig config : recipe.configs()) {
        out.add(of(recipe, config, model.map(m -> m.checkpointIsFp8(recipe.huggingfaceId())).orElse(false)));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The profile of one configuration. */
  public static Profile of(Recipe recipe, ServingConfig config, boolean checkpointIsFp8) {
    var translation = FlagTranslator.translate(config.engine(), config.args(), checkpointIsFp8);
    Map<String, Object> args = new TreeMap<>(translation.args());
    Map<String, String> env = new TreeMap<>(recipe.env());
    env.putAll(config.env());
    String type = config.type() != null ? config.type() : recipe.type();
    var metadata =
        new Profile.Metadata(
            config.engine().id(),
            recipe.hardware(),
            config.gpuCount(),
            config.manualSelectionOnly(),
            config.metric(),
            recipe.precision(),
            type);
    return new Profile(
        id(config.engine().id(), recipe.hardware(), recipe.precision(), config.gpuCount(), config.metric()),
        recipe.modelId(),
        translation.model() != null ? translation.model() : recipe.huggingfaceId(),
        metadata,
        Collections.unmodifiableMap(args),
        Collections.unmodifiableMap(env),
        config.enabled(),
        recipe.recipeId(),
        config.key());
  }
}
