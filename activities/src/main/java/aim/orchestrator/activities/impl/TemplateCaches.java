package aim.orchestrator.activities.impl;

import aim.orchestrator.config.RuntimeConfigMerge;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.Aim;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.render.Owners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The template caches made for a template rather than for a service. */
final class TemplateCaches {
  /** Label on caches that cache warming made. */
  static final String LABEL_WARMED = Aim.LABEL_PREFIX + "cache-warming";

  private TemplateCaches() {}

  /** Whether a namespaced template asks for its own cache ({@code caching.enabled}). */
  static boolean cachingEnabled(HasMetadata template) {
    return template instanceof AIMServiceTemplate t
        && t.getSpec().caching != null
        && Boolean.TRUE.equals(t.getSpec().caching.enabled);
  }

  /**
   * A namespaced template's own cache (spec §3.4, template-level caching): named like the template, owned by it,
   * {@code {templateName, templateScope: Namespace, env: caching.env, runtimeConfigName}}, Shared.
   */
  static AIMTemplateCache templateOwned(AIMServiceTemplate template) {
    String name = template.getMetadata().getName();
    AIMTemplateCache cache = new AIMTemplateCache();
    cache.getMetadata().setName(name);
    cache.getMetadata().setNamespace(template.getMetadata().getNamespace());
    cache.getMetadata().setLabels(Map.of(Aim.LABEL_TEMPLATE_NAME, name, Aim.LABEL_TEMPLATE, name));
    cache.getMetadata().setOwnerReferences(List.of(Owners.controller(template)));
    AIMTemplateCacheSpec spec = new AIMTemplateCacheSpec();
    spec.templateName = name;
    spec.templateScope = AIMScope.Namespace;
    spec.env = template.getSpec().caching.env;
    spec.runtimeConfigName = template.getSpec().runtimeConfigName;
    spec.mode = AIMTemplateCacheSpec.Mode.Shared;
    cache.setSpec(spec);
    return cache;
  }

  /**
   * A Shared cache of a template in {@code namespace}, named as a service would name it, so that services of that
   * template find it: env = template env ⊕ template caching env, no owner.
   */
  static AIMTemplateCache shared(HasMetadata template, String namespace, String storageClass) {
    String name = template.getMetadata().getName();
    boolean cluster = template instanceof AIMClusterServiceTemplate;
    AIMServiceTemplateSpecCommon tspec =
        cluster ? ((AIMClusterServiceTemplate) template).getSpec() : ((AIMServiceTemplate) template).getSpec();
    AIMTemplateCache cache = new AIMTemplateCache();
    cache.getMetadata().setName(DerivedNames.sharedTemplateCache(name, namespace));
    cache.getMetadata().setNamespace(namespace);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Aim.LABEL_TEMPLATE_NAME, name);
    labels.put(LABEL_WARMED, "true");
    cache.getMetadata().setLabels(labels);
    AIMTemplateCacheSpec spec = new AIMTemplateCacheSpec();
    spec.templateName = name;
    spec.templateScope = cluster ? AIMScope.Cluster : AIMScope.Namespace;
    var cachingEnv = template instanceof AIMServiceTemplate t && t.getSpec().caching != null ? t.getSpec().caching.env : null;
    spec.env = RuntimeConfigMerge.mergeEnv(tspec.env, cachingEnv);
    spec.storageClassName = storageClass == null ? "" : storageClass;
    spec.runtimeConfigName = tspec.runtimeConfigName;
    spec.mode = AIMTemplateCacheSpec.Mode.Shared;
    cache.setSpec(spec);
    return cache;
  }
}
