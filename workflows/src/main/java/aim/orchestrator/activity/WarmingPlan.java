package aim.orchestrator.activity;

import java.util.List;

/**
 * What cache warming found and made before verifying: the selected templates, their caches, and the artifacts to
 * look at. References only (names, UIDs, statuses), never specs.
 *
 * @param templates the templates selected, {@code <Kind>/<name>}, with a note when one was skipped
 * @param caches what was done per template cache
 * @param artifacts the artifacts of those caches
 */
public record WarmingPlan(List<String> templates, List<CacheAction> caches, List<ArtifactItem> artifacts) {
  /**
   * One template cache.
   *
   * @param template {@code <Kind>/<name>} of the template
   * @param cache the cache's name
   * @param action {@code created} or {@code existing}
   */
  public record CacheAction(String template, String cache, String action) {}

  /**
   * One artifact.
   *
   * @param name the AIMArtifact's name
   * @param uid its UID
   * @param status its {@code status.status}
   */
  public record ArtifactItem(String name, String uid, String status) {}
}
