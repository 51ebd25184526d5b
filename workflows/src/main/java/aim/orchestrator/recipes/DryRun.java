package aim.orchestrator.recipes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code dry-run --format json} of an AIM container prints (spec §5.4): a list with the selected profile, or
 * {@code []} when no profile is compatible. It runs {@link ProfileSelector} over the given profiles, so it answers
 * exactly as {@code aim recipes select} does.
 */
public final class DryRun {
  /** One element of the output list. */
  public record Entry(String filename, Map<String, Object> profile, List<ModelRef> models) {
    /** The element as JSON-ready map, keys in AIM's order. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("filename", filename);
      m.put("profile", profile);
      List<Map<String, Object>> list = new ArrayList<>();
      for (ModelRef r : models) {
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("name", r.name());
        mm.put("source", r.source());
        mm.put("size_gb", r.sizeGb());
        list.add(mm);
      }
      m.put("models", list);
      return m;
    }
  }

  /** A model the profile loads: {@code hf://<name>}, size in GiB rounded to 2 places, or null when unknown. */
  public record ModelRef(String name, String source, BigDecimal sizeGb) {}

  private static final DefaultPrettyPrinter PYTHON_INDENT_2 =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private DryRun() {}

  /** Dry-run over the catalog's profiles; sizes come from the catalog's models. */
  public static List<Entry> run(Catalog catalog, Map<String, String> env) {
    return run(catalog.profiles(), repo -> sizeIn(catalog, repo), env, null);
  }

  /**
   * Dry-run over any profiles.
   *
   * @param sizesGb the size in GiB of a repository, or null when unknown
   * @param defaultAimId the AIM_ID baked into the image (null for none)
   */
  public static List<Entry> run(List<Profile> profiles, Function<String, Double> sizesGb, Map<String, String> env, String defaultAimId) {
    ProfileQuery query = ProfileQuery.fromEnv(env, defaultAimId);
    ProfileSelection selection = ProfileSelector.select(profiles, query);
    if (selection.chosen().isEmpty()) {
      return List.of();
    }
    Profile p = selection.chosen().get();
    Double size = sizesGb.apply(p.modelId());
    BigDecimal rounded = size == null ? null : BigDecimal.valueOf(size).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros();
    if (rounded != null && rounded.scale() < 1) {
      rounded = rounded.setScale(1); // Python prints a float: 61.0, never 61
    }
    return List.of(new Entry(p.filename(), p.toAimProfile(), List.of(new ModelRef(p.modelId(), "hf://" + p.modelId(), rounded))));
  }

  /** The JSON the container prints: Python's {@code json.dumps(..., indent=2)} layout. */
  public static String toJson(List<Entry> entries) {
    List<Map<String, Object>> list = entries.stream().map(Entry::toMap).toList();
    try {
      return CatalogYaml.JSON.writer(PYTHON_INDENT_2).writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Double sizeIn(Catalog catalog, String repository) {
    for (ModelCard m : catalog.models()) {
      var size = m.sizeOf(repository);
      if (size.isPresent()) {
        return size.get();
      }
    }
    return null;
  }
}
