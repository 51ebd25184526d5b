package aim.orchestrator.workflow;

import aim.orchestrator.workflow.artifact.ArtifactWorkflow;
import aim.orchestrator.workflow.artifact.ArtifactWorkflowImpl;
import aim.orchestrator.workflow.cache.TemplateCacheWorkflow;
import aim.orchestrator.workflow.cache.TemplateCacheWorkflowImpl;
import aim.orchestrator.workflow.model.ModelWorkflow;
import aim.orchestrator.workflow.model.ModelWorkflowImpl;
import aim.orchestrator.workflow.modelsource.ModelSourceWorkflow;
import aim.orchestrator.workflow.modelsource.ModelSourceWorkflowImpl;
import aim.orchestrator.workflow.service.ServiceWorkflow;
import aim.orchestrator.workflow.service.ServiceWorkflowImpl;
import aim.orchestrator.workflow.template.TemplateWorkflow;
import aim.orchestrator.workflow.template.TemplateWorkflowImpl;
import java.util.List;

/**
 * Which workflow runs which AIM kind (runtime configs have no workflow), and every workflow implementation —
 * including CacheWarmingWorkflow, which belongs to no kind.
 */
public final class Workflows {
  /** Workflow implementation classes, for worker registration. */
  public static final List<Class<?>> IMPLEMENTATIONS =
      List.of(
          ServiceWorkflowImpl.class,
          ModelWorkflowImpl.class,
          TemplateWorkflowImpl.class,
          TemplateCacheWorkflowImpl.class,
          ArtifactWorkflowImpl.class,
          ModelSourceWorkflowImpl.class,
          aim.orchestrator.workflow.warming.CacheWarmingWorkflowImpl.class);

  private Workflows() {}

  /** The workflow interface for a kind, or null when the kind has no workflow. */
  public static Class<?> forKind(String kind) {
    return switch (kind) {
      case "AIMService" -> ServiceWorkflow.class;
      case "AIMModel", "AIMClusterModel" -> ModelWorkflow.class;
      case "AIMServiceTemplate", "AIMClusterServiceTemplate" -> TemplateWorkflow.class;
      case "AIMTemplateCache" -> TemplateCacheWorkflow.class;
      case "AIMArtifact" -> ArtifactWorkflow.class;
      case "AIMClusterModelSource" -> ModelSourceWorkflow.class;
      default -> null;
    };
  }
}
