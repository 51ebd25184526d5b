package aim.orchestrator.activities.impl;

import static aim.orchestrator.activities.Fixtures.MODEL;
import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.registry.ImageInspector;
import aim.orchestrator.activities.registry.PullSecretFixtures;
import aim.orchestrator.activities.registry.LocalRegistry;
import aim.orchestrator.activities.registry.RegistryClient;
import aim.orchestrator.activities.registry.RegistrySettings;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.ImageMetadata;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.status.Evaluation;
import aim.orchestrator.status.StatusEngine;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The image-metadata stage reading labels from a real registry on loopback (spec §3.3, "Metadata extraction"). */
class ModelImageMetadataTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();
  @RegisterExtension static final LocalRegistry registry = new LocalRegistry();
  @RegisterExtension static final LocalRegistry secured = new LocalRegistry("robot", "s3cret");

  static final String OPERATOR_NS = "aim-ops";
  static final Map<String, String> QWEN =
      Map.of(
          "com.amd.aim.model.canonicalName", "Qwen/Qwen3-32B",
          "com.amd.aim.model.recommendedDeployments",
              "{'gpuModel': 'MI300X', 'gpuCount': 1, 'precision': 'fp16', 'metric': 'latency'}",
          "org.opencontainers.image.licenses", "Apache-2.0");

  final ModelActivitiesImpl activities =
      new ModelActivitiesImpl(cluster.kube(), new RegistryClient(RegistrySettings.defaults()), OPERATOR_NS);

  @BeforeAll
  static void images() {
    registry.push("aim/qwen", "0.8.5", QWEN);
    registry.push("aim/base", "1.0", Map.of("org.opencontainers.image.title", "base"));
    registry.push("aim/broken", "1.0", Map.of("com.amd.aim.model.recommendedDeployments", "{'gpuModel': 'MI300X'"));
    secured.push("aim/private", "1.0", QWEN);
  }

  AIMModel model(String image, String... pullSecrets) {
    AIMModel m = Fixtures.model(NS, MODEL, image, null);
    m.getSpec().imagePullSecrets = secretRefs(pullSecrets);
    return cluster.create(m);
  }

  static List<LocalObjectReference> secretRefs(String... names) {
    return names.length == 0 ? null : java.util.Arrays.stream(names).map(LocalObjectReference::new).toList();
  }

  static ComponentHealth only(StageResult result) {
    assertThat(result.components()).hasSize(1);
    return result.components().get(0);
  }

  void secret(String namespace, Secret secret) {
    if (cluster.client().namespaces().withName(namespace).get() == null) {
      cluster.client().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }
    secret.getMetadata().setNamespace(namespace);
    cluster.client().resource(secret).create();
  }

  @Test
  void readsTheLabelsIntoStatus() {
    StageResult result = activities.imageMetadata(ref(model(registry.host() + "/aim/qwen:0.8.5")));

    assertThat(only(result))
        .extracting(ComponentHealth::state, ComponentHealth::reason, ComponentHealth::message)
        .containsExactly(AIMStatus.Ready, "ImageMetadataFound", "Model Qwen/Qwen3-32B");
    ImageMetadata md = (ImageMetadata) result.statusFields().get("imageMetadata");
    assertThat(md.model.canonicalName).isEqualTo("Qwen/Qwen3-32B");
    assertThat(md.model.recommendedDeployments).singleElement().satisfies(d -> assertThat(d.gpuModel).isEqualTo("MI300X"));
    assertThat(md.oci.licenses).isEqualTo("Apache-2.0");
    assertThat(md.originalLabels).containsAllEntriesOf(QWEN);
  }

  @Test
  void anImageWithoutACanonicalNameIsFound() {
    assertThat(only(activities.imageMetadata(ref(model(registry.host() + "/aim/base:1.0")))))
        .extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Ready, "ImageFound");
  }

  @Test
  void aMissingPullSecretFailsTheModelAsAMissingReference() {
    ComponentHealth health = only(activities.imageMetadata(ref(model(registry.host() + "/aim/qwen:0.8.5", "regcred"))));

    assertThat(health)
        .extracting(ComponentHealth::error, ComponentHealth::reason, ComponentHealth::message)
        .containsExactly(ErrorCategory.MISSING_UPSTREAM, "SecretNotFound", "image pull secret regcred not found in namespace " + NS);
    Evaluation e = StatusEngine.evaluate(List.of(health));
    assertThat(e.status()).isEqualTo(AIMStatus.Failed);
    assertThat(e.conditions())
        .filteredOn(c -> c.type().equals("ConfigValid"))
        .singleElement()
        .extracting(ConditionSpec::status, ConditionSpec::reason)
        .containsExactly("False", "ReferenceNotFound");
  }

  @Test
  void aMissingImageFailsTheModel() {
    ComponentHealth health = only(activities.imageMetadata(ref(model(registry.host() + "/aim/qwen:9.9.9"))));

    assertThat(health)
        .extracting(ComponentHealth::error, ComponentHealth::reason)
        .containsExactly(ErrorCategory.MISSING_UPSTREAM, "MetadataExtractionFailed");
    assertThat(health.message()).contains("aim/qwen:9.9.9 not found");
    assertThat(StatusEngine.evaluate(List.of(health)).status()).isEqualTo(AIMStatus.Failed);
  }

  @Test
  void pullSecretsOfTheModelsNamespaceAuthenticate() {
    secret(NS, PullSecretFixtures.dockerConfigJson("regcred", secured.host(), "robot", "s3cret"));
    secret(NS, PullSecretFixtures.dockerConfigJson("wrong", secured.host(), "robot", "nope"));

    assertThat(only(activities.imageMetadata(ref(model(secured.host() + "/aim/private:1.0", "regcred")))).reason())
        .isEqualTo("ImageMetadataFound");
    cluster.client().resources(AIMModel.class).inNamespace(NS).withName(MODEL).delete();
    ComponentHealth denied = only(activities.imageMetadata(ref(model(secured.host() + "/aim/private:1.0", "wrong"))));
    assertThat(denied)
        .extracting(ComponentHealth::error, ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(ErrorCategory.AUTH, AIMStatus.Failed, "MetadataExtractionFailed");
    assertThat(denied.message()).doesNotContain("nope");
  }

  @Test
  void clusterModelsUseSecretsOfTheOperatorNamespace() {
    secret(OPERATOR_NS, PullSecretFixtures.dockerConfigJson("regcred", secured.host(), "robot", "s3cret"));
    AIMClusterModel m = Fixtures.clusterModel(MODEL, secured.host() + "/aim/private:1.0", null);
    m.getSpec().imagePullSecrets = secretRefs("regcred");

    assertThat(only(activities.imageMetadata(ref(cluster.create(m)))).reason()).isEqualTo("ImageMetadataFound");
  }

  @Test
  void anUnreachableRegistryDegradesTheModel() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ModelActivitiesImpl quick =
        new ModelActivitiesImpl(
            cluster.kube(), new RegistryClient(new RegistrySettings(Set.of(), Map.of(), null, null, null, Duration.ofSeconds(2))), OPERATOR_NS);

    ComponentHealth health = only(quick.imageMetadata(ref(model("127.0.0.1:" + closed + "/aim/qwen:0.8.5"))));

    assertThat(health)
        .extracting(ComponentHealth::error, ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(ErrorCategory.INFRASTRUCTURE, AIMStatus.Degraded, "MetadataExtractionFailed");
  }

  @Test
  void unreadableLabelsAreAnInvalidSpec() {
    ComponentHealth health = only(activities.imageMetadata(ref(model(registry.host() + "/aim/broken:1.0"))));

    assertThat(health)
        .extracting(ComponentHealth::error, ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(ErrorCategory.INVALID_SPEC, AIMStatus.Failed, "MetadataExtractionFailed");
    assertThat(health.message()).startsWith("image label com.amd.aim.model.recommendedDeployments is not valid");
  }

  @Test
  void inlineOrCachedMetadataNeedsNoRegistry() {
    ImageInspector never = (image, keychain) -> {
      throw new AssertionError("the registry must not be asked for " + image);
    };
    ModelActivitiesImpl offline = new ModelActivitiesImpl(cluster.kube(), never, OPERATOR_NS);
    ImageMetadata md = new ImageMetadata();
    md.model = new ImageMetadata.ModelMetadata();
    md.model.canonicalName = "Qwen/Qwen3-32B";

    AIMModel inline = Fixtures.model(NS, MODEL, "unresolvable.invalid/aim/qwen:1", null);
    inline.getSpec().imageMetadata = md;
    assertThat(only(offline.imageMetadata(ref(cluster.create(inline)))).reason()).isEqualTo("ImageMetadataFound");

    AIMModel cached = Fixtures.model(NS, "cached", "unresolvable.invalid/aim/qwen:1", aim.orchestrator.model.ResourceStatusValue.Progressing);
    cached.getStatus().imageMetadata = md;
    assertThat(only(offline.imageMetadata(ref(cluster.create(cached)))).reason()).isEqualTo("ImageMetadataFound");
  }
}
