package aim.orchestrator.workflow.service;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.ServiceActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.Aim;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;
import io.temporal.workflow.Workflow;

/** See {@link ServiceWorkflow}. Stages are activities; this class only decides their order. */
public class ServiceWorkflowImpl extends ReconcilingWorkflow implements ServiceWorkflow {
  private final ServiceActivities service = ActivityStubs.service();
  private StageResult model;
  private StageResult template;
  private StageResult cache;
  private StageResult isvc;

  @Override
  protected void reconcile(Observation observation) {
    if (!stage("RuntimeConfig", () -> resources.runtimeConfig(ref))) {
      return;
    }
    model = null;
    if (!stage("Model", () -> model = service.resolveModel(ref))) {
      return;
    }
    if (!stage("Template", () -> template = service.resolveTemplate(ref, model.resolved()))) {
      return;
    }
    if (!stage("Cache", () -> cache = service.ensureTemplateCache(ref, template.resolved()))) {
      return;
    }
    if (!stage(
        "InferenceService",
        () -> isvc = service.applyInferenceService(ref, model.resolved(), template.resolved(), cache.resolved()))) {
      return;
    }
    if (!stage("HTTPRoute", () -> service.applyHttpRoute(ref, isvc.output()))) {
      return;
    }
    done();
  }

  @Override
  protected String finalizer() {
    return Aim.FINALIZER_SERVICE;
  }

  /** Reverse order of creation: route, InferenceService, caches not worth keeping, derived templates. */
  @Override
  protected void teardown() {
    service.deleteHttpRoute(ref);
    service.deleteInferenceService(ref);
    service.deleteTemplateCaches(ref);
    if (Workflow.getVersion(DELETE_DERIVED_TEMPLATES, Workflow.DEFAULT_VERSION, 1) >= 1) {
      service.deleteDerivedTemplates(ref);
    }
  }

  /** Change ID: teardown also deletes derived templates (docs/workflows.md, change-ID log). */
  static final String DELETE_DERIVED_TEMPLATES = "delete-derived-templates";
}
