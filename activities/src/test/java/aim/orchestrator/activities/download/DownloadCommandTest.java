package aim.orchestrator.activities.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import aim.orchestrator.activities.MockCluster;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactSpec;
import aim.orchestrator.model.AIMArtifactStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DownloadCommand} in-process: the env contract, exit codes, the result line, classifier
 * wording, status.
 */
class DownloadCommandTest {
  static final String NAMESPACE = "models";
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final MockCluster cluster = new MockCluster();

  @TempDir Path target;
  FakeHub hub;
  final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub();
    HuggingFaceDownloadTest.seed(hub);
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  Map<String, String> env(String... extra) {
    Map<String, String> env = new HashMap<>();
    env.put("TARGET_DIR", target.toString());
    env.put("HF_ENDPOINT", hub.endpoint());
    env.put("STALL_TIMEOUT", "5");
    env.put("PROGRESS_INTERVAL", "0.05");
    env.put("AIM_DOWNLOADER_PROTOCOL", "XET,HF_TRANSFER");
    for (int i = 0; i < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    return env;
  }

  int run(Map<String, String> env, String... args) {
    try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      return new DownloadCommand(env, out, err, cluster::client).run(args);
    }
  }

  String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  String log() {
    return out() + errBytes.toString(StandardCharsets.UTF_8);
  }

