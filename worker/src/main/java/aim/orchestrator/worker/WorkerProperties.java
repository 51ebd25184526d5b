package aim.orchestrator.worker;

import aim.orchestrator.activities.kube.ApplyMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Worker settings under {@code aim.worker}.
 *
 * @param temporalTarget Temporal frontend, host:port
 * @param temporalNamespace Temporal namespace
 * @param kubeconfig path of a kubeconfig; empty means the usual discovery (in-cluster, KUBECONFIG, ~/.kube/config)
 * @param applyMode SERVER_SIDE on a real cluster; CREATE_OR_MERGE_PATCH on the dev API
 * @param workflowTasks concurrent workflow tasks
 * @param kubernetesActivities concurrent Kubernetes activities
 * @param stickyExecution false only against Temporal's Java test server
 * @param kubernetesMaxConcurrentRequests at most this many Kubernetes API requests in flight per worker process
 * @param transferActivities concurrent activities on {@code aim-transfers} (each follows a download or verify Job and
 *     mostly sleeps)
 * @param sourceOverrides env values replacing an artifact's own when an activity reaches a model source itself (the
 *     dev mode sets {@code HF_ENDPOINT} and {@code AWS_ENDPOINT_URL} to its local endpoints); empty in production
 */
@ConfigurationProperties("aim.worker")
public record WorkerProperties(
    @DefaultValue("127.0.0.1:7233") String temporalTarget,
    @DefaultValue("default") String temporalNamespace,
    @DefaultValue("") String kubeconfig,
    @DefaultValue("SERVER_SIDE") ApplyMode applyMode,
    @DefaultValue("50") int workflowTasks,
    @DefaultValue("20") int kubernetesActivities,
    @DefaultValue("true") boolean stickyExecution,
    @DefaultValue("40") int kubernetesMaxConcurrentRequests,
    @DefaultValue("100") int transferActivities,
    java.util.Map<String, String> sourceOverrides) {

  public WorkerProperties {
    sourceOverrides = sourceOverrides == null ? java.util.Map.of() : java.util.Map.copyOf(sourceOverrides);
  }
}
