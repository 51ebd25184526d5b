package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.registry.FakeHttpServer;
import aim.orchestrator.activities.registry.LocalRegistry;
import aim.orchestrator.activities.registry.PullSecretFixtures;
import aim.orchestrator.activities.registry.RegistryClient;
import aim.orchestrator.activities.registry.RegistrySettings;
import aim.orchestrator.activity.ModelSourceSync;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterModelSource;
import aim.orchestrator.model.AIMClusterModelSourceSpec;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.modelsource.RegistryImage;
import aim.orchestrator.modelsource.SyncPlan;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.ErrorCategory;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Model-source syncs against a real registry on loopback (tag lists, {@code _catalog}), and against fake Docker Hub
 * and GitHub listing APIs whose registries a mirror entry points at the same loopback registry.
 */
class ModelSourceActivitiesImplTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();
  @RegisterExtension static final LocalRegistry registry = new LocalRegistry();

  static final String OPERATOR_NS = "aim-ops";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  final FakeHttpServer hub = new FakeHttpServer();
  final FakeHttpServer github = new FakeHttpServer();
  final RegistrySettings settings =
      new RegistrySettings(
          Set.of(),
          Map.of("docker.io", registry.baseUrl(), "ghcr.io", registry.baseUrl()),
          URI.create(hub.baseUrl()),
          URI.create(github.baseUrl()),
          OPERATOR_NS,
          Duration.ofSeconds(5));
  final ModelSourceActivitiesImpl activities = new ModelSourceActivitiesImpl(cluster.kube(), new RegistryClient(settings), CLOCK);

  @BeforeAll
  static void images() {
    for (String tag : List.of("0.8.4", "0.8.5", "0.9.0", "1.0.0", "latest")) {
      registry.push("aim/qwen", tag, Map.of());
    }
    registry.push("aim/llama", "1.0.0", Map.of());
    registry.push("aim/llama", "2.0.0-rc1", Map.of());
    registry.push("aim/base", "1.0.0", Map.of());
    registry.push("other/tool", "1.0.0", Map.of());
  }

  @AfterEach
  void stopFakes() {
    hub.close();
    github.close();
  }

  static AIMClusterModelSourceSpec.Filter filter(String image, String... versions) {
    AIMClusterModelSourceSpec.Filter f = new AIMClusterModelSourceSpec.Filter();
    f.image = image;
    f.versions = versions.length == 0 ? null : List.of(versions);
    return f;
  }

  AIMClusterModelSource source(String registryHost, Integer maxModels, AIMClusterModelSourceSpec.Filter... filters) {
    AIMClusterModelSource s = new AIMClusterModelSource();
    s.getMetadata().setName("amd-models");
    s.setSpec(new AIMClusterModelSourceSpec());
    s.getSpec().registry = registryHost;
    s.getSpec().filters = Arrays.asList(filters);
    s.getSpec().maxModels = maxModels;
    return cluster.create(s);
  }

  List<AIMClusterModel> models() {
    return cluster.client().resources(AIMClusterModel.class).list().getItems();
  }

  List<String> modelImages() {
    return models().stream().map(m -> m.getSpec().image).sorted().toList();
  }

  static ComponentHealth component(ModelSourceSync sync, String name) {
    return sync.result().components().stream().filter(c -> c.component().equals(name)).findFirst().orElseThrow();
  }

  void secret(String namespace, io.fabric8.kubernetes.api.model.Secret secret) {
    if (cluster.client().namespaces().withName(namespace).get() == null) {
      cluster.client().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }
    secret.getMetadata().setNamespace(namespace);
    cluster.client().resource(secret).create();
  }

  @Test
  void anExactImageBecomesAModelWithoutAskingTheRegistry() {
    AIMClusterModelSource src = source(null, null, filter(registry.host() + "/aim/qwen:0.8.5"), filter("aim/not-pushed:3.0"));
    src.getSpec().imagePullSecrets = List.of(new LocalObjectReference("not-needed-for-exact-images"));

    ModelSourceSync sync = activities.sync(ref(src));

    assertThat(modelImages()).containsExactly(registry.host() + "/aim/qwen:0.8.5", "aim/not-pushed:3.0");
    AIMClusterModel qwen =
        cluster.client().resources(AIMClusterModel.class).withName(SyncPlan.modelName(new RegistryImage(registry.host(), "aim/qwen", "0.8.5"))).get();
    assertThat(qwen.getMetadata().getLabels())
        .containsEntry("aim.eai.amd.com/model-source", "amd-models")
        .containsEntry("aim.eai.amd.com/origin", "auto-generated");
    assertThat(qwen.getMetadata().getAnnotations())
        .containsEntry("aim.eai.amd.com/source-registry", registry.host())
        .containsEntry("aim.eai.amd.com/source-repository", "aim/qwen")
        .containsEntry("aim.eai.amd.com/source-tag", "0.8.5");
    assertThat(qwen.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo(src.getMetadata().getUid()));
    assertThat(component(sync, "Filters").reason()).isEqualTo("AllFiltersSucceeded");
    assertThat(sync.result().statusFields())
        .containsEntry("discoveredModels", 2)
        .containsEntry("availableModels", 2)
        .containsEntry("modelsLimitReached", false)
        .containsEntry("lastSyncTime", "2026-01-02T03:04:05Z");
    assertThat(sync.syncIntervalMillis()).isEqualTo(Duration.ofHours(1).toMillis());
    assertThat(sync.generation()).isEqualTo(src.getMetadata().getGeneration());
  }

  @Test
  void aRepositoryFilterKeepsTheTagsItsVersionsAllow() {
    activities.sync(ref(source(registry.host(), null, filter("aim/qwen", ">=0.8.5 <1.0"))));

    assertThat(modelImages()).containsExactly(registry.host() + "/aim/qwen:0.8.5", registry.host() + "/aim/qwen:0.9.0");
  }

  @Test
  void globalVersionsApplyToFiltersWithoutTheirOwn() {
    AIMClusterModelSource src = source(registry.host(), null, filter("aim/qwen"), filter("aim/llama", ">=2.0.0-rc1"));
    src.getSpec().versions = List.of("^1.0");
    src = cluster.client().resource(src).update();

    activities.sync(ref(src));

    assertThat(modelImages())
        .containsExactly(registry.host() + "/aim/llama:2.0.0-rc1", registry.host() + "/aim/qwen:1.0.0");
  }

  @Test
  void aWildcardListsTheCatalogAndHonoursExclusions() {
    AIMClusterModelSourceSpec.Filter all = filter("aim/*", ">=1.0.0");
    all.exclude = List.of("aim/base");

    ModelSourceSync sync = activities.sync(ref(source(registry.host(), null, all)));

    assertThat(modelImages())
        .containsExactly(registry.host() + "/aim/llama:1.0.0", registry.host() + "/aim/llama:2.0.0-rc1", registry.host() + "/aim/qwen:1.0.0");
    assertThat(sync.result().statusFields()).containsEntry("availableModels", 3);
  }

  @Test
  void maxModelsCapsTheModelsAndSaysSo() {
    AIMClusterModelSource src = source(registry.host(), 2, filter("aim/qwen"));

    ModelSourceSync first = activities.sync(ref(src));
    ModelSourceSync second = activities.sync(ref(src));

    assertThat(models()).hasSize(2);
    assertThat(second.result().statusFields())
        .containsEntry("discoveredModels", 2)
        .containsEntry("availableModels", 5)
        .containsEntry("modelsLimitReached", true);
    assertThat(first.result().conditions())
        .singleElement()
        .extracting(ConditionSpec::type, ConditionSpec::status, ConditionSpec::reason)
        .containsExactly("MaxModelsLimitReached", "True", "LimitReached");
  }

  @Test
  void modelsStayWhenTheirTagIsGoneAndAreNeverUpdated() {
    registry.push("tmp/ephemeral", "1.0.0", Map.of());
    registry.push("tmp/ephemeral", "1.1.0", Map.of());
    AIMClusterModelSource src = source(registry.host(), null, filter("tmp/ephemeral"));
    activities.sync(ref(src));
    AIMClusterModel edited = models().get(0);
    edited.getSpec().runtimeConfigName = "edited-by-hand";
    cluster.client().resource(edited).update();

    registry.delete("tmp/ephemeral", "1.0.0");
    ModelSourceSync again = activities.sync(ref(src));

    assertThat(modelImages()).containsExactly(registry.host() + "/tmp/ephemeral:1.0.0", registry.host() + "/tmp/ephemeral:1.1.0");
    assertThat(again.result().statusFields()).containsEntry("discoveredModels", 2).containsEntry("availableModels", 1);
    assertThat(cluster.client().resource(edited).get().getSpec().runtimeConfigName).isEqualTo("edited-by-hand");
  }

  @Nested
  class ListingApis {
    @Test
    void dockerHubWildcardsListTheNamespaceThroughTheHubApi() {
      hub.on("/v2/namespaces/aim/repositories", x -> {
        String query = x.getRequestURI().getQuery();
        if (query.contains("page=2")) {
          FakeHttpServer.json(x, "{\"results\":[{\"name\":\"base\"},{\"name\":\"not-in-registry\"}],\"next\":null}");
        } else {
          FakeHttpServer.json(
              x, "{\"results\":[{\"name\":\"qwen\"},{\"name\":\"llama\"}],\"next\":\"" + hub.baseUrl() + "/v2/namespaces/aim/repositories?page=2&page_size=100\"}");
        }
      });

      ModelSourceSync sync = activities.sync(ref(source(null, null, filter("aim/*", "1.0.0"))));

      assertThat(modelImages()).containsExactly("aim/base:1.0.0", "aim/llama:1.0.0", "aim/qwen:1.0.0");
      assertThat(models()).allSatisfy(m -> assertThat(m.getMetadata().getAnnotations()).containsEntry("aim.eai.amd.com/source-registry", "docker.io"));
      assertThat(hub.requests).hasSize(2);
      assertThat(component(sync, "Filters").reason()).isEqualTo("AllFiltersSucceeded");
    }

    @Test
    void ghcrWildcardsListTheOrganisationsPackagesWithTheSecretsToken() {
      secret(OPERATOR_NS, PullSecretFixtures.dockerConfigJson("ghcr", "ghcr.io", "bot", "ghp_token"));
      github.on("/orgs/aim/packages", x -> {
        if (!"Bearer ghp_token".equals(x.getRequestHeaders().getFirst("Authorization"))) {
          FakeHttpServer.respond(x, 401, "application/json", "{\"message\":\"Requires authentication\"}");
        } else if (x.getRequestURI().getQuery().contains("page=2")) {
          FakeHttpServer.json(x, "[{\"name\":\"llama\"}]");
        } else {
          x.getResponseHeaders().set("Link", "<" + github.baseUrl() + "/orgs/aim/packages?package_type=container&per_page=100&page=2>; rel=\"next\"");
          FakeHttpServer.json(x, "[{\"name\":\"qwen\"}]");
        }
      });
      AIMClusterModelSource src = source("ghcr.io", null, filter("aim/*", ">=1.0.0"));
      src.getSpec().imagePullSecrets = List.of(new LocalObjectReference("ghcr"));
      src = cluster.client().resource(src).update();

      activities.sync(ref(src));

      assertThat(modelImages()).containsExactly("ghcr.io/aim/llama:1.0.0", "ghcr.io/aim/llama:2.0.0-rc1", "ghcr.io/aim/qwen:1.0.0");
      assertThat(github.requests).hasSize(2);
    }

    @Test
    void ghcrWildcardsWithoutATokenFail() {
      ModelSourceSync sync = activities.sync(ref(source(null, null, filter("ghcr.io/aim/*"))));

      assertThat(component(sync, "Filters"))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Failed, "AllFiltersFailed");
      assertThat(component(sync, "Filters").message()).contains("needs a token: add an image pull secret with an entry for ghcr.io");
      assertThat(models()).isEmpty();
    }
  }

  @Nested
  class Failures {
    @Test
    void oneFailingFilterDegradesTheSourceAndTheOthersStillSync() throws Exception {
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }

      ModelSourceSync sync =
          activities.sync(ref(source(registry.host(), null, filter("aim/llama"), filter("127.0.0.1:" + closed + "/aim/qwen"))));

      assertThat(modelImages()).containsExactly(registry.host() + "/aim/llama:1.0.0", registry.host() + "/aim/llama:2.0.0-rc1");
      assertThat(component(sync, "Filters"))
          .extracting(ComponentHealth::state, ComponentHealth::reason)
          .containsExactly(AIMStatus.Degraded, "SomeFiltersFailed");
      assertThat(component(sync, "Filters").message()).contains("127.0.0.1:" + closed + " is unreachable");
    }

    @Test
    void aMissingRepositoryFailsItsFilter() {
      ModelSourceSync sync = activities.sync(ref(source(registry.host(), null, filter("aim/nothing"))));

      assertThat(component(sync, "Filters").reason()).isEqualTo("AllFiltersFailed");
      assertThat(component(sync, "Filters").message()).contains("NAME_UNKNOWN");
    }

    @Test
    void aMissingPullSecretFailsTheFiltersThatNeedTheRegistry() {
      AIMClusterModelSource src = source(registry.host(), null, filter("aim/qwen"), filter("aim/llama:1.0.0"));
      src.getSpec().imagePullSecrets = List.of(new LocalObjectReference("absent"));
      src = cluster.client().resource(src).update();

      ModelSourceSync sync = activities.sync(ref(src));

      assertThat(component(sync, "Filters").reason()).isEqualTo("SomeFiltersFailed");
      assertThat(component(sync, "Filters").message()).contains("image pull secret absent not found in namespace " + OPERATOR_NS);
      assertThat(modelImages()).containsExactly(registry.host() + "/aim/llama:1.0.0");
    }

    @Test
    void anInvalidSyncIntervalIsAnInvalidSpec() {
      AIMClusterModelSource src = source(registry.host(), null, filter("aim/qwen"));
      src.getSpec().syncInterval = "1d";
      src = cluster.client().resource(src).update();

      ModelSourceSync sync = activities.sync(ref(src));

      assertThat(sync.result().components())
          .singleElement()
          .extracting(ComponentHealth::component, ComponentHealth::error, ComponentHealth::reason)
          .containsExactly("SyncInterval", ErrorCategory.INVALID_SPEC, "InvalidSyncInterval");
      assertThat(models()).isEmpty();
    }
  }
}
