package aim.orchestrator.activities.impl;

import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMClusterServiceTemplateSpec;
import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMMetric;
import aim.orchestrator.model.AIMModelSpec;
import aim.orchestrator.model.AIMPrecision;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ImageMetadata;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.render.Owners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The templates an image model gets from its image's recommended deployments (spec §3.3): one per deployment, named
 * by {@link DerivedNames#autoTemplate}, labelled as auto-generated and owned by the model, so deleting the model
 * removes them. A namespaced model gets AIMServiceTemplates in its namespace; a cluster model gets
 * AIMClusterServiceTemplates.
 */
final class AutoTemplates {
  private AutoTemplates() {}

  /** A recommended deployment that cannot become a template, with the reason. */
  record Rejected(int index, String reason) {}

  /** The templates, and the deployments that were skipped. */
  record Plan(List<HasMetadata> templates, List<Rejected> rejected) {}

  static Plan fromRecommendedDeployments(HasMetadata model, AIMModelSpec spec, ImageMetadata metadata) {
    List<HasMetadata> out = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    if (metadata == null || metadata.model == null || metadata.model.recommendedDeployments == null) {
      return new Plan(out, rejected);
    }
    boolean cluster = model instanceof AIMClusterModel;
    String modelName = model.getMetadata().getName();
    List<ImageMetadata.RecommendedDeployment> deployments = metadata.model.recommendedDeployments;
    for (int i = 0; i < deployments.size(); i++) {
      ImageMetadata.RecommendedDeployment d = deployments.get(i);
      AIMMetric metric;
      AIMPrecision precision;
      try {
        metric = d.metric == null || d.metric.isBlank() ? null : AIMMetric.valueOf(d.metric.trim().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        rejected.add(new Rejected(i, "metric \"" + d.metric + "\" is not latency or throughput"));
        continue;
      }
      try {
        precision =
            d.precision == null || d.precision.isBlank() ? null : AIMPrecision.valueOf(d.precision.trim().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        rejected.add(new Rejected(i, "precision \"" + d.precision + "\" is not a known precision"));
        continue;
      }
      AIMServiceTemplateSpecCommon ts = cluster ? new AIMClusterServiceTemplateSpec() : new AIMServiceTemplateSpec();
      ts.modelName = modelName;
      ts.imagePullSecrets = spec.imagePullSecrets;
      ts.serviceAccountName = spec.serviceAccountName;
      ts.metric = metric;
      ts.precision = precision;
      ts.profileId = d.profileId == null || d.profileId.isBlank() ? null : d.profileId;
      String gpuModel = d.gpuModel == null || d.gpuModel.isBlank() ? null : d.gpuModel.trim().toUpperCase(Locale.ROOT);
      if (gpuModel != null && d.gpuCount != null && d.gpuCount > 0) {
        AIMHardwareRequirements hw = new AIMHardwareRequirements();
        hw.gpu = new AIMGpuRequirements();
        hw.gpu.requests = d.gpuCount;
        hw.gpu.model = gpuModel;
        ts.hardware = hw;
      }
      String name =
          DerivedNames.autoTemplate(
              modelName, spec.image, d.gpuCount, gpuModel, metric == null ? null : metric.name(), precision == null ? null : precision.name());
      HasMetadata t;
      if (cluster) {
        AIMClusterServiceTemplate ct = new AIMClusterServiceTemplate();
        ct.setSpec((AIMClusterServiceTemplateSpec) ts);
        t = ct;
      } else {
        AIMServiceTemplate nt = new AIMServiceTemplate();
        nt.setSpec((AIMServiceTemplateSpec) ts);
        nt.getMetadata().setNamespace(model.getMetadata().getNamespace());
        t = nt;
      }
      t.getMetadata().setName(name);
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(Aim.LABEL_MODEL, modelName);
      labels.put(Aim.LABEL_ORIGIN, "auto-generated");
      t.getMetadata().setLabels(labels);
      t.getMetadata().setOwnerReferences(List.of(Owners.controller(model)));
      out.add(t);
    }
    return new Plan(out, rejected);
  }
}
