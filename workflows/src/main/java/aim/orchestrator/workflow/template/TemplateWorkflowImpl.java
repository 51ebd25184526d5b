package aim.orchestrator.workflow.template;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.StageResult;
import io.temporal.workflow.Workflow;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;

/** See {@link TemplateWorkflow}. */
public class TemplateWorkflowImpl extends ReconcilingWorkflow implements TemplateWorkflow {
  private final aim.orchestrator.activity.TemplateActivities template = ActivityStubs.template();

  @Override
  protected void reconcile(Observation observation) {
    if (!stage("RuntimeConfig", () -> resources.runtimeConfig(ref))) {
      return;
    }
    if (!stage(
        "AIMClusterServiceTemplate".equals(ref.kind()) ? "ClusterModel" : "Model", () -> template.model(ref))) {
      return;
    }
    if (!stage("GPU", () -> template.gpu(ref))) {
      return;
    }
    StageResult[] discovered = new StageResult[1];
    if (!stage(
        "Discovery",
        () -> {
          discovered[0] = template.discovery(ref);
          return discovered[0];
        })) {
      return;
    }
    if (Workflow.getVersion(TEMPLATE_CACHING, Workflow.DEFAULT_VERSION, 1) >= 1
        && "AIMServiceTemplate".equals(ref.kind())
        && hasModelSources(discovered[0])) {
      stage("TemplateCache", () -> template.ensureCache(ref));
    }
    done();
  }

  /**
   * Change ID: a Ready namespaced template with {@code caching.enabled} gets its template cache (docs/workflows.md,
   * change-ID log).
   */
  static final String TEMPLATE_CACHING = "template-caching";

  private static boolean hasModelSources(StageResult discovery) {
    Object sources = discovery.statusFields().get("modelSources");
    return sources instanceof java.util.List<?> list && !list.isEmpty();
  }
}
