package aim.orchestrator.recipes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A selection as text (for people) or as a JSON-ready map (for scripts); the CLI prints these. */
public final class SelectionReport {
  private SelectionReport() {}

  /** The query, the chosen profile and one line per rejected profile with its reason. */
  public static String text(ProfileSelection s) {
    return text(s, true);
  }

  /**
   * Like {@link #text(ProfileSelection)}; with {@code otherModels} false, profiles of other models are counted
   * instead of listed.
   */
  public static String text(ProfileSelection s, boolean otherModels) {
    ProfileQuery q = s.query();
    StringBuilder b = new StringBuilder();
    b.append(String.format("query: model=%s gpu=%s gpus=%d precision=%s metric=%s engine=%s%s%n",
        q.aimId(), q.gpuModel(), q.gpuCount(), q.precision(), q.metric(), q.engine(), q.profileId() == null ? "" : " profile-id=" + q.profileId()));
    q.warnings().forEach(w -> b.append("warning: ").append(w).append('\n'));
    if (s.chosen().isPresent()) {
      Profile p = s.chosen().get();
      b.append("chosen: ").append(p.id()).append(" (").append(p.origin()).append(")\n");
    } else {
      b.append("chosen: none (no compatible profile)\n");
    }
    b.append("rejected: ").append(s.rejected().size()).append('\n');
    int hidden = 0;
    for (Rejection r : s.rejected()) {
      if (!otherModels && (q.aimId() == null || !q.aimId().equalsIgnoreCase(r.profile().aimId()))) {
        hidden++;
        continue;
      }
      b.append("  ").append(r.profile().aimId()).append(' ').append(r.profile().id()).append(" (").append(r.profile().origin()).append("): ")
          .append(r.reason().label()).append(" - ").append(r.detail()).append('\n');
    }
    if (hidden > 0) {
      b.append("  ... and ").append(hidden).append(" profile(s) of other models\n");
    }
    return b.toString();
  }

  public static Map<String, Object> json(ProfileSelection s) {
    ProfileQuery q = s.query();
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("model", q.aimId());
    query.put("gpu", q.gpuModel());
    query.put("gpus", q.gpuCount());
    query.put("precision", q.precision());
    query.put("metric", q.metric());
    query.put("engine", q.engine());
    query.put("profile_id", q.profileId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("query", query);
    out.put("warnings", q.warnings());
    out.put("chosen", s.chosen().map(SelectionReport::profile).orElse(null));
    List<Map<String, Object>> rejected = new ArrayList<>();
    for (Rejection r : s.rejected()) {
      Map<String, Object> m = profile(r.profile());
      m.put("reason", r.reason().label());
      m.put("detail", r.detail());
      rejected.add(m);
    }
    out.put("rejected", rejected);
    return out;
  }

  static Map<String, Object> profile(Profile p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("profile_id", p.id());
    m.put("model", p.aimId());
    m.put("recipe_id", p.recipeId());
    m.put("config", p.configKey() == null ? null : p.metadata().engine() + "_serve." + p.configKey());
    return m;
  }
}
