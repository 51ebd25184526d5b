package aim.orchestrator.recipes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The model and recipe catalog of seed 002: {@code models/*.yaml} and {@code recipes/*.yaml}. Loading never fails
 * on a broken file: every file is kept with its parse result, so {@link CatalogValidator} can report it; only
 * files that parse and have the fields the code needs become {@link ModelCard}s and {@link Recipe}s.
 */
public final class Catalog {
  /** Where the built-in catalog lives on the classpath (k8s/catalog is packed there). */
  public static final String CLASSPATH_ROOT = "catalog";

  /** The file listing the built-in catalog's files, one relative path per line; kept current by a test. */
  public static final String INDEX = "catalog-index.txt";

  /** Which folder a file comes from. */
  public enum Kind {
    MODEL,
    RECIPE
  }

  /** One catalog file as read. */
  public record SourceFile(Kind kind, String name, String text) {
    /** The file name without {@code .yaml} / {@code .yml}. */
    public String stem() {
      return name.replaceFirst("\\.ya?ml$", "");
    }

    /** {@code models/x.yaml} or {@code recipes/x.yaml}. */
    public String path() {
      return (kind == Kind.MODEL ? "models/" : "recipes/") + name;
    }
  }

  /** A file and its parse result: {@code node} is null when the YAML does not parse. */
  public record ParsedFile(SourceFile source, JsonNode node, String parseError) {}

  private final String origin;
  private final List<ParsedFile> files;
  private final List<ModelCard> models = new ArrayList<>();
  private final List<Recipe> recipes = new ArrayList<>();

  private Catalog(String origin, List<SourceFile> sources) {
    this.origin = origin;
    List<ParsedFile> parsed = new ArrayList<>();
    for (SourceFile source : sources) {
      parsed.add(parse(source));
    }
    this.files = List.copyOf(parsed);
    for (ParsedFile f : files) {
      if (f.node() == null || !f.node().isObject()) {
        continue;
      }
      try {
        if (f.source().kind() == Kind.MODEL) {
          models.add(toModel(f.source().stem(), f.node()));
        } else {
          recipes.add(toRecipe(f.source().stem(), f.node()));
        }
      } catch (RuntimeException e) {
        // Not usable as data (missing or mistyped fields); the schema check names the problem.
      }
    }
  }

  /** The catalog packed into this jar (k8s/catalog at build time). */
  public static Catalog builtIn() {
    ClassLoader loader = Catalog.class.getClassLoader();
    String index = readResource(loader, CLASSPATH_ROOT + "/" + INDEX);
    List<SourceFile> sources = new ArrayList<>();
    for (String line : index.split("\n")) {
      String path = line.trim();
      if (path.isEmpty() || path.startsWith("#")) {
        continue;
      }
      Kind kind = path.startsWith("models/") ? Kind.MODEL : Kind.RECIPE;
      String name = path.substring(path.indexOf('/') + 1);
      sources.add(new SourceFile(kind, name, readResource(loader, CLASSPATH_ROOT + "/" + path)));
    }
    return new Catalog("built-in catalog (classpath:" + CLASSPATH_ROOT + ")", sources);
  }

  /** A catalog directory with {@code models/} and {@code recipes/} (either may be missing). */
  public static Catalog load(Path dir) {
    return load(dir.resolve("models"), dir.resolve("recipes"), dir.toString());
  }

  /** Models and recipes from two directories; a null or missing directory contributes nothing. */
  public static Catalog load(Path modelsDir, Path recipesDir, String origin) {
    List<SourceFile> sources = new ArrayList<>();
    sources.addAll(readDir(modelsDir, Kind.MODEL));
    sources.addAll(readDir(recipesDir, Kind.RECIPE));
    return new Catalog(origin, sources);
  }

  /** A catalog of in-memory files (tests, single-file validation). */
  public static Catalog of(String origin, List<SourceFile> sources) {
    return new Catalog(origin, sources);
  }

  /** This catalog's models with other recipes: validates recipe files against a known model set. */
  public Catalog withRecipes(List<SourceFile> recipeFiles, String newOrigin) {
    List<SourceFile> sources = new ArrayList<>();
    files.stream().map(ParsedFile::source).filter(s -> s.kind() == Kind.MODEL).forEach(sources::add);
    sources.addAll(recipeFiles);
    return new Catalog(newOrigin, sources);
  }

  /** Reads one file of a directory as a catalog source. */
  public static SourceFile readFile(Path file, Kind kind) {
    try {
      return new SourceFile(kind, file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public String origin() {
    return origin;
  }

  public List<ParsedFile> files() {
    return files;
  }

  public List<ModelCard> models() {
    return Collections.unmodifiableList(models);
  }

  public List<Recipe> recipes() {
    return Collections.unmodifiableList(recipes);
  }

  /** A model by model id, Hugging Face id of itself or a variant (case-insensitive), or file name. */
  public Optional<ModelCard> model(String idOrFile) {
    if (idOrFile == null) {
      return Optional.empty();
    }
    String wanted = idOrFile.trim().toLowerCase(Locale.ROOT);
    for (ModelCard m : models) {
      if (m.modelId().toLowerCase(Locale.ROOT).equals(wanted) || m.file().equals(wanted)) {
        return Optional.of(m);
      }
    }
    for (ModelCard m : models) {
      if (m.huggingfaceId().toLowerCase(Locale.ROOT).equals(wanted)
          || m.variants().stream().anyMatch(v -> v.huggingfaceId().toLowerCase(Locale.ROOT).equals(wanted))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  public Optional<Recipe> recipe(String recipeId) {
    return recipes.stream().filter(r -> r.recipeId().equals(recipeId)).findFirst();
  }

  /** Every serving configuration of every usable recipe as an AIM profile, disabled ones included. */
  public List<Profile> profiles() {
    return Profiles.of(this);
  }

  // ------------------------------------------------------------------ parsing

  private static ParsedFile parse(SourceFile source) {
    try {
      JsonNode node = CatalogYaml.YAML.readTree(source.text());
      if (node == null || node.isMissingNode() || node.isNull()) {
        return new ParsedFile(source, null, "the file is empty");
      }
      return new ParsedFile(source, node, null);
    } catch (IOException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
      return new ParsedFile(source, null, message);
    }
  }

  private static ModelCard toModel(String file, JsonNode n) {
    List<ModelCard.Variant> variants = new ArrayList<>();
    for (JsonNode v : n.path("variants")) {
      variants.add(new ModelCard.Variant(required(v, "precision"), required(v, "huggingface_id"), v.path("size_gb").asDouble()));
    }
    List<String> tags = new ArrayList<>();
    n.path("tags").forEach(t -> tags.add(t.asText()));
    JsonNode aim = n.path("aim");
    return new ModelCard(
        file,
        required(n, "model_id"),
        required(n, "huggingface_id"),
        n.path("name").asText(required(n, "model_id")),
        text(n, "vendor"),
        n.path("parameters_b").asDouble(),
        n.path("native_precision").asText("bf16"),
        n.path("size_gb").asDouble(),
        n.hasNonNull("context_length") ? n.get("context_length").asInt() : null,
        text(n, "license"),
        n.path("gated").asBoolean(false),
        List.copyOf(tags),
        List.copyOf(variants),
        new ModelCard.AimImage(required(aim, "image"), aim.path("title").asText(""), text(aim, "description"), text(aim, "release_notes")));
  }

  private static Recipe toRecipe(String file, JsonNode n) {
    List<ServingConfig> configs = new ArrayList<>();
    for (Engine engine : Engine.values()) {
      JsonNode section = n.path(engine.section());
      var names = section.fieldNames();
      while (names.hasNext()) {
        String key = names.next();
        int[] parsed = ServingConfig.parseKey(key);
        if (parsed == null) {
          continue;
        }
        JsonNode c = section.get(key);
        Map<String, Object> args = new LinkedHashMap<>();
        var argNames = c.path("args").fieldNames();
        while (argNames.hasNext()) {
          String arg = argNames.next();
          args.put(arg, CatalogYaml.JSON.convertValue(c.path("args").get(arg), Object.class));
        }
        configs.add(
            new ServingConfig(
                engine,
                key,
                parsed[0],
                parsed[1] == 1 ? "throughput" : "latency",
                c.path("enabled").asBoolean(false),
                c.path("manual_selection_only").asBoolean(false),
                text(c, "type"),
                strings(c.path("env")),
                Collections.unmodifiableMap(args)));
      }
    }
    return new Recipe(
        file,
        required(n, "recipe_id"),
        required(n, "model_id"),
        required(n, "huggingface_id"),
        required(n, "hardware").toUpperCase(Locale.ROOT),
        required(n, "precision").toLowerCase(Locale.ROOT),
        n.path("type").asText("optimized"),
        strings(n.path("env")),
        List.copyOf(configs));
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    var names = node.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      out.put(k, node.get(k).asText());
    }
    return Collections.unmodifiableMap(out);
  }

  private static String required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isValueNode() || v.isNull()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v.asText();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<SourceFile> readDir(Path dir, Kind kind) {
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml$"))
          .sorted()
          .map(p -> readFile(p, kind))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  static String readResource(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath resource " + name, e);
    }
  }
}
