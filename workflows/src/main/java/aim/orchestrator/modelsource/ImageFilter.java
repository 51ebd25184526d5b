package aim.orchestrator.modelsource;

/**
 * An AIMClusterModelSource filter's {@code image}, split: an optional registry, a repository pattern ({@code *}
 * matches any run of characters, {@code /} included) and an optional exact tag.
 *
 * <p>Three shapes follow from it: an exact image (tag, no wildcard) needs no registry query; an exact repository
 * (no tag, no wildcard) is a tag listing; a pattern with {@code *} is a repository listing.
 *
 * @param registry the registry named in the filter, or null to use the source's {@code spec.registry}
 * @param repository the repository or repository pattern, Docker Hub library images with {@code library/}
 * @param tag the exact tag, or null
 */
public record ImageFilter(String registry, String repository, String tag) {

  /**
   * Parses a filter's image. The first path segment is a registry when it contains {@code .} or {@code :} or is
   * {@code localhost}; {@code docker.io} and {@code index.docker.io} count as no registry (the source's default).
   * A tag is only recognised on a pattern without {@code *}; a digest ({@code @sha256:…}) is dropped, as the
   * reference keeps no tag for it.
   */
  public static ImageFilter parse(String image) {
    String rest = image.trim();
    String registry = null;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (RegistryImage.DOCKER_HUB.equals(registry) || "index.docker.io".equals(registry)) {
      registry = null;
    }
    String tag = null;
    if (!rest.contains("*")) {
      int at = rest.indexOf('@');
      if (at >= 0) {
        rest = rest.substring(0, at);
      }
      int colon = rest.lastIndexOf(':');
      if (colon > rest.lastIndexOf('/')) {
        tag = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
        if (tag.isEmpty()) {
          tag = null;
        }
      }
      if (registry == null && !rest.contains("/")) {
        rest = "library/" + rest;
      }
    }
    return new ImageFilter(registry, rest, tag);
  }

  public boolean wildcard() {
    return repository.contains("*");
  }

  /** An exact image: found without asking the registry. */
  public boolean exactImage() {
    return tag != null && !wildcard();
  }

  /** The registry this filter queries: its own, else the source's, else Docker Hub. */
  public String registryOr(String sourceRegistry) {
    if (registry != null) {
      return registry;
    }
    return sourceRegistry == null || sourceRegistry.isEmpty() ? RegistryImage.DOCKER_HUB : sourceRegistry;
  }

  /**
   * The fixed leading path segment of a wildcard pattern ({@code amdenterpriseai} for {@code amdenterpriseai/aim-*}),
   * which the Docker Hub and GitHub listing APIs need as namespace or organisation; null when the first segment
   * itself holds a wildcard.
   */
  public String namespace() {
    int slash = repository.indexOf('/');
    String first = slash < 0 ? repository : repository.substring(0, slash);
    return first.isEmpty() || first.contains("*") ? null : first;
  }
}
