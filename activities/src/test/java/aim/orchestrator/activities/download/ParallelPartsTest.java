package aim.orchestrator.activities.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large files in parallel byte ranges: a 64 MiB file (generated on the fly) in 1 MiB parts on four connections, a
 * download killed halfway and resumed from the journal of finished parts, a corrupted part caught by the file's
 * SHA-256, and an S3 object in parts.
 */
class ParallelPartsTest {
  static final String REPO = "acme/big";
  static final int PART = 1024 * 1024;
  static final byte[] BIG = FakeHub.randomBytes(64 * PART + 12345, 64);
  static final int CONNECTIONS = 4;
  static FakeHub hub;

  static final Downloader.Options PARTS =
      Downloader.Options.defaults()
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
          .withStallTimeout(Duration.ofSeconds(20))
          .withProgressInterval(Duration.ofMillis(20))
          .withConnectionsPerFile(CONNECTIONS)
          .withPartSize(PART);

  @TempDir Path target;

  @BeforeAll
  static void startHub() throws IOException {
    hub = new FakeHub();
    hub.repo(REPO).file("config.json", "{}".getBytes()).lfsFile("model.safetensors", BIG);
  }

  @AfterAll
  static void stopHub() {
    hub.close();
  }

  HuggingFaceSource source() {
    return HuggingFaceSource.builder(REPO).endpoint(hub.endpoint()).build();
  }

  @Test
  void aLargeFileComesInByteRangesOnSeveralConnections() throws IOException {
    hub.clearRequests();

    DownloadStats stats = new Downloader(PARTS).download(source(), target, ProgressListener.NONE);

    assertThat(target.resolve("model.safetensors")).hasBinaryContent(BIG);
    assertThat(stats.fetchedBytes()).isEqualTo(BIG.length + 2);
    List<FakeHub.Request> gets = hub.blobGets(REPO, "model.safetensors");
    assertThat(gets).hasSize(65);
    assertThat(gets).allSatisfy(r -> assertThat(r.range()).matches("bytes=\\d+-\\d+"));
    assertThat(gets).extracting(FakeHub.Request::rangeStart).containsExactlyInAnyOrderElementsOf(
        java.util.stream.LongStream.rangeClosed(0, 64).map(i -> i * PART).boxed().toList());
    assertThat(target.resolve("model.safetensors" + Downloader.JOURNAL_SUFFIX)).doesNotExist();
  }

  @Test
  void aDownloadKilledHalfwayFetchesAgainAtMostTheMissingBytesPlusOnePart() throws Exception {
    // 4 MiB parts: checkpoints every 1 MiB, so the four connections in flight at the kill lose at most one part.
    long part = 4L * PART;
    Downloader.Options options = PARTS.withPartSize(part);
    AtomicLong writtenAtKill = new AtomicLong();
    AtomicReference<Thread> runner = new AtomicReference<>();
    // "Kill the Pod" once half the file is in: the run is interrupted mid-transfer, nothing is cleaned up.
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () -> {
              runner.set(Thread.currentThread());
              try {
                new Downloader(options.withProgressInterval(Duration.ofMillis(5)))
                    .download(
                        source(),
                        target,
                        p -> {
                          if (p.downloadedBytes() >= BIG.length / 2 && writtenAtKill.get() == 0) {
                            writtenAtKill.set(p.downloadedBytes());
                            runner.get().interrupt();
                          }
                        });
              } catch (DownloadException e) {
                // killed
              }
            });
    first.get();
    assertThat(writtenAtKill.get()).isPositive();
    assertThat(target.resolve("model.safetensors")).doesNotExist();
    assertThat(target.resolve("model.safetensors" + Downloader.JOURNAL_SUFFIX)).exists();

    DownloadStats second = new Downloader(options).download(source(), target, ProgressListener.NONE);

    assertThat(target.resolve("model.safetensors")).hasBinaryContent(BIG);
    long missing = BIG.length - writtenAtKill.get();
    // The small config.json (2 bytes) may or may not have been in place at the kill.
    long fetchedOfTheBigFile = second.fetchedBytes() - (second.skippedFiles() == 1 ? 0 : 2);
    // Everything the journal vouches for (finished parts, checkpoints of the others) is kept.
    assertThat(fetchedOfTheBigFile).isLessThanOrEqualTo(missing + part);
    assertThat(fetchedOfTheBigFile).isEqualTo(BIG.length - second.resumedBytes());
  }

  @Test
  void aCorruptedPartIsCaughtByTheFilesDigestAndTheFileFetchedAgain() throws Exception {
    // A partial file and journal as a crash would leave them, but one "finished" part holds wrong bytes.
    Path partial = target.resolve("model.safetensors" + Downloader.PARTIAL_SUFFIX);
    Path journal = target.resolve("model.safetensors" + Downloader.JOURNAL_SUFFIX);
    PartJournal j = PartJournal.open(journal, partial, BIG.length, PART);
    byte[] content = BIG.clone();
    content[PART + 7] ^= 1;
    Files.write(partial, content);
    for (int i = 0; i < 10; i++) {
      j.finish(i);
    }

    DownloadStats stats = new Downloader(PARTS).download(source(), target, ProgressListener.NONE);

    assertThat(target.resolve("model.safetensors")).hasBinaryContent(BIG);
    assertThat(stats.resumedBytes()).isEqualTo(10L * PART);
    // The resumed attempt failed its SHA-256; one clean attempt fetched the whole file.
    assertThat(stats.fetchedBytes() - 2).isEqualTo(BIG.length - 10L * PART + BIG.length);
  }

  @Test
  void anS3ObjectComesInParts() throws IOException {
    try (S3Harness s3 = new S3Harness();
        S3Source source =
            S3Source.fromUri(
                "s3://models/llama",
                java.util.Map.of(
                    "AWS_ENDPOINT_URL", s3.endpoint(),
                    "AWS_ACCESS_KEY_ID", S3DownloadTest.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", S3DownloadTest.SECRET_KEY,
                    "AWS_DEFAULT_REGION", "us-east-1"))) {
      DownloadStats stats =
          new Downloader(PARTS.withPartSize(64 * 1024)).download(source, target, ProgressListener.NONE);

      assertThat(target.resolve("model.safetensors")).hasBinaryContent(S3DownloadTest.WEIGHTS);
      assertThat(stats.files()).isEqualTo(3);
    }
  }

  @Test
  void optionsRejectNonsense() {
    assertThatThrownBy(() -> PARTS.withConnectionsPerFile(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PARTS.withPartSize(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
