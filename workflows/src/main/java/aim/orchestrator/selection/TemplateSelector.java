package aim.orchestrator.selection;

import aim.orchestrator.hardware.GpuInventory;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.selection.Selection.CandidateResult;
import aim.orchestrator.selection.Selection.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Template auto-selection exactly as the reference (spec §3.5): availability → optimization → overrides → GPU in
 * the cluster → namespace over cluster scope → scoring by profile type, then GPU tier, then metric, then precision.
 * Pure; unlike the reference, every candidate's fate is reported so status can explain the choice.
 */
public final class TemplateSelector {
  static final List<String> TYPE_ORDER = List.of("optimized", "preview", "unoptimized");
  static final List<String> GPU_ORDER = List.of("MI325X", "MI300X", "MI250X", "MI210");
  static final List<String> METRIC_ORDER = List.of("latency", "throughput");
  static final List<String> PRECISION_ORDER = List.of("fp4", "int4", "fp8", "int8", "fp16", "bf16", "fp32");

  private TemplateSelector() {}

  public static Selection select(SelectionRequest req) {
    List<CandidateResult> results = new ArrayList<>();
    List<TemplateCandidate> pool = new ArrayList<>(req.candidates());
    pool.sort(Comparator.comparing(TemplateCandidate::name).thenComparing(c -> c.scope().name()));
    if (pool.isEmpty()) {
      return new Selection(null, null, Outcome.NoCandidates, "No template found for model " + req.model(), results);
    }

    // 1. Availability
    List<TemplateCandidate> next = new ArrayList<>();
    for (TemplateCandidate c : pool) {
      if (c.status() == ResourceStatusValue.Ready) {
        next.add(c);
      } else {
        results.add(reject(c, "Availability", "Template" + (c.status() == null ? "NotReady" : c.status().name())));
      }
    }
    if (next.isEmpty()) {
      return new Selection(
          null,
          null,
          Outcome.TemplatesExistButNotReady,
          pool.size() + " template(s) exist for model " + req.model() + " but none is Ready",
          results);
    }
    pool = next;

    // 2. Optimization (preview is filtered too, as in the reference)
    if (!req.allowUnoptimized()) {
      next = new ArrayList<>();
      for (TemplateCandidate c : pool) {
        if ("optimized".equals(type(c))) {
          next.add(c);
        } else {
          results.add(reject(c, "Optimization", "Unoptimized"));
        }
      }
      if (next.isEmpty()) {
        return new Selection(
            null,
            null,
            Outcome.UnoptimizedFiltered,
            "No template found for service: " + pool.size() + " unoptimized template(s) filtered out. Set allowUnoptimized to use them.",
            results);
      }
      pool = next;
    }

    // 3. Overrides
    if (req.hasOverrides()) {
      next = new ArrayList<>();
      for (TemplateCandidate c : pool) {
        String mismatch = overrideMismatch(req, c);
        if (mismatch == null) {
          next.add(c);
        } else {
          results.add(reject(c, "Overrides", mismatch));
        }
      }
      if (next.isEmpty()) {
        return new Selection(null, null, Outcome.ServiceOverridesNotMatched, "No template matches the service's overrides", results);
      }
      pool = next;
    }

    // 4. GPU present in the cluster
    next = new ArrayList<>();
    for (TemplateCandidate c : pool) {
      if (c.gpuModel() == null || c.gpuModel().isEmpty() || containsGpu(req, c.gpuModel())) {
        next.add(c);
      } else {
        results.add(reject(c, "GPU", "RequiredGPUNotInCluster"));
      }
    }
    if (next.isEmpty()) {
      return new Selection(
          null, null, Outcome.RequiredGPUNotInCluster, "No template's GPU is present in the cluster " + req.clusterGpuModels(), results);
    }
    pool = next;

    // 5. Namespace scope wins over cluster scope
    if (pool.stream().anyMatch(c -> c.scope() == AIMScope.Namespace)) {
      next = new ArrayList<>();
      for (TemplateCandidate c : pool) {
        if (c.scope() == AIMScope.Namespace) {
          next.add(c);
        } else {
          results.add(reject(c, "Scope", "NamespaceTemplatePreferred"));
        }
      }
      pool = next;
    }

    // 6. Scoring
    Comparator<TemplateCandidate> byScore =
        Comparator.<TemplateCandidate>comparingInt(c -> rank(TYPE_ORDER, type(c)))
            .thenComparingInt(c -> rank(GPU_ORDER, GpuInventory.normalize(c.gpuModel())))
            .thenComparingInt(c -> rank(METRIC_ORDER, lower(c.metric())))
            .thenComparingInt(c -> rank(PRECISION_ORDER, lower(c.precision())));
    TemplateCandidate best = pool.stream().min(byScore).orElseThrow();
    List<TemplateCandidate> tied = pool.stream().filter(c -> byScore.compare(c, best) == 0).toList();
    for (TemplateCandidate c : pool) {
      if (tied.contains(c)) {
        continue;
      }
      results.add(new CandidateResult(c.name(), c.scope(), "Scoring", "Outscored", "Outscored by " + best.name()));
    }
    if (tied.size() > 1) {
      for (TemplateCandidate c : tied) {
        results.add(new CandidateResult(c.name(), c.scope(), "Scoring", "Tied", "TemplateSelectionAmbiguous"));
      }
      return new Selection(
          null,
          null,
          Outcome.TemplateSelectionAmbiguous,
          "Multiple templates (" + tied.size() + ") satisfy model " + req.model() + ": "
              + String.join(", ", tied.stream().map(TemplateCandidate::name).toList()),
          results);
    }
    results.add(new CandidateResult(best.name(), best.scope(), "Scoring", "Selected", "BestScore"));
    return new Selection(best.name(), best.scope(), Outcome.Selected, explain(best, pool.size()), results);
  }

