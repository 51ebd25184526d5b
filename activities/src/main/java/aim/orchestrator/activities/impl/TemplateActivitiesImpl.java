package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.TemplateActivities;
import aim.orchestrator.hardware.GpuInventory;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSource;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AIMServiceTemplate and AIMClusterServiceTemplate stages. */
public class TemplateActivitiesImpl implements TemplateActivities {
  private final Kube kube;

  public TemplateActivitiesImpl(Kube kube) {
    this.kube = kube;
  }

  @Override
  public StageResult model(ResourceRef ref) {
    boolean cluster = "AIMClusterServiceTemplate".equals(ref.kind());
    String component = cluster ? "ClusterModel" : "Model";
    return Kube.stage(
        component,
        DependencyType.UPSTREAM,
        () -> {
          AIMServiceTemplateSpecCommon spec = spec(kube.current(ref, HasMetadata.class));
          HasMetadata model =
              cluster
                  ? kube.aim(AIMClusterModel.class).withName(spec.modelName).get()
                  : kube.aim(AIMModel.class).inNamespace(ref.namespace()).withName(spec.modelName).get();
          if (model == null) {
            return StageResult.of(
                ComponentHealth.error(
                    component,
                    ErrorCategory.MISSING_UPSTREAM,
                    "ModelNotFound",
                    (cluster ? "AIMClusterModel" : "AIMModel") + " \"" + spec.modelName + "\" not found",
                    DependencyType.UPSTREAM));
          }
          // The model's own readiness depends on its templates, so a template only needs the model to exist.
          AIMResolvedReference resolved =
              new AIMResolvedReference(
                  model.getMetadata().getName(),
                  model.getMetadata().getNamespace(),
                  cluster ? AIMScope.Cluster : AIMScope.Namespace,
                  model.getKind(),
                  model.getMetadata().getUid());
          return new StageResult(
              List.of(ComponentHealth.ready(component, "ModelFound", model.getKind() + " " + spec.modelName + " found", DependencyType.UPSTREAM)),
              Map.of("resolvedModel", resolved),
              resolved,
              null);
        });
  }

  @Override
  public StageResult gpu(ResourceRef ref) {
    return Kube.stage(
        "GPU",
        DependencyType.UPSTREAM,
        () -> {
          AIMServiceTemplateSpecCommon spec = spec(kube.current(ref, HasMetadata.class));
          var gpu = spec.hardware == null ? null : spec.hardware.gpu;
          boolean needsGpu =
              gpu != null && ((gpu.requests != null && gpu.requests > 0) || (gpu.model != null && !gpu.model.isEmpty()));
          if (!needsGpu) {
            return StageResult.none();
          }
          GpuInventory inventory =
              GpuInventory.fromNodeLabels(
                  kube.client().nodes().list().getItems().stream().map(n -> n.getMetadata().getLabels()).toList());
          if (gpu.model != null && !gpu.model.isEmpty()) {
            return inventory.has(gpu.model)
                ? StageResult.of(ComponentHealth.ready("GPU", "GPUAvailable", gpu.model + " is available", DependencyType.UPSTREAM))
                : StageResult.of(
                    ComponentHealth.of(
                        "GPU",
                        AIMStatus.NotAvailable,
                        "GPUNotAvailable",
                        "No node has a " + gpu.model + " GPU (cluster has: " + inventory.models() + ")",
                        DependencyType.UPSTREAM));
          }
          if (gpu.minVram != null) {
            return inventory.hasVram(gpu.minVram)
                ? StageResult.of(ComponentHealth.ready("GPU", "VRAMAvailable", "A GPU with at least " + gpu.minVram + " is available", DependencyType.UPSTREAM))
                : StageResult.of(
                    ComponentHealth.of("GPU", AIMStatus.NotAvailable, "VRAMNotAvailable", "No GPU with at least " + gpu.minVram + " of memory", DependencyType.UPSTREAM));
          }
          return inventory.hasAnyGpu()
              ? StageResult.of(ComponentHealth.ready("GPU", "GPUAvailable", "GPUs are available", DependencyType.UPSTREAM))
              : StageResult.of(ComponentHealth.of("GPU", AIMStatus.NotAvailable, "GPUNotAvailable", "No node has an AMD GPU", DependencyType.UPSTREAM));
        });
  }

