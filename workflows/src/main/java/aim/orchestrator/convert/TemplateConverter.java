package aim.orchestrator.convert;

import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMClusterServiceTemplateSpec;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * AIMServiceTemplate and AIMClusterServiceTemplate of both legacy APIs: the model id becomes {@code modelName} (the
 * name of the model the batch's catalog entry became), {@code useCase}/{@code metric}, {@code precision}, the GPU
 * selector becomes {@code hardware.gpu}, {@code warmCache}/{@code caching.enabled} becomes {@code caching.enabled}.
 */
final class TemplateConverter {
  private TemplateConverter() {}

  /** The template, preceded by the namespace copy of its model when it needs one; empty when nothing can be written. */
  static List<HasMetadata> convert(LegacyDocument doc, Fields spec, ObjectMeta meta, boolean cluster, Batch batch) {
    List<HasMetadata> written = new ArrayList<>();
    AIMServiceTemplateSpecCommon out = cluster ? new AIMClusterServiceTemplateSpec() : new AIMServiceTemplateSpec();
    String namespace = meta.getNamespace() == null ? "" : meta.getNamespace();

    if (spec.has("modelName")) {
      out.modelName = spec.text("modelName"); // already a model name (a later kaiwo API)
    } else {
      String field = spec.has("model") ? "model" : "modelId"; // kaiwo.silogen.ai: model; aim.silogen.ai: modelId
      String modelId = spec.text(field);
      if (modelId == null || modelId.isEmpty()) {
        doc.lost(spec.path(field), "required: the template's model; nothing written");
        return List.of();
      }
      out.modelName = modelName(modelId, spec.path(field), cluster ? null : namespace, doc, batch, written);
    }

    out.metric = Values.metric(spec, spec.has("useCase") ? "useCase" : "metric", doc);
    out.precision = Values.precision(spec, "precision", doc);
    Integer gpusPerReplica = spec.integer("gpusPerReplica");
    String gpuModel = spec.text("gpuModel");
    out.hardware =
        ModelReferences.hardware(
            spec.object("gpuSelector"), gpusPerReplica, gpuModel, spec.path(spec.has("gpusPerReplica") ? "gpusPerReplica" : "gpuSelector.count"), doc);
    tensorParallelism(spec, out.hardware, doc);

    out.env = Values.env(spec, "env", doc);
    out.imagePullSecrets = Values.pullSecrets(spec, "imagePullSecrets", doc);
    out.resources = Values.resources(spec, "resources", doc);
    out.serviceAccountName = spec.text("serviceAccountName");
    out.runtimeConfigName = spec.text("runtimeConfigName");

    Boolean warm = spec.bool("warmCache"); // kaiwo.silogen.ai
    Fields caching = spec.object("caching"); // aim.silogen.ai
    if (caching != null) {
      warm = caching.bool("enabled");
    }
    List<EnvVar> cachingEnv = caching == null ? null : Values.env(caching, "env", doc);
    String cachingField = spec.path(caching != null ? "caching.enabled" : "warmCache");

    if (cluster) {
      if (Boolean.TRUE.equals(warm)) {
        doc.lost(cachingField, "an AIMClusterServiceTemplate has no caching field (nor had it in the legacy API): warm its weights with an AIMTemplateCache in each namespace that uses it");
      }
      if (cachingEnv != null) {
        doc.lost(spec.path("caching.env"), "an AIMClusterServiceTemplate has no caching field; put download credentials on the AIMTemplateCache or the runtime config");
      }
      AIMClusterServiceTemplate template = new AIMClusterServiceTemplate();
      template.setMetadata(meta);
      template.setSpec((AIMClusterServiceTemplateSpec) out);
      written.add(template);
      return written;
    }
    AIMServiceTemplateSpec namespaced = (AIMServiceTemplateSpec) out;
    if (warm != null || cachingEnv != null) {
      namespaced.caching = new AIMServiceTemplateSpec.Caching();
      namespaced.caching.enabled = warm;
      namespaced.caching.env = cachingEnv;
    }
    namespaced.imagePullSecrets = batch.withNamespacePullSecrets(namespaced.imagePullSecrets, namespace, "AIMServiceTemplate " + meta.getName());
    AIMServiceTemplate template = new AIMServiceTemplate();
    template.setMetadata(meta);
    template.setSpec(namespaced);
    written.add(template);
    return written;
  }

  /**
   * The model name for {@code modelId}. A namespaced template needs an AIMModel of its own namespace: when the id is a
   * cluster catalog entry, a namespace copy of it is written first (once per namespace).
   */
  private static String modelName(String modelId, String field, String namespace, LegacyDocument doc, Batch batch, List<HasMetadata> written) {
    Batch.ModelEntry entry = ModelReferences.resolve(modelId, field, namespace, doc, batch);
    if (entry == null) {
      String derived = Values.nameFromModelId(modelId);
      String create = namespace == null ? "an AIMClusterModel named " + derived : "an AIMModel named " + derived + " in namespace " + Values.displayNamespace(namespace);
      doc.lost(field, ModelReferences.unresolved(modelId, namespace == null, batch)
          + ". modelName is " + derived + ", a name derived from the id: create " + create + ", or convert this file together with the model's catalog entry");
      return derived;
    }
    if (namespace == null || !entry.cluster()) {
      return entry.name();
    }
    String copy = "AIMModel " + Values.displayNamespace(namespace) + "/" + entry.name();
    if (!batch.firstNamespaceCopy(namespace, entry.name())) {
      doc.note(field, "modelName " + entry.name() + " is " + copy + ", the namespace copy of " + entry.describe() + " written with an earlier template of the batch");
      return entry.name();
    }
    AIMModel model = ModelConverter.namespaceCopy(entry, namespace, batch);
    if (model == null) {
      doc.lost(field, "the new API's namespaced templates name an AIMModel of their own namespace, and " + entry.describe()
          + " cannot be copied there (no image, or a spec the converter cannot read): create " + copy);
      return entry.name();
    }
    written.add(model);
    doc.note(field, "wrote " + copy + ", a copy of " + entry.describe() + ": a namespaced template names an AIMModel of its own namespace in the new API"
        + " (the copy has discovery.createServiceTemplates: false, so it adds no templates of its own)");
    return entry.name();
  }

  /**
   * The new API has no tensor parallelism: AIM profiles shard a model across all GPUs of a replica. A value equal to
   * the GPU count says nothing more; any other value cannot be expressed.
   */
  private static void tensorParallelism(Fields spec, AIMHardwareRequirements hardware, LegacyDocument doc) {
    if (!spec.has("tensorParallelism")) {
      return;
    }
    Integer tp = spec.integer("tensorParallelism");
    Integer gpus = hardware == null || hardware.gpu == null ? null : hardware.gpu.requests;
    if (tp == null) {
      return;
    }
    if (tp.equals(gpus)) {
      doc.note(spec.path("tensorParallelism"), "not written: AIM profiles shard across all GPUs of a replica, which hardware.gpu.requests (" + gpus + ") already says");
    } else {
      doc.lost(spec.path("tensorParallelism"), "the new API has no tensor parallelism field: AIM profiles shard across all GPUs of a replica ("
          + (gpus == null ? "no GPU count is given" : "hardware.gpu.requests is " + gpus) + "); a profile with tensor parallelism " + tp + " needs that many GPUs per replica");
    }
  }
}