  JsonNode resultLine() throws IOException {
    List<String> lines = out().lines().toList();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  @Test
  void downloadsIntoTheTargetDirAndPrintsAnOkResult() throws IOException {
    int exit = run(env(), "hf://" + HuggingFaceDownloadTest.REPO);

    assertThat(exit).as(log()).isZero();
    assertThat(target.resolve("config.json")).hasBinaryContent(HuggingFaceDownloadTest.CONFIG);
    assertThat(target.resolve("model.safetensors"))
        .hasBinaryContent(HuggingFaceDownloadTest.WEIGHTS);
    assertThat(target.resolve("extra/nested/generation_config.txt")).exists();
    JsonNode result = resultLine();
    assertThat(result.get("result").asText()).isEqualTo("ok");
    assertThat(result.get("files").asInt()).isEqualTo(5);
    assertThat(result.get("bytes").asLong())
        .isEqualTo(
            Files.size(target.resolve("model.safetensors"))
                + HuggingFaceDownloadTest.CONFIG.length
                + HuggingFaceDownloadTest.TOKENIZER.length
                + HuggingFaceDownloadTest.NESTED.length);
    assertThat(result.get("reason").isNull()).isTrue();
    // Not a terminal: machine-readable progress lines, the last one at 100 %.
    List<JsonNode> progress =
        out().lines().filter(l -> l.contains("\"event\":\"progress\"")).map(DownloadCommandTest::json).toList();
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1).get("percentage").asInt()).isEqualTo(100);
  }

  static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theResultIsAlsoTheTerminationMessage() throws IOException {
    Path termination = Files.createTempFile("termination", ".log");

    int exit = run(env("AIM_TERMINATION_LOG", termination.toString()), "hf://amd/does-not-exist");

    assertThat(exit).isEqualTo(10);
    assertThat(DownloadCommand.reasonOfExitCode(exit)).isEqualTo(DownloadException.Reason.SOURCE_NOT_FOUND);
    JsonNode message = JSON.readTree(Files.readString(termination));
    assertThat(message.get("result").asText()).isEqualTo("error");
    assertThat(message.get("reason").asText()).isEqualTo("SourceNotFound");
  }

  @Test
  void anUnknownRepositoryExitsWithSourceNotFoundWording() throws IOException {
    int exit = run(env(), "hf://amd/does-not-exist");

    assertThat(exit).isEqualTo(10);
    assertThat(log()).contains("Repository Not Found");
    assertThat(ReferenceLogClassifier.classify(log())).isEqualTo("SourceNotFound");
    assertThat(resultLine().get("result").asText()).isEqualTo("error");
    assertThat(resultLine().get("reason").asText()).isEqualTo("SourceNotFound");
  }

  @Test
  void aGatedRepositoryWithAWrongTokenIsAnAuthErrorAndTheTokenStaysSecret() throws IOException {
    hub.repo(HuggingFaceDownloadTest.REPO).gated("hf_theRightOne");

    int exit = run(env("HF_TOKEN", "hf_wrongSecretToken"), "hf://" + HuggingFaceDownloadTest.REPO);

    assertThat(exit).isEqualTo(11);
    assertThat(ReferenceLogClassifier.classify(log())).isEqualTo("AuthError");
    assertThat(log())
        .contains("401 Unauthorized", "invalid credentials")
        .doesNotContain("hf_wrongSecretToken");
    assertThat(resultLine().get("reason").asText()).isEqualTo("AuthError");
  }

  @Test
  void aFullDiskExitsOneWithStorageFullWording() throws IOException {
    Path devFull = Path.of("/dev/full");
    assumeTrue(Files.isWritable(devFull), "needs Linux /dev/full");
    Files.createSymbolicLink(target.resolve("model.safetensors.incomplete"), devFull);

    int exit = run(env(), "hf://" + HuggingFaceDownloadTest.REPO);

    assertThat(exit).isEqualTo(12);
    assertThat(log()).contains("No space left on device");
    assertThat(ReferenceLogClassifier.classify(log())).isEqualTo("StorageFull");
    assertThat(resultLine().get("reason").asText()).isEqualTo("StorageFull");
  }

  @Test
  void patchesTheArtifactStatusItselfWhenAskedTo() throws IOException {
    AIMArtifact artifact = new AIMArtifact();
    artifact.setMetadata(new ObjectMetaBuilder().withName("tiny").withNamespace(NAMESPACE).build());
    AIMArtifactSpec spec = new AIMArtifactSpec();
    spec.sourceUri = "hf://" + HuggingFaceDownloadTest.REPO;
    artifact.setSpec(spec);
    cluster.create(artifact);

    int exit =
        run(
            env("ARTIFACT_NAME", "tiny", "ARTIFACT_NAMESPACE", NAMESPACE, "AIM_DOWNLOADER_PATCH_STATUS", "true"),
            "hf://" + HuggingFaceDownloadTest.REPO);

    assertThat(exit).as(log()).isZero();
    AIMArtifactStatus status =
        cluster
            .client()
            .resources(AIMArtifact.class)
            .inNamespace(NAMESPACE)
            .withName("tiny")
            .get()
            .getStatus();
    long total = resultLine().get("bytes").asLong();
    assertThat(status.progress.percentage).isEqualTo(100);
    assertThat(status.progress.displayPercentage).isEqualTo("100%");
    assertThat(status.progress.totalBytes).isEqualTo(total);
    assertThat(status.progress.downloadedBytes).isEqualTo(total);
    assertThat(status.download.protocol).isEqualTo("HTTP");
    assertThat(status.download.attempt).isEqualTo(1);
    assertThat(status.download.totalAttempts).isEqualTo(1);
    assertThat(status.download.protocolSequence).isEqualTo("HTTP");
    assertThat(status.download.message).isEqualTo("Complete");
    assertThat(log()).doesNotContain("WARN");
  }

  @Test
  void downloadsAnS3PrefixAndMapsWrongCredentialsToAuthError() throws IOException {
    try (S3Harness s3 = new S3Harness()) {
      Map<String, String> env =
          env(
              "AWS_ENDPOINT_URL",
              s3.endpoint(),
              "AWS_ACCESS_KEY_ID",
              S3DownloadTest.ACCESS_KEY,
              "AWS_SECRET_ACCESS_KEY",
              S3DownloadTest.SECRET_KEY,
              "AIM_S3_PART_SIZE_BYTES",
              "65536");

      assertThat(run(env, "s3://models/llama")).as(log()).isZero();
      assertThat(target.resolve("model.safetensors")).hasBinaryContent(S3DownloadTest.WEIGHTS);
      assertThat(resultLine().get("files").asInt()).isEqualTo(3);

      outBytes.reset();
      errBytes.reset();
      env.put("AWS_SECRET_ACCESS_KEY", "definitely-wrong-secret");
      Files.delete(target.resolve("config.json"));
      assertThat(run(env, "s3://models/llama")).isEqualTo(11);
      assertThat(ReferenceLogClassifier.classify(log())).isEqualTo("AuthError");
      assertThat(log()).doesNotContain("definitely-wrong-secret");
    }
  }

  @Test
  void usageAndBadUrisFail() throws IOException {
    assertThat(run(env())).isEqualTo(2);
    assertThat(run(env(), "gs://bucket/model")).isEqualTo(15);
    assertThat(resultLine().get("reason").asText()).isEqualTo("InvalidSource");
    assertThat(run(env("STALL_TIMEOUT", "soon"), "hf://" + HuggingFaceDownloadTest.REPO))
        .isEqualTo(1);
    assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("STALL_TIMEOUT");
  }
}
