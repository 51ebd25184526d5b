package aim.orchestrator.worker;

import aim.orchestrator.activities.kube.ApplyMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Worker settings under {@code aim.worker}.
 *
 * <p>The Temporal connection is {@code aim.temporal.*} ({@link aim.orchestrator.temporal.TemporalProperties}).
 *
 * @param kubeconfig path of a kubeconfig; empty means the usual discovery (in-cluster, KUBECONFIG, ~/.kube/config)
 * @param applyMode SERVER_SIDE on a real cluster; CREATE_OR_MERGE_PATCH on the dev API
 * @param workflowTasks concurrent workflow tasks
 * @param kubernetesActivities concurrent Kubernetes activities
 * @param stickyExecution false only against Temporal's Java test server
 * @param kubernetesMaxConcurrentRequests at most this many Kubernetes API requests in flight per worker process
 * @param registry how container registries are reached ({@code aim.worker.registry.*})
 * @param transferActivities concurrent activities on {@code aim-transfers} (each follows a download or verify Job and
 *     mostly sleeps)
 * @param sourceOverrides env values replacing an artifact's own when an activity reaches a model source itself (the
 *     dev mode sets {@code HF_ENDPOINT} and {@code AWS_ENDPOINT_URL} to its local endpoints); empty in production
 */
@ConfigurationProperties("aim.worker")
public record WorkerProperties(
    @DefaultValue("") String kubeconfig,
    @DefaultValue("SERVER_SIDE") ApplyMode applyMode,
    @DefaultValue("50") int workflowTasks,
    @DefaultValue("20") int kubernetesActivities,
    @DefaultValue("true") boolean stickyExecution,
    @DefaultValue("40") int kubernetesMaxConcurrentRequests,
    @DefaultValue Registry registry,
    @DefaultValue("100") int transferActivities,
    java.util.Map<String, String> sourceOverrides) {

  public WorkerProperties {
    sourceOverrides = sourceOverrides == null ? java.util.Map.of() : java.util.Map.copyOf(sourceOverrides);
  }

  /**
   * Registry access under {@code aim.worker.registry}: image labels of AIMModels, listings of AIMClusterModelSources.
   *
   * @param insecure registry hosts ({@code host[:port]}) spoken to over plain HTTP; loopback always is
   * @param mirrors registry host → base URL serving it, e.g. {@code aim.worker.registry.mirrors[docker.io]=http://mirror:5000}
   * @param dockerHubApi base URL of the Docker Hub API (repository listings of wildcard filters)
   * @param githubApi base URL of the GitHub API (container package listings of ghcr.io wildcard filters)
   * @param operatorNamespace where pull secrets of cluster-scoped models and model sources live
   * @param timeout connect and per-request timeout
   */
  public record Registry(
      @DefaultValue java.util.Set<String> insecure,
      @DefaultValue java.util.Map<String, String> mirrors,
      @DefaultValue("https://hub.docker.com") java.net.URI dockerHubApi,
      @DefaultValue("https://api.github.com") java.net.URI githubApi,
      @DefaultValue("aim-system") String operatorNamespace,
      @DefaultValue("10s") java.time.Duration timeout) {

    public aim.orchestrator.activities.registry.RegistrySettings settings() {
      return new aim.orchestrator.activities.registry.RegistrySettings(
          insecure, mirrors, dockerHubApi, githubApi, operatorNamespace, timeout);
    }
  }
}
