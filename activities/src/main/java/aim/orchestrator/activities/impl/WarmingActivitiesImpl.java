package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activities.kube.RuntimeConfigs;
import aim.orchestrator.activity.WarmingActivities;
import aim.orchestrator.activity.WarmingPlan;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.workflow.warming.CacheWarmingRequest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** See {@link WarmingActivities}. */
public class WarmingActivitiesImpl implements WarmingActivities {
  private static final Logger log = LoggerFactory.getLogger(WarmingActivitiesImpl.class);

  private final Kube kube;
  private final RuntimeConfigs runtimeConfigs;

  public WarmingActivitiesImpl(Kube kube) {
    this.kube = kube;
    this.runtimeConfigs = new RuntimeConfigs(kube);
  }

  @Override
  public WarmingPlan ensureCaches(CacheWarmingRequest request) {
    return Kube.call(() -> plan(request.namespace(), request.labelSelector() == null ? "" : request.labelSelector().strip()));
  }

  private WarmingPlan plan(String ns, String selector) {
    List<HasMetadata> templates = new ArrayList<>();
    var namespaced = kube.aim(AIMServiceTemplate.class).inNamespace(ns);
    var cluster = kube.aim(AIMClusterServiceTemplate.class);
    templates.addAll(selector.isEmpty() ? namespaced.list().getItems() : namespaced.withLabelSelector(selector).list().getItems());
    templates.addAll(selector.isEmpty() ? cluster.list().getItems() : cluster.withLabelSelector(selector).list().getItems());
    List<AIMTemplateCache> caches = kube.aim(AIMTemplateCache.class).inNamespace(ns).list().getItems();

    List<String> selected = new ArrayList<>();
    List<WarmingPlan.CacheAction> actions = new ArrayList<>();
    Set<String> artifactNames = new LinkedHashSet<>();
    for (HasMetadata t : templates) {
      String id = t.getKind() + "/" + t.getMetadata().getName();
      AIMServiceTemplateStatus status = t instanceof AIMServiceTemplate nt ? nt.getStatus() : ((AIMClusterServiceTemplate) t).getStatus();
      if (status == null || status.status != ResourceStatusValue.Ready || status.modelSources == null || status.modelSources.isEmpty()) {
        selected.add(id + " (skipped: " + (status == null || status.status == null ? "Pending" : status.status) + ", no model sources yet)");
        continue;
      }
      selected.add(id);
      AIMTemplateCache cache = existingCache(t, caches);
      if (cache == null) {
        cache = newCache(t, ns);
        kube.apply(cache);
        log.info("cache warming: created AIMTemplateCache {}/{} for {}", ns, cache.getMetadata().getName(), id);
        actions.add(new WarmingPlan.CacheAction(id, cache.getMetadata().getName(), "created"));
        continue; // its artifacts come from its own workflow
      }
      actions.add(new WarmingPlan.CacheAction(id, cache.getMetadata().getName(), "existing"));
      if (cache.getStatus() != null && cache.getStatus().artifacts != null) {
        artifactNames.addAll(cache.getStatus().artifacts.keySet());
      }
      kube.aim(AIMArtifact.class).inNamespace(ns).withLabel(Aim.LABEL_TEMPLATE_CACHE_NAME, cache.getMetadata().getName()).list().getItems()
          .forEach(a -> artifactNames.add(a.getMetadata().getName()));
    }
    List<WarmingPlan.ArtifactItem> artifacts = new ArrayList<>();
    for (String name : artifactNames) {
      AIMArtifact a = kube.aim(AIMArtifact.class).inNamespace(ns).withName(name).get();
      if (a != null) {
        String status = a.getStatus() == null || a.getStatus().status == null ? "Pending" : a.getStatus().status.name();
        artifacts.add(new WarmingPlan.ArtifactItem(name, a.getMetadata().getUid(), status));
      }
    }
    return new WarmingPlan(selected, actions, artifacts);
  }

  /** The cache services of this template would use: the template's own, else the best Shared one. */
  private static AIMTemplateCache existingCache(HasMetadata t, List<AIMTemplateCache> caches) {
    String name = t.getMetadata().getName();
    if (TemplateCaches.cachingEnabled(t)) {
      AIMTemplateCache own = caches.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst().orElse(null);
      if (own != null) {
        return own;
      }
    }
    return caches.stream()
        .filter(c -> name.equals(c.getSpec().templateName))
        .filter(c -> c.getSpec().mode == null || c.getSpec().mode == AIMTemplateCacheSpec.Mode.Shared)
        .filter(c -> c.getMetadata().getDeletionTimestamp() == null)
        .max(Comparator.comparingInt(c -> Health.of(c.getStatus() == null ? null : c.getStatus().status).priority()))
        .orElse(null);
  }

  private AIMTemplateCache newCache(HasMetadata t, String ns) {
    if (TemplateCaches.cachingEnabled(t)) {
      return TemplateCaches.templateOwned((AIMServiceTemplate) t);
    }
    String runtimeConfig =
        t instanceof AIMServiceTemplate nt ? nt.getSpec().runtimeConfigName : ((AIMClusterServiceTemplate) t).getSpec().runtimeConfigName;
    var rc = runtimeConfigs.resolve(runtimeConfig, ns).merged();
    return TemplateCaches.shared(t, ns, rc.storage == null ? null : rc.storage.defaultStorageClassName);
  }
}
