package aim.orchestrator.convert;

import aim.orchestrator.model.AIMRoutingConfig;
import aim.orchestrator.model.AIMRuntimeParameters;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.AIMServiceSpec.AIMCachingMode;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * AIMService of both legacy APIs: the model id ({@code model} in kaiwo.silogen.ai, {@code aimModelId} in
 * aim.silogen.ai) becomes {@code model.name}, {@code templateRef} becomes {@code template.name} (the catalog entry's
 * {@code defaultServiceTemplate} when the service names none, as the legacy operator chose), {@code cacheModel}
 * becomes {@code caching.mode}, and {@code overrides.gpuSelector} becomes {@code overrides.hardware.gpu}.
 */
final class ServiceConverter {
  private ServiceConverter() {}

  static AIMService convert(LegacyDocument doc, Fields spec, ObjectMeta meta, Batch batch) {
    String namespace = meta.getNamespace() == null ? "" : meta.getNamespace();
    AIMServiceSpec out = new AIMServiceSpec();
    out.model = new AIMServiceSpec.AIMServiceModel();
    Batch.ModelEntry entry = model(spec, out.model, namespace, doc, batch);
    if (out.model.name == null && out.model.image == null && out.model.custom == null) {
      return null; // reported by model()
    }

    String templateName = spec.text("templateRef");
    Fields template = spec.object("template"); // a later kaiwo API: template.{name, allowUnoptimized}
    Boolean allowUnoptimized = null;
    if (template != null) {
      if (template.has("name")) {
        templateName = template.text("name");
      }
      allowUnoptimized = template.bool("allowUnoptimized");
    }

    Fields overrides = spec.object("overrides");
    if (overrides != null) {
      out.overrides = overrides(overrides, doc);
    }
    if (templateName == null && entry != null && entry.defaultServiceTemplate() != null) {
      templateName = entry.defaultServiceTemplate();
      doc.note(spec.path("templateRef"), "not given: template.name is " + templateName + ", the defaultServiceTemplate of " + entry.describe() + ", which the legacy operator used"
          + (out.overrides != null ? "; the overrides then make a derived template of it, as the legacy operator made a template for them" : ""));
    }
    if (templateName != null || allowUnoptimized != null) {
      out.template = new AIMServiceSpec.AIMServiceTemplateRef();
      out.template.name = templateName;
      out.template.allowUnoptimized = allowUnoptimized;
    }

    Boolean cacheModel = spec.bool("cacheModel");
    if (Boolean.TRUE.equals(cacheModel)) {
      out.caching = new AIMServiceSpec.AIMServiceCaching();
      out.caching.mode = AIMCachingMode.Shared;
    } else if (Boolean.FALSE.equals(cacheModel)) {
      doc.note(spec.path("cacheModel"), "false has no counterpart: every AIMService of the new API caches its template's weights (caching.mode Shared by default;"
          + " Dedicated makes the cache the service's own and deletes it with the service)");
    }

    out.replicas = spec.integer("replicas");
    out.minReplicas = spec.integer("minReplicas");
    out.maxReplicas = spec.integer("maxReplicas");
    out.env = Values.env(spec, "env", doc);
    out.resources = Values.resources(spec, "resources", doc);
    out.imagePullSecrets = batch.withNamespacePullSecrets(Values.pullSecrets(spec, "imagePullSecrets", doc), namespace, "AIMService " + meta.getName());
    out.serviceAccountName = spec.text("serviceAccountName");
    out.runtimeConfigName = spec.text("runtimeConfigName");
    out.routing = Values.convert(spec, "routing", AIMRoutingConfig.class, "a routing configuration of the new API", doc);

    AIMService service = new AIMService();
    service.setMetadata(meta);
    service.setSpec(out);
    return service;
  }

  /**
   * Fills {@code model} and returns the catalog entry used, if any. The legacy id is {@code aimModelId}
   * (aim.silogen.ai), {@code model} as a string (kaiwo.silogen.ai) or {@code modelId} (as seed 001 spells it once);
   * a later kaiwo API has {@code model.ref}.
   */
  private static Batch.ModelEntry model(Fields spec, AIMServiceSpec.AIMServiceModel model, String namespace, LegacyDocument doc, Batch batch) {
    String field;
    if (spec.has("aimModelId")) {
      field = "aimModelId";
    } else if (spec.has("model") && spec.peek("model").isValueNode()) {
      field = "model";
    } else if (spec.has("modelId")) {
      field = "modelId";
      doc.note(spec.path(field), "read as spec.aimModelId, the legacy AIMService's model id field");
    } else if (spec.has("model")) {
      Fields object = spec.object("model");
      if (object != null) {
        model.name = object.has("ref") ? object.text("ref") : object.text("name");
        model.image = object.text("image");
        model.custom = Values.convert(object, "custom", AIMServiceSpec.AIMCustomModelSpec.class, "a custom model of the new API", doc);
        if (model.name == null && model.image == null && model.custom == null) {
          doc.lost(spec.path("model"), "names no model (ref, name, image or custom); nothing written");
        }
      }
      return null;
    } else {
      doc.lost(spec.path("aimModelId"), "required: the service names no model; nothing written");
      return null;
    }
    String modelId = spec.text(field);
    if (modelId == null || modelId.isEmpty()) {
      doc.lost(spec.path(field), "empty: the service names no model; nothing written");
      return null;
    }
    Batch.ModelEntry entry = ModelReferences.resolve(modelId, spec.path(field), namespace, doc, batch);
    if (entry == null) {
      model.name = Values.nameFromModelId(modelId);
      doc.lost(spec.path(field), ModelReferences.unresolved(modelId, false, batch)
          + ". model.name is " + model.name + ", a name derived from the id: create an AIMClusterModel (or an AIMModel in namespace "
          + Values.displayNamespace(namespace) + ") of that name, or convert this file together with the model's catalog entry");
      return null;
    }
    model.name = entry.name();
    return entry;
  }

  private static AIMRuntimeParameters overrides(Fields overrides, LegacyDocument doc) {
    AIMRuntimeParameters out = new AIMRuntimeParameters();
    out.metric = Values.metric(overrides, "metric", doc);
    out.precision = Values.precision(overrides, "precision", doc);
    out.hardware = ModelReferences.hardware(overrides.object("gpuSelector"), null, null, overrides.path("gpuSelector.count"), doc);
    return out.metric == null && out.precision == null && out.hardware == null ? null : out;
  }
}
