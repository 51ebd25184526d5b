package aim.orchestrator.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Names derived as the reference does. Every expected hash below was recomputed outside Java, with Python's hashlib
 * over hand-written Go JSON, so the literals check the Java encoder and hashing rather than repeat them.
 */
class DerivedNamesTest {

  private static final String SPEC_IMAGE = "amdenterpriseai/aim-qwen-qwen3-32b:0.8.5";
  private static final String SPEC_SOURCE = "hf://Qwen/Qwen3-32B";
  private static final String TEMPLATE = "amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-mi300x-lat-fp16-bf78";

  private static EnvVar hfTokenFromSecret() {
    return new EnvVarBuilder()
        .withName("HF_TOKEN")
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName("hf-secret")
        .withKey("token")
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  // The three worked examples of spec §3.8 and §3.14.

  @Test
  void specExampleModelNameForImage() {
    assertThat(DerivedNames.modelForImage(SPEC_IMAGE)).isEqualTo("aim-qwen-qwen3-32b-0-8-5-cdc1fb22");
  }

  @Test
  void specExampleInferenceServiceName() {
    assertThat(DerivedNames.inferenceService("qwen3-chat", "ml-team")).isEqualTo("qwen3-chat-a04542d9");
  }

  @Test
  void specExampleArtifactName() {
    assertThat(DerivedNames.artifact(SPEC_SOURCE, null, null, null)).isEqualTo("hf---qwen-qwen3-32b-c00b812b59");
  }

  @Test
  void emptyEnvAndEmptyStorageClassHashLikeNoEnvAndDefaultStorageClass() {
    assertThat(DerivedNames.artifact(SPEC_SOURCE, List.of(), "", null)).isEqualTo("hf---qwen-qwen3-32b-c00b812b59");
  }

  // Sanitising of parts.

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "MyService        | myservice",
        "my.service_v1    | my-service-v1",
        "--abc--          | abc",
        "a..b             | a--b",
        "''               | part",
        "___              | part",
        "\u00dcn\u00efcode  | n-code",
        "\u0130stanbul     | istanbul",
        "\u212Aelvin       | kelvin",
        "hf://Qwen/Qwen3  | hf---qwen-qwen3",
      })
  void partsAreSanitised(String part, String expected) {
    assertThat(DerivedNames.derive(List.of(part))).isEqualTo(expected);
  }

  @Test
  void partsAreCutTo63CharactersAndLoseTrailingDashes() {
    assertThat(DerivedNames.derive(List.of("a".repeat(70)))).isEqualTo("a".repeat(63));
    assertThat(DerivedNames.derive(List.of("a".repeat(62) + ".b"))).isEqualTo("a".repeat(62));
  }

  @Test
  void partsAreJoinedWithDashes() {
    assertThat(DerivedNames.derive(List.of("Template", "", "svc"))).isEqualTo("template-part-svc");
  }

  // Hash suffix.

  @Test
  void noHashInputsMeansNoSuffix() {
    assertThat(DerivedNames.derive(List.of("a", "b"))).isEqualTo("a-b");
    assertThat(DerivedNames.derive(List.of("a", "b"), List.of(), 8, 63)).isEqualTo("a-b");
  }

  @Test
  void aSingleNullHashInputHashesTheJsonNull() {
    assertThat(DerivedNames.derive(List.of("x"), (Object) null)).isEqualTo("x-74234e98");
  }

  @Test
  void zeroHashLengthMeansNoSuffix() {
    assertThat(DerivedNames.derive(List.of("svc"), List.of("ns"), 0, 63)).isEqualTo("svc");
  }

  @Test
  void hashLengthIsConfigurable() {
    assertThat(DerivedNames.derive(List.of("svc"), List.of("ns"), 4, 63)).isEqualTo("svc-e2c6");
    assertThat(DerivedNames.derive(List.of("svc"), "ns")).isEqualTo("svc-e2c6bafc");
  }

  @Test
  void hashInputsAreGoJsonJoinedWithBars() {
    // sha256 of "a\u003cb\u003e\u0026c" with the quotes.
    assertThat(DerivedNames.derive(List.of("x"), "a<b>&c")).isEqualTo("x-e888ef29");
    // sha256 of ["a","1","b","2"].
    assertThat(DerivedNames.derive(List.of("x"), Map.of("b", "2", "a", "1"))).isEqualTo("x-59851255");
    // Derived-template overrides (§3.6): "gpu"|"MI300X"|"count"|2|"precision"|"fp8"|"metric"|"throughput".
    assertThat(
            DerivedNames.derive(
                List.of("base", "ovr", "mi300x", "2gpu", "fp8", "throughput"),
                List.of("gpu", "MI300X", "count", 2, "precision", "fp8", "metric", "throughput"),
                4,
                63))
        .isEqualTo("base-ovr-mi300x-2gpu-fp8-throughput-2b79");
  }

  // Shortening.

  @Test
  void longestPartIsShortenedToMakeRoomForTheHash() {
    assertThat(DerivedNames.derive(List.of("x".repeat(60)), "ns")).isEqualTo("x".repeat(54) + "-e2c6bafc");
  }

  @Test
  void tiesShortenTheFirstPart() {
    assertThat(DerivedNames.derive(List.of("aaaa", "bbbb"), List.of(), 0, 8)).isEqualTo("aaa-bbbb");
    assertThat(DerivedNames.derive(List.of("a".repeat(40), "b".repeat(40))))
        .isEqualTo("a".repeat(31) + "-" + "b".repeat(31));
  }

  @Test
  void shorteningTrimsATrailingDash() {
    assertThat(DerivedNames.derive(List.of("abcdefghij-kl"), List.of(), 0, 11)).isEqualTo("abcdefghij");
  }

  @Test
  void shorteningStopsAtOneCharacterPartsEvenIfTheNameStaysTooLong() {
    assertThat(DerivedNames.derive(List.of("a", "b"), List.of("x"), 8, 5)).isEqualTo("a-b-ba2df490");
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThatThrownBy(() -> DerivedNames.derive(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DerivedNames.derive(List.of("a"), List.of(), 8, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLen");
    assertThatThrownBy(() -> DerivedNames.derive(List.of("a"), List.of(), 8, 64))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DerivedNames.derive(List.of("a"), List.of("x"), 65, 63))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hashLen");
    assertThatThrownBy(() -> DerivedNames.derive(List.of("a"), 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Double");
  }

  // InferenceService and HTTPRoute.

  @Test
  void inferenceServiceNameLeavesRoomForKServeHostLabel() {
    String longService = "a-very-long-service-name-for-the-chat-model-x";
    String isvc = DerivedNames.inferenceService(longService, "ml-team");
    assertThat(isvc).isEqualTo("a-very-long-service-name-for-the-cha-a04542d9");
    assertThat(isvc + "-predictor-ml-team").hasSize(63);
  }

  @Test
  void inferenceServiceAcceptsA42CharacterNamespace() {
    String namespace = "n".repeat(42);
    assertThat(DerivedNames.inferenceService("qwen3-chat", namespace)).isEqualTo("q-70a2a165");
  }

  @Test
  void inferenceServiceRejectsA43CharacterNamespace() {
    String namespace = "n".repeat(43);
    assertThatThrownBy(() -> DerivedNames.inferenceService("qwen3-chat", namespace))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(namespace)
        .hasMessageContaining("43 characters, at most 42");
  }

  @Test
  void httpRouteEqualsInferenceServiceForShortNames() {
    assertThat(DerivedNames.httpRoute("qwen3-chat", "ml-team")).isEqualTo("qwen3-chat-a04542d9");
  }

  @Test
  void httpRouteIsOnlyShortenedTo63() {
    String longService = "a-very-long-service-name-for-the-chat-model-x";
    assertThat(DerivedNames.httpRoute(longService, "ml-team"))
        .isEqualTo("a-very-long-service-name-for-the-chat-model-x-a04542d9");
    assertThat(DerivedNames.httpRoute("qwen3-chat", "n".repeat(43))).startsWith("qwen3-chat-");
  }

  // Template caches, artifacts and their children.

  @Test
  void sharedTemplateCacheIsHashedOverTheNamespace() {
    assertThat(DerivedNames.sharedTemplateCache(TEMPLATE, "ml-team"))
        .isEqualTo("amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-mi300x-lat-f-a04542d9");
  }

  @Test
  void dedicatedTemplateCacheIsHashedOverTheServiceUid() {
    assertThat(DerivedNames.dedicatedTemplateCache(TEMPLATE, "qwen3-chat", "5f0c5e2a-1b7e-4c41-9d7a-2f4c0e6b9a11"))
        .isEqualTo("amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-m-qwen3-chat-d332e36f");
  }

  @Test
  void artifactHashCoversEnvWithSecretKeyRef() {
    // [{"name":"HF_TOKEN","valueFrom":{"secretKeyRef":{"name":"hf-secret","key":"token"}}}]
    assertThat(DerivedNames.artifact(SPEC_SOURCE, List.of(hfTokenFromSecret()), null, null))
        .isEqualTo("hf---qwen-qwen3-32b-2c212c6549");
  }

  @Test
  void artifactEnvIsSortedByNameAndStorageClassIsHashed() {
    EnvVar endpoint = new EnvVarBuilder().withName("AWS_ENDPOINT_URL").withValue("http://minio:9000").build();
    String expected = "s3---models-meta-llama-3-1-8b-73b949e368";
    String source = "s3://models/meta/llama-3.1-8b";
    assertThat(DerivedNames.artifact(source, List.of(hfTokenFromSecret(), endpoint), "fast-rwx", null))
        .isEqualTo(expected);
    assertThat(DerivedNames.artifact(source, List.of(endpoint, hfTokenFromSecret()), "fast-rwx", null))
        .isEqualTo(expected);
  }

  @Test
  void dedicatedArtifactIsScopedToItsCache() {
    assertThat(DerivedNames.artifact(SPEC_SOURCE, null, null, "my-cache"))
        .isEqualTo("hf---qwen-qwen3-32b-9f6a5c038d");
  }

  @Test
  void artifactChildrenAreHashedOverTheArtifactUid() {
    String artifact = "hf---qwen-qwen3-32b-c00b812b59";
    String uid = "0b3f7a52-9c1d-4e8f-a6b2-7d5e3c1f9a40";
    assertThat(DerivedNames.artifactPvc(artifact, uid)).isEqualTo("hf---qwen-qwen3-32b-c00b812b59-cache-c05412e6");
    assertThat(DerivedNames.artifactDownloadJob(artifact, uid))
        .isEqualTo("hf---qwen-qwen3-32b-c00b812b59-download-c05412e6");
    assertThat(DerivedNames.artifactCheckSizeJob(artifact, uid))
        .isEqualTo("hf---qwen-qwen3-32b-c00b812b59-check-size-c05412e6");
  }

  // Models for images.

  @Test
  void modelForDigestImageUsesTheFirstSixDigestCharacters() {
    assertThat(DerivedNames.modelForImage("ghcr.io/silogen/llama-3-8b@sha256:abcdef0123456789"))
        .isEqualTo("llama-3-8b-abcdef-5410eef7");
  }

  @Test
  void modelForImageFromRegistryWithPort() {
    assertThat(DerivedNames.modelForImage("registry.example.com:5000/team/Model_X:V1.0"))
        .isEqualTo("model-x-v1-0-4fcc5114");
  }

  @Test
  void modelForInvalidImageIsRejected() {
    assertThatThrownBy(() -> DerivedNames.modelForImage("amdenterpriseai/aim-qwen:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid image reference \"amdenterpriseai/aim-qwen:\": the tag after ':' is empty");
  }

  // Label values and RFC 1123 labels.

  @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "Qwen/Qwen3-32B       | qwen_qwen3-32b",
        "'  hello  world  '   | hello_world",
        "__x__                | x",
        "a@#b                 | a_b",
        ".leading.and.trail.  | leading.and.trail",
        "v1.2_rc-3            | v1.2_rc-3",
        "''                   | ''",
        "!!!                  | ''",
      })
  void labelValuesAreSanitised(String value, String expected) {
    assertThat(DerivedNames.labelValue(value)).isEqualTo(expected);
  }

  @Test
  void labelValuesAreCutTo63() {
    assertThat(DerivedNames.labelValue("a".repeat(70))).isEqualTo("a".repeat(63));
    assertThat(DerivedNames.labelValue("a".repeat(62) + "!b")).isEqualTo("a".repeat(62));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "Hello_World | hello-world",
        "--a--       | a",
        "a..b        | a--b",
        "ML Team!    | ml-team",
        "''          | ''",
      })
  void rfc1123LabelsAreSanitised(String value, String expected) {
    assertThat(DerivedNames.rfc1123(value)).isEqualTo(expected);
  }

  @Test
  void rfc1123LabelsAreCutTo63() {
    assertThat(DerivedNames.rfc1123("b".repeat(70))).isEqualTo("b".repeat(63));
    assertThat(DerivedNames.rfc1123("b".repeat(62) + "_c")).isEqualTo("b".repeat(62));
  }
}
