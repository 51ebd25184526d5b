package aim.orchestrator.convert;

import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;

/**
 * Catalog entries: AIMClusterImage (aim.silogen.ai) and AIMClusterModel (kaiwo.silogen.ai, {@code spec.aim.{name,
 * image}}) become AIMClusterModels; AIMImage and AIMModel become AIMModels. The legacy model id, which the new API
 * has no field for (it names models by object name), is kept in an annotation.
 */
final class ModelConverter {
  private ModelConverter() {}

  /** A legacy catalog entry's spec and model id. */
  private record Entry(AIMModelSpec spec, String modelId) {}

  static HasMetadata convert(LegacyDocument doc, Fields spec, ObjectMeta meta, boolean cluster, Batch batch) {
    Entry entry = read(doc, spec);
    if (entry == null) {
      return null;
    }
    if (entry.modelId() != null) {
      meta.getAnnotations().put(Converted.ANNOTATION_LEGACY_MODEL_ID, entry.modelId());
    }
    if (cluster) {
      AIMClusterModel model = new AIMClusterModel();
      model.setMetadata(meta);
      model.setSpec(entry.spec());
      return model;
    }
    entry.spec().imagePullSecrets = batch.withNamespacePullSecrets(entry.spec().imagePullSecrets, meta.getNamespace(), "AIMModel " + meta.getName());
    AIMModel model = new AIMModel();
    model.setMetadata(meta);
    model.setSpec(entry.spec());
    return model;
  }

  /**
   * The AIMModel a namespaced template needs in its own namespace when its model is a cluster catalog entry: the new
   * API's namespaced templates name an AIMModel of their namespace. A copy of the entry's spec, with template
   * discovery off so that the copy adds no templates next to the converted ones. Null when the entry cannot be
   * copied (no image, or a spec this model cannot read).
   */
  static AIMModel namespaceCopy(Batch.ModelEntry entry, String namespace, Batch batch) {
    LegacyDocument source = entry.source();
    AIMModelSpec spec;
    if (LegacyKind.isLegacyGroup(source.group())) {
      // Read again on a scratch document: what the entry lacks is reported on the entry itself.
      LegacyDocument scratch = new LegacyDocument(source.file, source.index, source.node);
      Entry read = read(scratch, new Fields((ObjectNode) source.node.get("spec"), "spec", scratch));
      if (read == null) {
        return null;
      }
      spec = read.spec();
    } else {
      try {
        spec = source.node.has("spec") ? Values.JSON.convertValue(source.node.get("spec"), AIMModelSpec.class) : null;
      } catch (IllegalArgumentException e) {
        spec = null; // fields this model does not know: the copy would not say the same
      }
      if (spec == null) {
        return null;
      }
    }
    if (spec.discovery == null) {
      spec.discovery = new AIMModelSpec.Discovery();
    }
    spec.discovery.createServiceTemplates = false;
    spec.imagePullSecrets = batch.withNamespacePullSecrets(spec.imagePullSecrets, namespace, "AIMModel " + entry.name());
    ObjectMeta meta = new ObjectMeta();
    meta.setName(entry.name());
    meta.setNamespace(namespace);
    meta.setAnnotations(new LinkedHashMap<>());
    meta.getAnnotations().put(Converted.ANNOTATION_CONVERTED_FROM, source.describe());
    meta.getAnnotations().put(Converted.ANNOTATION_LEGACY_MODEL_ID, entry.modelId());
    AIMModel model = new AIMModel();
    model.setMetadata(meta);
    model.setSpec(spec);
    return model;
  }

  /** The entry, or null (reported) without an image. */
  private static Entry read(LegacyDocument doc, Fields spec) {
    Fields aim = spec.object("aim"); // kaiwo.silogen.ai: spec.aim.{name, image}
    String id = aim == null ? null : aim.text("name");
    String image = aim == null ? null : aim.text("image");
    if (spec.has("modelId")) {
      id = spec.text("modelId");
    }
    if (spec.has("image")) {
      image = spec.text("image");
    }
    if (image == null || image.isEmpty()) {
      doc.lost(aim != null ? "spec.aim.image" : "spec.image", "required: the AIM container image of the model; nothing written");
      return null;
    }
    AIMModelSpec out = new AIMModelSpec();
    out.image = image;
    out.defaultServiceTemplate = spec.text("defaultServiceTemplate");
    out.resources = Values.resources(spec, "resources", doc);
    out.imagePullSecrets = Values.pullSecrets(spec, "imagePullSecrets", doc);
    out.env = Values.env(spec, "env", doc);
    out.serviceAccountName = spec.text("serviceAccountName");
    out.runtimeConfigName = spec.text("runtimeConfigName");
    return new Entry(out, id);
  }
}
