package aim.orchestrator.metadata;

import aim.orchestrator.model.ImageMetadata;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an AIM image's labels into {@link ImageMetadata}, accepting every form the reference accepts (spec §3.3).
 *
 * <p>Model labels are read under {@code com.amd.aim.} first, then under the legacy prefix {@code org.amd.silogen.};
 * an empty value counts as absent. {@code model.tags}, {@code model.versions} and {@code model.variants} are comma
 * lists; {@code hfToken.required} is a boolean in Go's {@code strconv.ParseBool} spellings (others are ignored, as in
 * the reference). {@code model.recommendedDeployments} may be a JSON array, JSON objects separated by commas, or the
 * same written as Python literals (single-quoted strings, {@code True}/{@code False}/{@code None}), which is how AIM
 * images in the wild carry it. The {@code org.opencontainers.image.*} labels fill {@code oci}, and every label is kept
 * in {@code originalLabels}.
 *
 * <p>Pure and deterministic.
 */
public final class ImageLabels {
  public static final String PREFIX = "com.amd.aim.";
  public static final String LEGACY_PREFIX = "org.amd.silogen.";
  public static final String OCI_PREFIX = "org.opencontainers.image.";
  public static final String RECOMMENDED_DEPLOYMENTS = "model.recommendedDeployments";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.ALLOW_TRAILING_COMMA)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();

  private ImageLabels() {}

  /**
   * Parses an image's labels.
   *
   * @param labels the labels of the image config; null is treated as none
   * @return the metadata; {@code model} and {@code oci} are always present, their fields only when labelled
   * @throws InvalidImageLabelsException when {@code model.recommendedDeployments} is present but cannot be read
   */
  public static ImageMetadata parse(Map<String, String> labels) {
    Map<String, String> all = labels == null ? Map.of() : labels;
    ImageMetadata metadata = new ImageMetadata();
    metadata.model = model(all);
    metadata.oci = oci(all);
    metadata.originalLabels = new TreeMap<>(all);
    return metadata;
  }

  private static ImageMetadata.ModelMetadata model(Map<String, String> labels) {
    ImageMetadata.ModelMetadata model = new ImageMetadata.ModelMetadata();
    model.canonicalName = aim(labels, "model.canonicalName");
    model.source = aim(labels, "model.source");
    model.title = aim(labels, "title");
    model.descriptionFull = aim(labels, "description.full");
    model.releaseNotes = aim(labels, "release.notes");
    model.tags = commaList(aim(labels, "model.tags"));
    model.versions = commaList(aim(labels, "model.versions"));
    model.variants = commaList(aim(labels, "model.variants"));
    model.hfTokenRequired = goBool(aim(labels, "hfToken.required"));
    String deployments = aim(labels, RECOMMENDED_DEPLOYMENTS);
    if (deployments != null) {
      String key = nonEmpty(labels.get(PREFIX + RECOMMENDED_DEPLOYMENTS)) != null ? PREFIX : LEGACY_PREFIX;
      model.recommendedDeployments = recommendedDeployments(key + RECOMMENDED_DEPLOYMENTS, deployments);
    }
    return model;
  }

  private static ImageMetadata.OciMetadata oci(Map<String, String> labels) {
    ImageMetadata.OciMetadata oci = new ImageMetadata.OciMetadata();
    oci.title = nonEmpty(labels.get(OCI_PREFIX + "title"));
    oci.description = nonEmpty(labels.get(OCI_PREFIX + "description"));
    oci.licenses = nonEmpty(labels.get(OCI_PREFIX + "licenses"));
    oci.vendor = nonEmpty(labels.get(OCI_PREFIX + "vendor"));
    oci.authors = nonEmpty(labels.get(OCI_PREFIX + "authors"));
    oci.source = nonEmpty(labels.get(OCI_PREFIX + "source"));
    oci.documentation = nonEmpty(labels.get(OCI_PREFIX + "documentation"));
    oci.created = nonEmpty(labels.get(OCI_PREFIX + "created"));
    oci.revision = nonEmpty(labels.get(OCI_PREFIX + "revision"));
    oci.version = nonEmpty(labels.get(OCI_PREFIX + "version"));
    return oci;
  }

  /** The value of an AIM label under the current prefix, else under the legacy one; null when neither is set. */
  static String aim(Map<String, String> labels, String suffix) {
    String current = nonEmpty(labels.get(PREFIX + suffix));
    return current != null ? current : nonEmpty(labels.get(LEGACY_PREFIX + suffix));
  }

  /**
   * Reads a recommended-deployments value in any accepted form.
   *
   * @param label the label key, for the error message
   * @param value the raw label value
   * @return the deployments, possibly empty
   * @throws InvalidImageLabelsException when the value is not one of the accepted forms
   */
  public static List<ImageMetadata.RecommendedDeployment> recommendedDeployments(String label, String value) {
    String json;
    try {
      json = PythonLiterals.toJson(value.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidImageLabelsException(label, e.getMessage(), e);
    }
    if (!json.startsWith("[")) {
      json = "[" + json + "]";
    }
    try {
      List<ImageMetadata.RecommendedDeployment> parsed = JSON.readValue(json, new TypeReference<>() {});
      if (parsed.contains(null)) {
        throw new InvalidImageLabelsException(label, "an entry is null, expected an object", null);
      }
      return parsed;
    } catch (JsonProcessingException e) {
      throw new InvalidImageLabelsException(
          label, "expected a JSON array of objects, objects separated by commas, or Python dicts: " + e.getOriginalMessage(), e);
    }
  }

  private static List<String> commaList(String value) {
    if (value == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String trimmed = part.trim();
      if (!trimmed.isEmpty()) {
        out.add(trimmed);
      }
    }
    return out;
  }

  /** Go's {@code strconv.ParseBool}; anything else is ignored (null), as the reference ignores the parse error. */
  private static Boolean goBool(String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
      case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
      default -> null;
    };
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
