package aim.orchestrator.recipes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AIM container's profile selection (spec §5.3, {@code profile_selector.py}) over a list of profiles. A
 * profile id in the query bypasses every other check (a {@code manual_selection_only} profile included). Otherwise
 * each profile is classified in AIM's order — engine, metric ({@code auto} ⇒ latency), model, GPU model, GPU
 * count, precision (unless {@code auto}) — then manual-only profiles are dropped and the compatible ones sorted by
 * precision rank ({@code int4 < int8 < fp4 < fp8 < fp16 < bf16 < fp32}) and type rank
 * ({@code optimized < preview < unoptimized}); the first wins. Ties keep the input order (AIM's search-path order).
 */
public final class ProfileSelector {
  private static final Map<String, Integer> TYPE_RANK = Map.of("optimized", 1, "preview", 2, "unoptimized", 3, "general", 4);

  private ProfileSelector() {}

  public static ProfileSelection select(List<Profile> profiles, ProfileQuery query) {
    List<Rejection> rejected = new ArrayList<>();
    List<Profile> candidates = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Profile p : profiles) {
      if (!p.enabled()) {
        rejected.add(new Rejection(p, Rejection.Reason.DISABLED, "enabled: false in the recipe"));
        continue;
      }
      // AIM: the first occurrence of a profile id wins; ids are per model (each image holds one model's profiles).
      if (!seen.add(p.aimId() + "\n" + p.id())) {
        rejected.add(new Rejection(p, Rejection.Reason.DUPLICATE_PROFILE_ID, "an earlier profile of " + p.aimId() + " has id " + p.id()));
        continue;
      }
      candidates.add(p);
    }

    if (query.profileId() != null) {
      Profile chosen = null;
      for (Profile p : candidates) {
        if (!p.id().equals(query.profileId())) {
          rejected.add(new Rejection(p, Rejection.Reason.PROFILE_ID_MISMATCH, "id " + p.id() + ", requested " + query.profileId()));
        } else if (!modelMatches(p, query)) {
          rejected.add(new Rejection(p, Rejection.Reason.MODEL_MISMATCH, "model " + p.aimId() + ", requested " + query.aimId()));
        } else if (chosen == null) {
          chosen = p;
        }
      }
      return new ProfileSelection(query, Optional.ofNullable(chosen), rejected);
    }

    List<Profile> compatible = new ArrayList<>();
    for (Profile p : candidates) {
      Rejection r = classify(p, query);
      if (r != null) {
        rejected.add(r);
      } else if (p.metadata().manualSelectionOnly()) {
        rejected.add(new Rejection(p, Rejection.Reason.MANUAL_SELECTION_ONLY, "selected only by AIM_PROFILE_ID=" + p.id()));
      } else {
        compatible.add(p);
      }
    }
    compatible.sort(
        Comparator.comparingInt((Profile p) -> Precisions.aimRank(p.metadata().precision()))
            .thenComparingInt(p -> TYPE_RANK.getOrDefault(p.metadata().type(), 9)));
    if (compatible.isEmpty()) {
      return new ProfileSelection(query, Optional.empty(), rejected);
    }
    Profile winner = compatible.get(0);
    for (Profile p : compatible.subList(1, compatible.size())) {
      rejected.add(
          new Rejection(
              p,
              Rejection.Reason.OUTRANKED,
              String.format(
                  "compatible, ranked after %s (precision %s vs %s, type %s vs %s)",
                  winner.id(),
                  p.metadata().precision(),
                  winner.metadata().precision(),
                  p.metadata().type(),
                  winner.metadata().type())));
    }
    return new ProfileSelection(query, Optional.of(winner), rejected);
  }

  /** The first check a profile fails, or null when it is compatible. */
  private static Rejection classify(Profile p, ProfileQuery q) {
    var m = p.metadata();
    if (!m.engine().equals(q.engine())) {
      return new Rejection(p, Rejection.Reason.ENGINE_MISMATCH, "engine " + m.engine() + ", requested " + q.engine());
    }
    if (!m.metric().equals(q.metric())) {
      return new Rejection(p, Rejection.Reason.METRIC_MISMATCH, "metric " + m.metric() + ", requested " + q.metric());
    }
    if (!modelMatches(p, q)) {
      return new Rejection(p, Rejection.Reason.MODEL_MISMATCH, "model " + p.aimId() + ", requested " + q.aimId());
    }
    if (!m.gpu().equalsIgnoreCase(q.gpuModel())) {
      return new Rejection(p, Rejection.Reason.GPU_MISMATCH, "gpu " + m.gpu() + ", requested " + q.gpuModel());
    }
    if (m.gpuCount() != q.gpuCount()) {
      return new Rejection(p, Rejection.Reason.GPU_COUNT_MISMATCH, m.gpuCount() + " GPUs, requested " + q.gpuCount());
    }
    if (!q.precision().equals("auto") && !m.precision().equals(q.precision())) {
      return new Rejection(p, Rejection.Reason.PRECISION_MISMATCH, "precision " + m.precision() + ", requested " + q.precision());
    }
    return null;
  }

  private static boolean modelMatches(Profile p, ProfileQuery q) {
    return q.aimId() != null && p.aimId() != null && p.aimId().equalsIgnoreCase(q.aimId());
  }
}
