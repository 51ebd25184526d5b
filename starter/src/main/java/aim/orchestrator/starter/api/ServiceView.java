package aim.orchestrator.starter.api;

import aim.orchestrator.model.AIMArtifactStatus;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.status.ComponentHealth;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * A service's live view: what Kubernetes says (status, conditions, resolved references), what its workflow says
 * (the lifecycle steps of its last pass), the download progress of the artifacts of its template cache, and where
 * it answers.
 *
 * @param namespace the service's namespace
 * @param name its name
 * @param uid its UID
 * @param generation {@code metadata.generation}
 * @param status {@code status.status}: Pending, Starting, Running, Degraded, Failed
 * @param observedGeneration the generation the status describes
 * @param conditions {@code status.conditions}
 * @param resolved the runtime config, model, template and template cache the service resolved to
 * @param lifecycle the workflow's view
 * @param artifacts the artifacts of the service's template cache, with download progress
 * @param endpoint the route path and URL
 * @param omitted parts left out because the caller may not read them (RBAC)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceView(
    String namespace,
    String name,
    String uid,
    Long generation,
    String status,
    Long observedGeneration,
    List<Condition> conditions,
    Resolved resolved,
    Lifecycle lifecycle,
    List<Artifact> artifacts,
    Endpoint endpoint,
    List<String> omitted) {

  /** What the service resolved to, and how its template was chosen. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resolved(
      AIMResolvedReference runtimeConfig,
      AIMResolvedReference model,
      AIMResolvedReference template,
      AIMResolvedReference templateCache,
      AIMServiceStatus.TemplateSelection templateSelection) {}

  /**
   * The workflow's {@code status} query answer.
   *
   * @param workflowId e.g. {@code AIMService/ml-team/qwen3-chat}
   * @param available whether the workflow answered
   * @param unavailableReason why not, when it did not
   * @param phase reconciling, waiting, paused, deleting, gone
   * @param passes reconcile passes in the current run
   * @param status the status the workflow last wrote
   * @param observedGeneration the generation its last pass saw
   * @param steps one entry per lifecycle step (component) of the last pass, in order: state, reason, message
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Lifecycle(
      String workflowId,
      boolean available,
      String unavailableReason,
      String phase,
      Integer passes,
      String status,
      Long observedGeneration,
      List<ComponentHealth> steps) {}

  /** One artifact of the service's template cache. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Artifact(
      String name,
      String model,
      String status,
      String persistentVolumeClaim,
      AIMArtifactStatus.Progress progress,
      AIMArtifactStatus.Download download) {}

  /**
   * Where the service answers.
   *
   * @param path {@code status.routing.path}
   * @param url the gateway base URL ({@code aim.starter.api.gateway-base-url}) plus the path; null when either is
   *     unknown
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Endpoint(String path, String url) {}
}
