package aim.orchestrator.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The one condition helper every kind uses: merges desired conditions into the existing list. */
public final class Conditions {
  private Conditions() {}

  /**
   * Merges {@code desired} into {@code existing}. A condition's {@code lastTransitionTime} changes only when its
   * status changes; reason, message and observedGeneration follow the desired values. Conditions marked
   * {@code onlyIfPresent} are written only over an existing condition of the same type. Conditions the engine no
   * longer reports (a component that went away) are dropped, except framework conditions that keep their value.
   *
   * @param now RFC 3339 timestamp to use for transitions
   */
  public static List<Condition> merge(
      List<Condition> existing, List<ConditionSpec> desired, Long observedGeneration, String now) {
    Map<String, Condition> byType = new LinkedHashMap<>();
    if (existing != null) {
      for (Condition c : existing) {
        byType.put(c.getType(), c);
      }
    }
    List<Condition> out = new ArrayList<>();
    for (ConditionSpec spec : desired) {
      Condition old = byType.get(spec.type());
      if (spec.onlyIfPresent() && old == null) {
        continue;
      }
      if (spec.onlyIfPresent() && "True".equals(old.getStatus())) {
        out.add(old);
        continue;
      }
      Condition c = new Condition();
      c.setType(spec.type());
      c.setStatus(spec.status());
      c.setReason(spec.reason());
      c.setMessage(spec.message());
      c.setObservedGeneration(observedGeneration);
      c.setLastTransitionTime(
          old != null && Objects.equals(old.getStatus(), spec.status()) && old.getLastTransitionTime() != null
              ? old.getLastTransitionTime()
              : now);
      out.add(c);
    }
    return out;
  }

  /** True when two condition lists say the same thing (timestamps ignored). */
  public static boolean sameContent(List<Condition> a, List<Condition> b) {
    if (a == null || b == null) {
      return a == b || (a == null ? b.isEmpty() : a.isEmpty());
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Condition x = a.get(i);
      Condition y = b.get(i);
      if (!Objects.equals(x.getType(), y.getType())
          || !Objects.equals(x.getStatus(), y.getStatus())
          || !Objects.equals(x.getReason(), y.getReason())
          || !Objects.equals(x.getMessage(), y.getMessage())
          || !Objects.equals(x.getObservedGeneration(), y.getObservedGeneration())) {
        return false;
      }
    }
    return true;
  }

  /** Finds a condition by type. */
  public static Condition find(List<Condition> conditions, String type) {
    if (conditions != null) {
      for (Condition c : conditions) {
        if (type.equals(c.getType())) {
          return c;
        }
      }
    }
    return null;
  }
}
