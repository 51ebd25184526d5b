package aim.orchestrator.recipes;

import aim.orchestrator.model.ImageMetadata;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The AIM images the dev-mode cluster simulator knows: from descriptor files ({@link #load(Path)}, format in
 * docs/simulated-images.md) or generated from the recipe catalog ({@link #builtIn()}: one image per model, its
 * labels from the model file, its profiles from the model's recipes).
 */
public final class SimulatedImages {
  private final List<SimulatedImage> images;

  private SimulatedImages(List<SimulatedImage> images) {
    this.images = List.copyOf(images);
  }

  /** One image per model of the built-in catalog. */
  public static SimulatedImages builtIn() {
    return fromCatalog(Catalog.builtIn());
  }

  /** One image per catalog model: labels from the model file, every enabled recipe configuration as a profile. */
  public static SimulatedImages fromCatalog(Catalog catalog) {
    List<SimulatedImage> out = new ArrayList<>();
    List<Profile> all = catalog.profiles();
    for (ModelCard model : catalog.models()) {
      List<Profile> profiles = all.stream().filter(p -> p.enabled() && p.aimId().equals(model.modelId())).toList();
      Map<String, Double> sizes = new TreeMap<>();
      sizes.put(model.huggingfaceId(), model.sizeGb());
      model.variants().forEach(v -> sizes.put(v.huggingfaceId(), v.sizeGb()));
      out.add(new SimulatedImage(model.aim().image(), model.modelId(), labels(model, profiles), profiles, sizes));
    }
    return new SimulatedImages(out);
  }

  /** Every {@code *.yaml} descriptor of a directory, in file-name order. */
  public static SimulatedImages load(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<SimulatedImage> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml$")).sorted().toList()) {
        out.add(parse(Files.readString(f, StandardCharsets.UTF_8), f.toString()));
      }
      return new SimulatedImages(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read simulated images from " + dir, e);
    }
  }

  public static SimulatedImages of(List<SimulatedImage> images) {
    return new SimulatedImages(images);
  }

  public List<SimulatedImage> images() {
    return images;
  }

  /** The image with this reference; {@code docker.io/} and {@code index.docker.io/} prefixes are ignored. */
  public Optional<SimulatedImage> find(String image) {
    String wanted = normalize(image);
    return images.stream().filter(i -> normalize(i.image()).equals(wanted)).findFirst();
  }

  /** Dry-run of an image this set knows. */
  public List<DryRun.Entry> dryRun(String image, Map<String, String> env) {
    return find(image).orElseThrow(() -> new IllegalArgumentException("no simulated image " + image)).dryRun(env);
  }

  public String dryRunJson(String image, Map<String, String> env) {
    return DryRun.toJson(dryRun(image, env));
  }

  /** Registry metadata of an image this set knows. */
  public Optional<ImageMetadata> imageMetadata(String image) {
    return find(image).map(SimulatedImage::imageMetadata);
  }

  // ------------------------------------------------------------------ descriptor format

  /** Parses one descriptor; {@code origin} names it in errors. */
  public static SimulatedImage parse(String yaml, String origin) {
    JsonNode n;
    try {
      n = CatalogYaml.YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(origin + ": not YAML: " + e.getMessage(), e);
    }
    String image = need(n, "image", origin);
    String aimId = need(n, "aim_id", origin);
    Map<String, String> labels = new TreeMap<>();
    n.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
    Map<String, Double> sizes = new TreeMap<>();
    n.path("models").fields().forEachRemaining(e -> sizes.put(e.getKey(), e.getValue().asDouble()));
    List<Profile> profiles = new ArrayList<>();
    int i = 0;
    for (JsonNode p : n.path("profiles")) {
      profiles.add(profile(p, aimId, origin + ": profiles[" + i++ + "]"));
    }
    return new SimulatedImage(image, aimId, labels, profiles, sizes);
  }

  /** The descriptor of an image (what {@link #parse} reads back). */
  public static String toYaml(SimulatedImage image) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("image", image.image());
    out.put("aim_id", image.aimId());
    out.put("labels", image.labels());
    out.put("models", image.modelSizesGb());
    List<Map<String, Object>> profiles = new ArrayList<>();
    for (Profile p : image.profiles()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("filename", p.filename());
      m.putAll(p.toAimProfile());
      profiles.add(m);
    }
    out.put("profiles", profiles);
    try {
      return CatalogYaml.YAML.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Profile profile(JsonNode p, String aimId, String where) {
    JsonNode meta = p.path("metadata");
    var metadata =
        new Profile.Metadata(
            need(meta, "engine", where + ".metadata"),
            need(meta, "gpu", where + ".metadata").toUpperCase(Locale.ROOT),
            meta.path("gpu_count").asInt(1),
            meta.path("manual_selection_only").asBoolean(false),
            meta.path("metric").asText("latency"),
            need(meta, "precision", where + ".metadata"),
            meta.path("type").asText("optimized"));
    String filename = p.path("filename").asText(null);
    String id = filename != null
        ? filename.replaceFirst("\\.ya?ml$", "")
        : Profiles.id(metadata.engine(), metadata.gpu(), metadata.precision(), metadata.gpuCount(), metadata.metric());
    String profileAimId = p.path("aim_id").asText(aimId);
    Map<String, Object> args = new TreeMap<>();
    p.path("engine_args").fields().forEachRemaining(e -> args.put(e.getKey(), CatalogYaml.JSON.convertValue(e.getValue(), Object.class)));
    Map<String, String> env = new TreeMap<>();
    p.path("env_vars").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return new Profile(id, profileAimId, p.path("model_id").asText(profileAimId), metadata, args, env, true, null, null);
  }

  // ------------------------------------------------------------------ labels from the catalog

  /** The labels an AIM image of this model carries. */
  static Map<String, String> labels(ModelCard model, List<Profile> profiles) {
    Map<String, String> l = new TreeMap<>();
    String tag = model.aim().image().substring(model.aim().image().lastIndexOf(':') + 1);
    l.put("org.opencontainers.image.title", model.aim().title());
    if (model.aim().description() != null) {
      l.put("org.opencontainers.image.description", model.aim().description());
      l.put("com.amd.aim.description.full", model.aim().description());
    }
    if (model.license() != null) {
      l.put("org.opencontainers.image.licenses", model.license());
    }
    l.put("org.opencontainers.image.vendor", "AMD");
    l.put("org.opencontainers.image.version", tag);
    l.put("com.amd.aim.model.canonicalName", model.modelId());
    l.put("com.amd.aim.model.source", "https://huggingface.co/" + model.huggingfaceId());
    if (!model.tags().isEmpty()) {
      l.put("com.amd.aim.model.tags", String.join(",", model.tags()));
    }
    if (!model.variants().isEmpty()) {
      l.put("com.amd.aim.model.variants", String.join(",", model.variants().stream().map(ModelCard.Variant::huggingfaceId).toList()));
    }
    l.put("com.amd.aim.hfToken.required", String.valueOf(model.gated()));
    l.put("com.amd.aim.title", model.aim().title());
    if (model.aim().releaseNotes() != null) {
      l.put("com.amd.aim.release.notes", model.aim().releaseNotes());
    }
    try {
      l.put("com.amd.aim.model.recommendedDeployments", CatalogYaml.JSON.writeValueAsString(recommendedDeployments(profiles)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return l;
  }

  /**
   * The deployments worth recommending: every auto-selectable vLLM profile (AIM serves with vLLM), ordered by GPU,
   * precision, GPU count and metric.
   */
  public static List<ImageMetadata.RecommendedDeployment> recommendedDeployments(List<Profile> profiles) {
    List<ImageMetadata.RecommendedDeployment> out = new ArrayList<>();
    profiles.stream()
        .filter(p -> p.enabled() && !p.metadata().manualSelectionOnly() && p.metadata().engine().equals(Engine.VLLM.id()))
        .sorted(Comparator.comparing((Profile p) -> p.metadata().gpu())
            .thenComparing(p -> p.metadata().precision())
            .thenComparingInt(p -> p.metadata().gpuCount())
            .thenComparing(p -> p.metadata().metric()))
        .forEach(p -> {
          var d = new ImageMetadata.RecommendedDeployment();
          d.gpuModel = p.metadata().gpu();
          d.gpuCount = p.metadata().gpuCount();
          d.precision = p.metadata().precision();
          d.metric = p.metadata().metric();
          d.profileId = p.id();
          d.description = String.format("vLLM on %dx %s, %s, optimized for %s", p.metadata().gpuCount(), p.metadata().gpu(), p.metadata().precision(), p.metadata().metric());
          out.add(d);
        });
    return out;
  }

  private static String normalize(String image) {
    String s = image == null ? "" : image.trim();
    for (String prefix : List.of("docker.io/", "index.docker.io/")) {
      if (s.startsWith(prefix)) {
        s = s.substring(prefix.length());
      }
    }
    return s;
  }

  private static String need(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": " + field + " is required");
    }
    return v.asText();
  }
}
