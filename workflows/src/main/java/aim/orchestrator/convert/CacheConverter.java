package aim.orchestrator.convert;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactSpec;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.regex.Pattern;

/**
 * Caches: ModelCache (and AIMModelCache) become AIMArtifacts, which is what the new API calls a cache of one model
 * source; AIMTemplateCache keeps its kind, {@code templateRef} becoming {@code templateName}.
 */
final class CacheConverter {
  private static final Pattern SOURCE_URI = Pattern.compile("^(hf|s3)://[^ \\t\\r\\n]+$");
  private static final Pattern MODEL_ID = Pattern.compile("^[a-zA-Z0-9_-]+/[a-zA-Z0-9._-]+$");

  private CacheConverter() {}

  static AIMArtifact artifact(LegacyDocument doc, Fields spec, ObjectMeta meta) {
    AIMArtifactSpec out = new AIMArtifactSpec();
    out.sourceUri = spec.text("sourceUri");
    if (out.sourceUri == null || !SOURCE_URI.matcher(out.sourceUri).matches()) {
      doc.lost(spec.path("sourceUri"), out.sourceUri == null
          ? "required: the source to cache; nothing written"
          : "\"" + out.sourceUri + "\" is not an hf:// or s3:// URI, the only sources the new API downloads; nothing written");
      return null;
    }
    out.size = Values.quantity(spec, "size", doc);
    out.storageClassName = spec.text("storageClassName");
    out.env = Values.env(spec, "env", doc);
    out.imagePullSecrets = Values.pullSecrets(spec, "imagePullSecrets", doc);
    out.runtimeConfigName = spec.text("runtimeConfigName");
    String modelId = spec.text("modelId");
    if (modelId != null && !MODEL_ID.matcher(modelId).matches()) {
      doc.lost(spec.path("modelId"), "\"" + modelId + "\" is not an org/model id (it names the mount path); left for the controller to derive from the source");
    } else {
      out.modelId = modelId;
    }
    AIMArtifact artifact = new AIMArtifact();
    artifact.setMetadata(meta);
    artifact.setSpec(out);
    return artifact;
  }

  /**
   * {@code templateScope: Unknown} is the new API's "namespace template first, then the cluster template of that
   * name", the exact legacy lookup; the batch is not asked, so the cache finds the same template as before.
   */
  static AIMTemplateCache templateCache(LegacyDocument doc, Fields spec, ObjectMeta meta) {
    AIMTemplateCacheSpec out = new AIMTemplateCacheSpec();
    String field = spec.has("templateName") ? "templateName" : "templateRef";
    out.templateName = spec.text(field);
    if (out.templateName == null || out.templateName.isEmpty()) {
      doc.lost(spec.path(field), "required: the template whose weights to cache; nothing written");
      return null;
    }
    out.templateScope = AIMScope.Unknown;
    out.env = Values.env(spec, "env", doc);
    out.imagePullSecrets = Values.pullSecrets(spec, "imagePullSecrets", doc);
    out.storageClassName = spec.text("storageClassName");
    out.runtimeConfigName = spec.text("runtimeConfigName");
    AIMTemplateCache cache = new AIMTemplateCache();
    cache.setMetadata(meta);
    cache.setSpec(out);
    return cache;
  }
}
