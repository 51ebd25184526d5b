package aim.orchestrator.activities.registry;

/**
 * An image reference split the way the registry API needs it.
 *
 * @param registry canonical registry host ({@code docker.io} when the reference names none)
 * @param repository repository path; Docker Hub's official images get their {@code library/} prefix
 * @param reference the digest, else the tag ({@code latest} when the reference has neither)
 */
public record ImageName(String registry, String repository, String reference) {

  /**
   * Parses an image reference: {@code [registry/]path[:tag][@digest]}. The first path segment is a registry when it
   * has a {@code .} or {@code :} or is {@code localhost}.
   *
   * @throws RegistryException (INVALID) when the reference is empty or malformed
   */
  public static ImageName parse(String image) throws RegistryException {
    String s = image == null ? "" : image.trim();
    if (s.isEmpty() || s.contains("://") || s.contains(" ")) {
      throw new RegistryException(RegistryException.Reason.INVALID, "invalid image reference \"" + image + "\"");
    }
    String registry = RegistrySettings.DOCKER_HUB;
    int slash = s.indexOf('/');
    if (slash > 0) {
      String first = s.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = RegistrySettings.host(first);
        s = s.substring(slash + 1);
      }
    }
    String reference = "latest";
    int at = s.indexOf('@');
    String digest = null;
    if (at >= 0) {
      digest = s.substring(at + 1);
      s = s.substring(0, at);
    }
    int colon = s.lastIndexOf(':');
    if (colon > s.lastIndexOf('/')) {
      reference = s.substring(colon + 1);
      s = s.substring(0, colon);
    }
    // A digest pins the image; a tag written before it is only decoration.
    if (digest != null) {
      reference = digest;
    }
    if (s.isEmpty() || reference.isEmpty() || s.startsWith("/") || s.endsWith("/") || s.contains("//")) {
      throw new RegistryException(RegistryException.Reason.INVALID, "invalid image reference \"" + image + "\"");
    }
    if (RegistrySettings.DOCKER_HUB.equals(registry) && !s.contains("/")) {
      s = "library/" + s;
    }
    return new ImageName(registry, s, reference);
  }
}
