package aim.orchestrator.recipes;

import java.util.List;
import java.util.Optional;

/**
 * A model of the catalog ({@code models/<file>.yaml}).
 *
 * @param file the file name without {@code .yaml}
 * @param parametersB parameter count in billions
 * @param sizeGb approximate size of the published weights in GiB
 * @param variants pre-quantized checkpoints that recipes of that precision load instead
 */
public record ModelCard(
    String file,
    String modelId,
    String huggingfaceId,
    String name,
    String vendor,
    double parametersB,
    String nativePrecision,
    double sizeGb,
    Integer contextLength,
    String license,
    boolean gated,
    List<String> tags,
    List<Variant> variants,
    AimImage aim) {

  /** A pre-quantized checkpoint of the model. */
  public record Variant(String precision, String huggingfaceId, double sizeGb) {}

  /** How the model is published as an AIM image. */
  public record AimImage(String image, String title, String description, String releaseNotes) {}

  public Optional<Variant> variant(String precision) {
    return variants.stream().filter(v -> v.precision().equals(precision)).findFirst();
  }

  /** The Hugging Face repository a recipe of this precision loads. */
  public String huggingfaceIdFor(String precision) {
    return variant(precision).map(Variant::huggingfaceId).orElse(huggingfaceId);
  }

  /** Size in GiB of one of the model's repositories (itself or a variant); empty when it is neither. */
  public Optional<Double> sizeOf(String repository) {
    if (huggingfaceId.equals(repository)) {
      return Optional.of(sizeGb);
    }
    return variants.stream().filter(v -> v.huggingfaceId().equals(repository)).map(Variant::sizeGb).findFirst();
  }

  /** Whether the checkpoint loaded for this precision is already stored in FP8. */
  public boolean checkpointIsFp8(String repository) {
    if (huggingfaceId.equals(repository)) {
      return "fp8".equals(nativePrecision);
    }
    return variants.stream().anyMatch(v -> v.huggingfaceId().equals(repository) && "fp8".equals(v.precision()));
  }

  /** The image repository the naming convention gives: {@code amdenterpriseai/aim-<org>-<model>}, lower-cased, dots as dashes. */
  public static String conventionalRepository(String modelId) {
    return "amdenterpriseai/aim-" + modelId.toLowerCase(java.util.Locale.ROOT).replace('/', '-').replace('.', '-');
  }
}