  private static String explain(TemplateCandidate c, int eligible) {
    return "Selected " + c.name() + " (" + type(c) + ", " + (c.gpuModel() == null ? "CPU" : c.gpuModel()) + ", "
        + (c.metric() == null ? "any metric" : c.metric()) + ", " + (c.precision() == null ? "any precision" : c.precision())
        + ") from " + eligible + " eligible template(s)";
  }

  private static String overrideMismatch(SelectionRequest req, TemplateCandidate c) {
    if (req.metric() != null && !req.metric().equalsIgnoreCase(String.valueOf(c.metric()))) {
      return "MetricMismatch";
    }
    if (req.precision() != null && !req.precision().equalsIgnoreCase(String.valueOf(c.precision()))) {
      return "PrecisionMismatch";
    }
    if (req.gpuModel() != null
        && c.gpuModel() != null
        && !c.gpuModel().isEmpty()
        && !GpuInventory.normalize(req.gpuModel()).equals(GpuInventory.normalize(c.gpuModel()))) {
      return "GPUModelMismatch";
    }
    if (req.gpuCount() != null && req.gpuCount() > 0 && c.gpuCount() != null && !req.gpuCount().equals(c.gpuCount())) {
      return "GPUCountMismatch";
    }
    return null;
  }

  private static boolean containsGpu(SelectionRequest req, String model) {
    String m = GpuInventory.normalize(model);
    return req.clusterGpuModels().stream().anyMatch(g -> GpuInventory.normalize(g).equals(m));
  }

  private static String type(TemplateCandidate c) {
    return c.type() == null ? "unoptimized" : c.type().toLowerCase(Locale.ROOT);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static int rank(List<String> order, String value) {
    int i = value == null ? -1 : order.indexOf(value);
    return i < 0 ? order.size() + 1000 : i;
  }

  private static CandidateResult reject(TemplateCandidate c, String stage, String reason) {
    return new CandidateResult(c.name(), c.scope(), stage, "Rejected", reason);
  }
}
