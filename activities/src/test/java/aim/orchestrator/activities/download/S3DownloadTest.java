package aim.orchestrator.activities.download;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.activities.download.DownloadException.Reason;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The downloader against S3Proxy (in-process, in-memory blob store, SigV4 credentials) on loopback.
 */
class S3DownloadTest {
  static final String ACCESS_KEY = "access-key";
  static final String SECRET_KEY = "secret-key-do-not-leak";
  static final int PART = 64 * 1024;
  static final byte[] CONFIG = "{\"model_type\":\"llama\"}\n".getBytes(StandardCharsets.UTF_8);
  static final byte[] WEIGHTS = FakeHub.randomBytes(3 * PART + 4321, 7);
  static final byte[] TOKENIZER = FakeHub.randomBytes(5000, 8);

  /** One S3Proxy for the class: objects are only read, and a restart per test costs seconds. */
  static S3Harness s3;

  static final Downloader.Options FAST =
      Downloader.Options.defaults()
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
          .withStallTimeout(Duration.ofSeconds(10))
          .withProgressInterval(Duration.ofMillis(20));

  @TempDir Path target;

  /** The Range headers of every GET the client sent, as they went on the wire. */
  final List<String> ranges = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startS3() throws IOException {
    s3 = new S3Harness();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  static void seed(String endpoint) {
    try (S3Client s3 = syncClient(endpoint)) {
      s3.createBucket(b -> b.bucket("models"));
      put(s3, "llama/config.json", CONFIG);
      put(s3, "llama/model.safetensors", WEIGHTS);
      put(s3, "llama/tokenizer/tokenizer.json", TOKENIZER);
      // Neighbours that share the prefix string but not the folder must not be downloaded.
      put(s3, "llama2/config.json", CONFIG);
      put(s3, "llama-other.txt", CONFIG);
      s3.createBucket(b -> b.bucket("empty"));
    }
  }

  static S3Client syncClient(String endpoint) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  private static void put(S3Client s3, String key, byte[] content) {
    s3.putObject(b -> b.bucket("models").key(key), RequestBody.fromBytes(content));
  }

  static Map<String, String> env(String secret) {
    return Map.of(
        "AWS_ENDPOINT_URL",
        s3.endpoint(),
        "AWS_ACCESS_KEY_ID",
        ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY",
        secret,
        "AWS_DEFAULT_REGION",
        "us-east-1");
  }

  S3Source source(String bucket, String prefix, String secret) {
    ExecutionInterceptor recorder =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            context.httpRequest().firstMatchingHeader("Range").ifPresent(ranges::add);
          }
        };
    return new S3Source(
        S3Source.clientBuilder(env(secret))
            .overrideConfiguration(c -> c.addExecutionInterceptor(recorder))
            .build(),
        bucket,
        prefix,
        PART,
        true);
  }

  @Test
  void downloadsAPrefixWithRangedParts() throws IOException {
    DownloadStats stats;
    try (S3Source source = source("models", "llama", SECRET_KEY)) {
      stats = new Downloader(FAST).download(source, target, ProgressListener.NONE);
    }

    assertThat(target.resolve("config.json")).hasBinaryContent(CONFIG);
    assertThat(target.resolve("model.safetensors")).hasBinaryContent(WEIGHTS);
    assertThat(target.resolve("tokenizer/tokenizer.json")).hasBinaryContent(TOKENIZER);
    try (var files = Files.walk(target)) {
      assertThat(files.filter(Files::isRegularFile))
          .filteredOn(f -> !f.getFileName().toString().equals(CompletionMarker.FILE))
          .hasSize(3);
    }
    assertThat(stats.files()).isEqualTo(3);
    assertThat(stats.bytes()).isEqualTo(CONFIG.length + WEIGHTS.length + TOKENIZER.length);
    // The weights are larger than a part: four ranged GETs, each one part long.
    assertThat(ranges)
        .contains(
            "bytes=0-65535",
            "bytes=65536-131071",
            "bytes=131072-196607",
            "bytes=196608-" + (WEIGHTS.length - 1));
  }

  @Test
  void resumesAPartialObjectFromWhereItStopped() throws IOException {
    Files.write(target.resolve("model.safetensors.incomplete"), Arrays.copyOf(WEIGHTS, 70_000));

    DownloadStats stats;
    try (S3Source source = source("models", "llama/", SECRET_KEY)) {
      stats = new Downloader(FAST).download(source, target, ProgressListener.NONE);
    }

    assertThat(target.resolve("model.safetensors")).hasBinaryContent(WEIGHTS);
    assertThat(ranges).contains("bytes=70000-135535").doesNotContain("bytes=0-65535");
    assertThat(stats.resumedBytes()).isEqualTo(70_000);
  }

  @Test
  void aMissingBucketIsSourceNotFound() {
    DownloadException e =
        HuggingFaceDownloadTest.failure(
            () -> {
              try (S3Source source = source("no-such-bucket", "llama", SECRET_KEY)) {
                new Downloader(FAST).download(source, target, ProgressListener.NONE);
              }
            });

    assertThat(e.reason()).isEqualTo(Reason.SOURCE_NOT_FOUND);
    assertThat(e.getMessage()).contains("NoSuchBucket", "404");
    assertThat(ReferenceLogClassifier.classify(e.getMessage())).isEqualTo("SourceNotFound");
  }

  @Test
  void anEmptyPrefixIsSourceNotFound() {
    DownloadException e =
        HuggingFaceDownloadTest.failure(
            () -> {
              try (S3Source source = source("models", "missing-model", SECRET_KEY)) {
                new Downloader(FAST).download(source, target, ProgressListener.NONE);
              }
            });

    assertThat(e.reason()).isEqualTo(Reason.SOURCE_NOT_FOUND);
    assertThat(e.getMessage()).contains("NoSuchKey", "s3://models/missing-model/");
    assertThat(ReferenceLogClassifier.classify(e.getMessage())).isEqualTo("SourceNotFound");
  }

  @Test
  void wrongCredentialsAreAnAuthErrorThatDoesNotLeakTheSecret() {
    String wrongSecret = "wrong-secret-value-42";
    DownloadException e =
        HuggingFaceDownloadTest.failure(
            () -> {
              try (S3Source source = source("models", "llama", wrongSecret)) {
                new Downloader(FAST).download(source, target, ProgressListener.NONE);
              }
            });

    assertThat(e.reason()).isEqualTo(Reason.AUTH);
    assertThat(e.getMessage())
        .contains("403", "AccessDenied", "invalid credentials")
        .doesNotContain(wrongSecret);
    assertThat(ReferenceLogClassifier.classify(e.getMessage())).isEqualTo("AuthError");
  }

  @Test
  void s3UrisAreParsed() throws DownloadException {
    try (S3Source s = S3Source.fromUri("s3://bucket/some/prefix", env(SECRET_KEY))) {
      assertThat(s.location()).isEqualTo("s3://bucket/some/prefix/");
      assertThat(s.protocol()).isEqualTo("S3");
    }
    try (S3Source whole = S3Source.fromUri("s3://bucket", env(SECRET_KEY))) {
      assertThat(whole.location()).isEqualTo("s3://bucket/");
    }
  }
}