  @Override
  public StageResult discovery(ResourceRef ref) {
    return Kube.stage(
        "Discovery",
        DependencyType.DOWNSTREAM,
        () -> {
          AIMServiceTemplateSpecCommon spec = spec(kube.current(ref, HasMetadata.class));
          if (spec.modelSources == null || spec.modelSources.isEmpty()) {
            return StageResult.of(
                    ComponentHealth.of(
                        "Discovery",
                        AIMStatus.Progressing,
                        "AwaitingDiscovery",
                        "Discovery from the image is not available in this version; give the weights in spec.modelSources",
                        DependencyType.DOWNSTREAM))
                .withConditions(
                    aim.orchestrator.status.ConditionSpec.isFalse("Discovered", "AwaitingDiscovery", "Waiting for discovery"));
          }
          Map<String, Object> fields = new LinkedHashMap<>();
          // Per-source env may hold credentials typed inline: it stays in the spec and never enters a workflow
          // payload. The template cache reads it from the spec when it creates the artifacts.
          fields.put("modelSources", spec.modelSources.stream().map(TemplateActivitiesImpl::withoutEnv).toList());
          AIMServiceTemplateStatus.Profile profile = new AIMServiceTemplateStatus.Profile();
          AIMServiceTemplateStatus.ProfileMetadata md = new AIMServiceTemplateStatus.ProfileMetadata();
          var gpu = spec.hardware == null ? null : spec.hardware.gpu;
          md.gpu = gpu == null ? null : gpu.model;
          md.gpuCount = gpu == null ? null : gpu.requests;
          md.metric = spec.metric == null ? null : spec.metric.name();
          md.precision = spec.precision == null ? null : spec.precision.name();
          md.type = spec.type == null ? null : spec.type.name();
          profile.metadata = md;
          fields.put("profile", profile);
          if (spec.hardware != null) {
            fields.put("resolvedHardware", spec.hardware);
            fields.put("hardwareSummary", summary(spec.hardware));
          }
          NodeAffinity affinity = affinity(spec.hardware);
          if (affinity != null) {
            fields.put("resolvedNodeAffinity", affinity);
          }
          return StageResult.of(
                  ComponentHealth.ready("Discovery", "InlineModelSources", "Model sources given inline", DependencyType.DOWNSTREAM))
              .withFields(fields)
              .withConditions(
                  aim.orchestrator.status.ConditionSpec.isTrue("Discovered", "InlineModelSources", "Model sources given inline; no discovery needed"));
        });
  }

  private static AIMModelSource withoutEnv(AIMModelSource in) {
    AIMModelSource out = new AIMModelSource();
    out.modelId = in.modelId;
    out.sourceUri = in.sourceUri;
    out.size = in.size;
    return out;
  }

  static String summary(AIMHardwareRequirements hw) {
    if (hw.gpu != null && hw.gpu.model != null && !hw.gpu.model.isEmpty()) {
      int n = hw.gpu.requests == null ? 0 : hw.gpu.requests;
      return n > 0 ? n + " x " + hw.gpu.model : hw.gpu.model;
    }
    if (hw.gpu != null && hw.gpu.requests != null && hw.gpu.requests > 0) {
      return hw.gpu.requests + " x GPU";
    }
    return "CPU";
  }

  /** Node affinity from the spec's GPU model: every PCI id of that model, in a deterministic order. */
  static NodeAffinity affinity(AIMHardwareRequirements hw) {
    if (hw == null || hw.gpu == null || hw.gpu.model == null || hw.gpu.model.isEmpty()) {
      return null;
    }
    return new NodeAffinityBuilder()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .withMatchExpressions(
            new NodeSelectorRequirementBuilder()
                .withKey("amd.com/gpu.device-id")
                .withOperator("In")
                .withValues(GpuInventory.deviceIds(hw.gpu.model))
                .build())
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .build();
  }

  private static AIMServiceTemplateSpecCommon spec(HasMetadata t) {
    return t instanceof AIMServiceTemplate nt ? nt.getSpec() : ((AIMClusterServiceTemplate) t).getSpec();
  }
}
