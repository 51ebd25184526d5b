package aim.orchestrator.recipes;

import aim.orchestrator.model.ImageMetadata;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An AIM image as the dev-mode simulator plays it: its registry labels and the profiles the container carries,
 * so that its {@code dry-run --format json} can be answered without the image ({@code docs/simulated-images.md}).
 *
 * @param image the image reference
 * @param aimId the AIM_ID baked into the image
 * @param labels OCI labels ({@code org.opencontainers.image.*}, {@code com.amd.aim.*}), sorted by key
 * @param profiles the profiles under {@code profiles/<org>/<model>/}, in file order
 * @param modelSizesGb size in GiB of each repository the profiles load (what AIM asks Hugging Face for)
 */
public record SimulatedImage(
    String image, String aimId, Map<String, String> labels, List<Profile> profiles, Map<String, Double> modelSizesGb) {

  private static final List<String> LABEL_PREFIXES = List.of("com.amd.aim.", "org.amd.silogen.");

  public SimulatedImage {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    profiles = List.copyOf(profiles);
    modelSizesGb = java.util.Collections.unmodifiableMap(new TreeMap<>(modelSizesGb));
  }

  /** What {@code dry-run --format json} answers for this environment; {@code []} when nothing is compatible. */
  public List<DryRun.Entry> dryRun(Map<String, String> env) {
    return DryRun.run(profiles, modelSizesGb::get, env, aimId);
  }

  /** The dry-run output as the container prints it. */
  public String dryRunJson(Map<String, String> env) {
    return DryRun.toJson(dryRun(env));
  }

  /**
   * The labels read the way the reference reads registry labels (spec §3): {@code com.amd.aim.} first, then the
   * legacy {@code org.amd.silogen.}; comma lists; {@code recommendedDeployments} as a JSON array, comma-separated
   * objects or Python-style dicts.
   */
  public ImageMetadata imageMetadata() {
    var meta = new ImageMetadata();
    var model = new ImageMetadata.ModelMetadata();
    model.canonicalName = aimLabel("model.canonicalName");
    model.source = aimLabel("model.source");
    model.tags = list(aimLabel("model.tags"));
    model.versions = list(aimLabel("model.versions"));
    model.variants = list(aimLabel("model.variants"));
    String token = aimLabel("hfToken.required");
    model.hfTokenRequired = token == null ? null : Boolean.valueOf(token.trim());
    model.title = aimLabel("title");
    model.descriptionFull = aimLabel("description.full");
    model.releaseNotes = aimLabel("release.notes");
    model.recommendedDeployments = deployments(aimLabel("model.recommendedDeployments"));
    meta.model = model;
    var oci = new ImageMetadata.OciMetadata();
    oci.title = labels.get("org.opencontainers.image.title");
    oci.description = labels.get("org.opencontainers.image.description");
    oci.licenses = labels.get("org.opencontainers.image.licenses");
    oci.vendor = labels.get("org.opencontainers.image.vendor");
    oci.authors = labels.get("org.opencontainers.image.authors");
    oci.source = labels.get("org.opencontainers.image.source");
    oci.documentation = labels.get("org.opencontainers.image.documentation");
    oci.created = labels.get("org.opencontainers.image.created");
    oci.revision = labels.get("org.opencontainers.image.revision");
    oci.version = labels.get("org.opencontainers.image.version");
    meta.oci = oci;
    meta.originalLabels = labels;
    return meta;
  }

  private String aimLabel(String key) {
    for (String prefix : LABEL_PREFIXES) {
      String v = labels.get(prefix + key);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static List<String> list(String commaList) {
    if (commaList == null || commaList.isBlank()) {
      return null;
    }
    return Arrays.stream(commaList.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static List<ImageMetadata.RecommendedDeployment> deployments(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String json = value.trim().replace('\'', '"');
    if (!json.startsWith("[")) {
      json = "[" + json + "]";
    }
    try {
      List<ImageMetadata.RecommendedDeployment> out =
          CatalogYaml.JSON.readValue(json, new TypeReference<List<ImageMetadata.RecommendedDeployment>>() {});
      return new ArrayList<>(out);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("com.amd.aim.model.recommendedDeployments is not a list of deployments: " + value, e);
    }
  }
}
