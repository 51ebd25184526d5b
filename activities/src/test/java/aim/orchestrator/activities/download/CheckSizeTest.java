package aim.orchestrator.activities.download;

import static aim.orchestrator.activities.Fixtures.NS;
import static aim.orchestrator.activities.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.Fixtures;
import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.activities.impl.CacheActivitiesImpl;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ErrorCategory;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An artifact without {@code spec.size}: the storage stage asks the source for the size (Hugging Face file sizes, S3
 * object sizes) with the credentials its env names, read from Secrets inside the activity, and sizes the PVC from it.
 */
class CheckSizeTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();
  static FakeHub hub;
  static S3Harness s3;

  static final byte[] WEIGHTS = FakeHub.randomBytes(3_000_000, 11);
  static final byte[] CONFIG = "{\"model_type\":\"qwen3\"}\n".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  static void start() throws IOException {
    hub = new FakeHub();
    hub.repo("acme/open").file("config.json", CONFIG).lfsFile("model.safetensors", WEIGHTS);
    hub.repo("acme/gated").file("config.json", CONFIG).lfsFile("model.safetensors", WEIGHTS).gated("hf_secret_token");
    s3 = new S3Harness();
  }

  @AfterAll
  static void stop() {
    hub.close();
    s3.close();
  }

  CacheActivitiesImpl activities() {
    return new CacheActivitiesImpl(cluster.kube(), Map.of("HF_ENDPOINT", hub.endpoint()));
  }

  AIMArtifact artifact(String uri, List<EnvVar> env) {
    AIMArtifact a = Fixtures.artifact(NS, "sized-by-source", uri, null, null);
    a.getSpec().env = env;
    return cluster.create(a);
  }

  static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef(key, secret, false).endValueFrom().build();
  }

  void secret(String name, Map<String, String> data) {
    cluster.client().secrets().inNamespace(NS).resource(
        new SecretBuilder().withNewMetadata().withName(name).endMetadata().withStringData(data).build()).create();
  }

  @Test
  void aHuggingFaceSourceIsSizedFromItsFileList() {
    AIMArtifact a = artifact("hf://acme/open", null);

    StageResult result = activities().artifactStorage(ref(a));

    long bytes = WEIGHTS.length + CONFIG.length;
    assertThat(result.components()).extracting(ComponentHealth::component, ComponentHealth::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("CheckSize", "SizeDiscovered"),
            org.assertj.core.groups.Tuple.tuple("CachePvc", "PVCPending"));
    assertThat(result.statusFields()).containsEntry("discoveredSizeBytes", bytes).containsEntry("displaySize", "2.9Mi");
    var pvc = cluster.client().persistentVolumeClaims().inNamespace(NS)
        .withName(DerivedNames.artifactPvc(a.getMetadata().getName(), a.getMetadata().getUid())).get();
    assertThat(pvc.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("1Gi"));
  }

  @Test
  void theTokenComesFromTheSecretTheEnvNames() {
    secret("hf", Map.of("token", "hf_secret_token"));
    AIMArtifact a = artifact("hf://acme/gated", List.of(fromSecret("HF_TOKEN", "hf", "token")));

    StageResult result = activities().artifactStorage(ref(a));

    assertThat(result.components().get(0).reason()).isEqualTo("SizeDiscovered");
    assertThat(hub.requests()).anyMatch(r -> "Bearer hf_secret_token".equals(r.authorization()));
    // The token is used, never reported.
    assertThat(result.toString()).doesNotContain("hf_secret_token");
  }

  @Test
  void wrongCredentialsAreAnAuthError() {
    secret("s3", Map.of("id", S3DownloadTest.ACCESS_KEY, "key", "not-the-secret"));
    AIMArtifact a = artifact(
        "s3://models/llama",
        List.of(
            new EnvVar("AWS_ENDPOINT_URL", s3.endpoint(), null),
            fromSecret("AWS_ACCESS_KEY_ID", "s3", "id"),
            fromSecret("AWS_SECRET_ACCESS_KEY", "s3", "key")));

    ComponentHealth h = activities().artifactStorage(ref(a)).components().get(0);

    assertThat(h).extracting(ComponentHealth::component, ComponentHealth::error, ComponentHealth::reason)
        .containsExactly("CheckSize", ErrorCategory.AUTH, "AuthError");
    assertThat(h.message()).doesNotContain("not-the-secret");
    assertThat(cluster.client().persistentVolumeClaims().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void aMissingRepositoryIsSourceNotFound() {
    AIMArtifact a = artifact("hf://acme/does-not-exist", null);

    ComponentHealth h = activities().artifactStorage(ref(a)).components().get(0);

    assertThat(h).extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Failed, "SourceNotFound");
  }

  @Test
  void aMissingSecretIsReportedWithoutAnyValue() {
    AIMArtifact a = artifact("hf://acme/gated", List.of(fromSecret("HF_TOKEN", "nope", "token")));

    ComponentHealth h = activities().artifactStorage(ref(a)).components().get(0);

    assertThat(h.reason()).isEqualTo("ReferenceNotFound");
    assertThat(h.message()).contains("Secret ml-team/nope", "does not exist");
  }

  @Test
  void anS3PrefixIsSizedFromItsObjectsWithCredentialsFromASecret() {
    secret("s3", Map.of("id", S3DownloadTest.ACCESS_KEY, "key", S3DownloadTest.SECRET_KEY));
    AIMArtifact a = artifact(
        "s3://models/llama",
        List.of(
            new EnvVar("AWS_ENDPOINT_URL", s3.endpoint(), null),
            fromSecret("AWS_ACCESS_KEY_ID", "s3", "id"),
            fromSecret("AWS_SECRET_ACCESS_KEY", "s3", "key")));

    StageResult result = activities().artifactStorage(ref(a));

    long bytes = S3DownloadTest.CONFIG.length + S3DownloadTest.WEIGHTS.length + S3DownloadTest.TOKENIZER.length;
    assertThat(result.statusFields()).containsEntry("discoveredSizeBytes", bytes);
  }

  @Test
  void aSizeFoundBeforeIsNotAskedForAgain() {
    AIMArtifact a = artifact("hf://acme/open", null);
    activities().artifactStorage(ref(a));
    var status = new aim.orchestrator.model.AIMArtifactStatus();
    status.discoveredSizeBytes = 5L << 30;
    cluster.setStatus(a, status);
    hub.clearRequests();

    StageResult again = activities().artifactStorage(ref(a));

    assertThat(hub.requests()).isEmpty();
    assertThat(again.components().get(0).message()).startsWith("5Gi");
  }
}
