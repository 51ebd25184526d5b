package aim.orchestrator.naming;

/**
 * A container image reference split into the parts the reference uses for generated names.
 *
 * <p>{@code registry}, {@code name} and {@code tag} are sanitised name components (lower case, runs of characters
 * outside {@code [a-z0-9-]} turned into a single {@code -}, runs of {@code -} collapsed, no leading or trailing
 * {@code -}); {@code repository} is the raw repository path without registry, tag or digest.
 *
 * @param registry the registry host, sanitised like the other components, so {@code docker-io} when the reference
 *     names none and {@code localhost-5000} for {@code localhost:5000}
 * @param repository the repository path as written, for example {@code amdenterpriseai/aim-qwen-qwen3-32b}
 * @param name the last path segment of the repository
 * @param tag the tag, the first six characters of the digest for digest references, or {@code latest}
 */
public record ImageReference(String registry, String repository, String name, String tag) {

  private static final String DEFAULT_REGISTRY = "docker.io";
  private static final String DEFAULT_TAG = "latest";
  private static final int DIGEST_PREFIX_LENGTH = 6;

  /**
   * Splits an image reference.
   *
   * <p>The first path segment is the registry when it contains {@code .} or {@code :} or is {@code localhost};
   * otherwise the registry is {@code docker.io} and the whole reference is the repository. The last path segment
   * holds the name and either {@code @algorithm:digest} (the tag becomes the first six characters of the digest; a
   * {@code :tag} written before the {@code @} stays part of the name, as in the reference) or {@code :tag}; without
   * either the tag is {@code latest}.
   *
   * @param image the image reference, for example {@code amdenterpriseai/aim-qwen-qwen3-32b:0.8.5}
   * @return the parts
   * @throws IllegalArgumentException when the reference is null or empty, has an empty tag or a malformed digest, or
   *     when the registry, name or tag is empty after sanitising
   */
  public static ImageReference parse(String image) {
    if (image == null || image.isEmpty()) {
      throw invalid(image, "the reference is empty");
    }
    String registry = DEFAULT_REGISTRY;
    String repository = image;
    int firstSlash = image.indexOf('/');
    if (firstSlash > 0) {
      String first = image.substring(0, firstSlash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        repository = image.substring(firstSlash + 1);
      }
    }

    int lastSlash = repository.lastIndexOf('/');
    String directory = repository.substring(0, lastSlash + 1);
    String lastSegment = repository.substring(lastSlash + 1);
    String name;
    String tag;
    int at = lastSegment.indexOf('@');
    int colon = lastSegment.indexOf(':');
    if (at >= 0) {
      name = lastSegment.substring(0, at);
      String digest = lastSegment.substring(at + 1);
      if (digest.isEmpty()) {
        throw invalid(image, "the digest after '@' is empty");
      }
      int algorithmEnd = digest.indexOf(':');
      if (algorithmEnd < 0) {
        throw invalid(image, "the digest '" + digest + "' has no algorithm prefix such as 'sha256:'");
      }
      String hex = digest.substring(algorithmEnd + 1);
      if (hex.isEmpty()) {
        throw invalid(image, "the digest '" + digest + "' has nothing after the algorithm");
      }
      tag = hex.substring(0, Math.min(DIGEST_PREFIX_LENGTH, hex.length()));
    } else if (colon >= 0) {
      name = lastSegment.substring(0, colon);
      tag = lastSegment.substring(colon + 1);
      if (tag.isEmpty()) {
        throw invalid(image, "the tag after ':' is empty");
      }
    } else {
      name = lastSegment;
      tag = DEFAULT_TAG;
    }

    String cleanRegistry = sanitizeComponent(registry);
    String cleanName = sanitizeComponent(name);
    String cleanTag = sanitizeComponent(tag);
    if (cleanRegistry.isEmpty()) {
      throw invalid(image, "the registry '" + registry + "' is empty after sanitising");
    }
    if (cleanName.isEmpty()) {
      throw invalid(image, "the image name '" + name + "' is empty after sanitising");
    }
    if (cleanTag.isEmpty()) {
      throw invalid(image, "the tag '" + tag + "' is empty after sanitising");
    }
    return new ImageReference(cleanRegistry, directory + name, cleanName, cleanTag);
  }

  /**
   * Sanitises one name component: lower case, every run of characters outside {@code [a-z0-9-]} and every run of
   * {@code -} becomes a single {@code -}, and leading and trailing {@code -} are removed.
   */
  static String sanitizeComponent(String value) {
    String lower = DerivedNames.lowerCase(value);
    StringBuilder out = new StringBuilder(lower.length());
    lower
        .codePoints()
        .forEach(
            c -> {
              boolean valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
              if (valid) {
                out.append((char) c);
              } else if (out.length() == 0 || out.charAt(out.length() - 1) != '-') {
                out.append('-');
              }
            });
    return DerivedNames.trim(out.toString(), "-");
  }

  private static IllegalArgumentException invalid(String image, String reason) {
    return new IllegalArgumentException("invalid image reference \"" + image + "\": " + reason);
  }
}
