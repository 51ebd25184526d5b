package aim.orchestrator.modelsource;

/**
 * One image a model source found: registry host, repository path and tag.
 *
 * @param registry the registry host, {@code docker.io} for Docker Hub
 * @param repository the repository path without registry, e.g. {@code amdenterpriseai/aim-qwen-qwen3-32b}
 * @param tag the tag
 */
public record RegistryImage(String registry, String repository, String tag) {
  public static final String DOCKER_HUB = "docker.io";

  /** The image reference the created AIMClusterModel carries: Docker Hub images without a registry prefix. */
  public String uri() {
    if (registry == null || registry.isEmpty() || DOCKER_HUB.equals(registry)) {
      return repository + ":" + tag;
    }
    return registry + "/" + repository + ":" + tag;
  }
}
