package aim.orchestrator.starter.status;

import java.util.List;

/**
 * Everything the status page and {@code aim status} show about one AIMService: its status and conditions, what it
 * resolved to, the lifecycle steps its workflow reports, and the download progress of its cache's artifacts.
 *
 * @param namespace the service's namespace
 * @param name the service's name
 * @param status the status value ({@code Pending}, {@code Starting}, {@code Running}, {@code Degraded},
 *     {@code Failed}); {@code Pending} before the first status write
 * @param created the service's creation timestamp
 * @param model the resolved model's name, or null
 * @param template the resolved template's name, or null
 * @param cache the template cache as {@code namespace/name}, or null
 * @param endpoint the routing path, or null when the service is not routed
 * @param conditions the service's conditions
 * @param workflow what the service's workflow answered
 * @param timeline the lifecycle steps in the workflow's order
 * @param artifacts the cache's artifacts with their download progress
 */
public record ServiceStatus(
    String namespace,
    String name,
    String status,
    String created,
    String model,
    String template,
    String cache,
    String endpoint,
    List<ConditionView> conditions,
    WorkflowView workflow,
    List<Step> timeline,
    List<ArtifactProgress> artifacts) {

  /** {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  /**
   * One condition of the service.
   *
   * @param lastTransitionTime RFC 3339 time of the last change of {@code status}, or null
   */
  public record ConditionView(String type, String status, String reason, String message, String lastTransitionTime) {}

  /**
   * The answer of the service's workflow to its {@code status} query.
   *
   * @param id the workflow ID, {@code AIMService/<namespace>/<name>}
   * @param state {@code found}, {@code no workflow}, or {@code unavailable}
   * @param phase what the workflow is doing ({@code reconciling}, {@code waiting}, ...), or null
   * @param passes reconcile passes in the current run
   * @param detail why the workflow could not be queried, or null
   */
  public record WorkflowView(String id, String state, String phase, int passes, String detail) {
    public static final String FOUND = "found";
    public static final String MISSING = "no workflow";
    public static final String UNAVAILABLE = "unavailable";

    public boolean found() {
      return FOUND.equals(state);
    }
  }

  /**
   * One lifecycle step: a component of the service as its workflow last saw it.
   *
   * @param component e.g. {@code Model}, {@code Cache}, {@code InferenceService}
   * @param state e.g. {@code Ready}, {@code Progressing}, {@code Failed}
   * @param reason CamelCase reason
   * @param message human-readable detail
   * @param since last transition time of the component's {@code <component>Ready} condition, or null
   */
  public record Step(String component, String state, String reason, String message, String since) {}

  /**
   * An artifact of the service's template cache and its download.
   *
   * @param status the artifact's status value, e.g. {@code Progressing}, {@code Ready}
   * @param totalBytes bytes to download, or null while unknown
   * @param downloadedBytes bytes downloaded so far, or null
   * @param percentage 0 to 100, or null while unknown
   * @param displayPercentage e.g. {@code 42%}, or null
   * @param message the downloader's last message, or null
   */
  public record ArtifactProgress(
      String namespace,
      String name,
      String model,
      String status,
      Long totalBytes,
      Long downloadedBytes,
      Integer percentage,
      String displayPercentage,
      String message) {}
}
