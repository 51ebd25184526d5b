package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.MODEL;
import static aim.orchestrator.activities.Fixtures.MODEL_ID;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.SOURCE_URI;
import static aim.orchestrator.activities.Fixtures.TEMPLATE;
import static aim.orchestrator.activities.Fixtures.ref;
import static aim.orchestrator.activities.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.render.Owners;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Template-level caching and the template cache's finalizer, against the CRUD mock. */
class TemplateCachingTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  final TemplateActivitiesImpl templates = new TemplateActivitiesImpl(cluster.kube());
  final CacheActivitiesImpl caches = new CacheActivitiesImpl(cluster.kube());

  AIMServiceTemplate template(boolean caching) {
    AIMServiceTemplate t = Fixtures.template(NS, TEMPLATE, MODEL, ResourceStatusValue.Ready, source(MODEL_ID, SOURCE_URI, "66Gi"));
    t.getSpec().runtimeConfigName = "gpu-team";
    if (caching) {
      t.getSpec().caching = new AIMServiceTemplateSpec.Caching();
      t.getSpec().caching.enabled = true;
      t.getSpec().caching.env = List.of(Fixtures.env("HF_ENDPOINT", "https://mirror.example.com"));
    }
    return cluster.create(t);
  }

  AIMTemplateCache cache(String name) {
    return cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).withName(name).get();
  }

  @Test
  void aTemplateWithCachingEnabledGetsACacheNamedLikeItAndOwnedByIt() {
    AIMServiceTemplate t = template(true);

    assertThat(templates.ensureCache(ref(t)).components()).isEmpty();

    AIMTemplateCache c = cache(TEMPLATE);
    assertThat(Owners.ownedBy(c, t.getMetadata().getUid())).isTrue();
    assertThat(c.getSpec().templateName).isEqualTo(TEMPLATE);
    assertThat(c.getSpec().templateScope).isEqualTo(AIMScope.Namespace);
    assertThat(c.getSpec().mode).isEqualTo(AIMTemplateCacheSpec.Mode.Shared);
    assertThat(c.getSpec().runtimeConfigName).isEqualTo("gpu-team");
    assertThat(c.getSpec().env).containsExactly(Fixtures.env("HF_ENDPOINT", "https://mirror.example.com"));
    assertThat(c.getMetadata().getLabels()).containsEntry(Aim.LABEL_TEMPLATE_NAME, TEMPLATE);
  }

  @Test
  void withoutCachingNoCacheIsMade() {
    templates.ensureCache(ref(template(false)));

    assertThat(cluster.client().resources(AIMTemplateCache.class).inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void aCacheOfThatNameMadeBySomeoneElseIsLeftAlone() {
    AIMTemplateCache mine = Fixtures.templateCache(NS, TEMPLATE, TEMPLATE, AIMTemplateCacheSpec.Mode.Dedicated, null);
    cluster.create(mine);

    templates.ensureCache(ref(template(true)));

    AIMTemplateCache c = cache(TEMPLATE);
    assertThat(c.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(c.getSpec().mode).isEqualTo(AIMTemplateCacheSpec.Mode.Dedicated);
  }

  AIMArtifact artifact(String name, String cache, ResourceStatusValue status) {
    AIMArtifact a = Fixtures.artifact(NS, name, SOURCE_URI, "1Gi", status);
    a.getMetadata().setLabels(java.util.Map.of(Aim.LABEL_TEMPLATE_CACHE_NAME, cache));
    return cluster.create(a);
  }

  List<String> artifacts() {
    return cluster.client().resources(AIMArtifact.class).inNamespace(NS).list().getItems().stream()
        .map(a -> a.getMetadata().getName()).sorted().toList();
  }

  @Test
  void deletingTheCacheRemovesItsArtifactsThatAreNotReady() {
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    AIMTemplateCache c = cluster.create(Fixtures.templateCache(NS, "qwen-cache", TEMPLATE, AIMTemplateCacheSpec.Mode.Shared, null));
    artifact("ready", "qwen-cache", ResourceStatusValue.Ready);
    artifact("failed", "qwen-cache", ResourceStatusValue.Failed);
    artifact("downloading", "qwen-cache", ResourceStatusValue.Progressing);
    artifact("another-caches", "other-cache", ResourceStatusValue.Failed);

    caches.cacheDeleteArtifacts(ref(c));

    assertThat(artifacts()).containsExactly("another-caches", "ready");
  }

  @Test
  void aNamespaceBeingDeletedIsNeverHeldBack() {
    cluster.client().namespaces().resource(
        new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().withNewStatus().withPhase("Terminating").endStatus().build()).create();
    assertThat(cluster.client().namespaces().withName(NS).get().getStatus().getPhase()).isEqualTo("Terminating");
    AIMTemplateCache c = cluster.create(Fixtures.templateCache(NS, "qwen-cache", TEMPLATE, AIMTemplateCacheSpec.Mode.Shared, null));
    artifact("failed", "qwen-cache", ResourceStatusValue.Failed);

    caches.cacheDeleteArtifacts(ref(c));

    assertThat(artifacts()).containsExactly("failed");
  }
}
