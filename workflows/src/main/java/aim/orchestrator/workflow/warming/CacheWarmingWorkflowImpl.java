package aim.orchestrator.workflow.warming;

import aim.orchestrator.activity.ArtifactVerification;
import aim.orchestrator.activity.TransferActivities;
import aim.orchestrator.activity.WarmingActivities;
import aim.orchestrator.activity.WarmingPlan;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ResourceRef;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** See {@link CacheWarmingWorkflow}. */
public class CacheWarmingWorkflowImpl implements CacheWarmingWorkflow {
  /** Verify Jobs at once: each reads a whole model from its PVC. */
  static final int PARALLEL_VERIFICATIONS = 4;

  private final Logger log = Workflow.getLogger(CacheWarmingWorkflowImpl.class);
  private final WarmingActivities warming = ActivityStubs.warming();
  private final TransferActivities verifier = ActivityStubs.verification();

  private CacheWarmingRequest request;
  private WarmingPlan plan = new WarmingPlan(List.of(), List.of(), List.of());
  private final List<ArtifactVerification> results = new ArrayList<>();

  @Override
  public CacheWarmingReport warm(CacheWarmingRequest request) {
    this.request = request;
    plan = warming.ensureCaches(request);
    List<WarmingPlan.ArtifactItem> ready = new ArrayList<>();
    for (WarmingPlan.ArtifactItem a : plan.artifacts()) {
      if ("Ready".equals(a.status())) {
        ready.add(a);
      } else {
        results.add(ArtifactVerification.notReady(a.name(), a.status() == null ? "Pending" : a.status()));
      }
    }
    for (int i = 0; i < ready.size(); i += PARALLEL_VERIFICATIONS) {
      List<WarmingPlan.ArtifactItem> batch = ready.subList(i, Math.min(ready.size(), i + PARALLEL_VERIFICATIONS));
      List<Promise<ArtifactVerification>> running = new ArrayList<>();
      for (WarmingPlan.ArtifactItem a : batch) {
        ResourceRef ref = new ResourceRef("AIMArtifact", request.namespace(), a.name(), a.uid());
        running.add(Async.function(verifier::verifyArtifact, ref));
      }
      for (int j = 0; j < batch.size(); j++) {
        try {
          results.add(running.get(j).get());
        } catch (ActivityFailure failure) {
          String message = failure.getCause() == null ? failure.getMessage() : failure.getCause().getMessage();
          results.add(new ArtifactVerification(batch.get(j).name(), "failed", "InfrastructureError", 0, 0, 0, message));
        }
      }
    }
    CacheWarmingReport report = progress();
    log.info("cache warming of {} ({}): {}", request.namespace(), request.labelSelector(), report.summary());
    return report;
  }

  @Override
  public CacheWarmingReport progress() {
    if (request == null) {
      return new CacheWarmingReport(null, null, List.of(), List.of(), List.of(), "starting");
    }
    return new CacheWarmingReport(
        request.namespace(), request.labelSelector(), plan.templates(), plan.caches(), List.copyOf(results), summary());
  }

  private String summary() {
    long created = plan.caches().stream().filter(c -> "created".equals(c.action())).count();
    return plan.templates().size() + " templates, " + plan.caches().size() + " caches (" + created + " created), "
        + plan.artifacts().size() + " artifacts: " + count("verified") + " verified, " + count("repaired") + " repaired, "
        + count("failed") + " failed, " + count("not-ready") + " not ready"
        + (results.size() < plan.artifacts().size() ? " (" + (plan.artifacts().size() - results.size()) + " to go)" : "");
  }

  private long count(String outcome) {
    return results.stream().filter(r -> outcome.equals(r.outcome())).count();
  }
}
