package aim.orchestrator.activities.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import aim.orchestrator.activities.download.DownloadException.Reason;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The downloader against {@link FakeHub}: layout, resume, retries, verification, errors, stalls,
 * progress.
 */
class HuggingFaceDownloadTest {
  static final String REPO = "amd/tiny-model";
  static final byte[] CONFIG =
      "{\"architectures\":[\"LlamaForCausalLM\"],\"hidden_size\":64}\n"
          .getBytes(StandardCharsets.UTF_8);
  static final byte[] WEIGHTS = FakeHub.randomBytes(600 * 1024 + 17, 1);
  static final byte[] TOKENIZER = FakeHub.randomBytes(40 * 1024, 2);
  static final byte[] NESTED = "nested file\n".getBytes(StandardCharsets.UTF_8);

  /** Fast retries and a short stall timeout keep fault tests quick. */
  static final Downloader.Options FAST =
      Downloader.Options.defaults()
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
          .withStallTimeout(Duration.ofSeconds(10))
          .withProgressInterval(Duration.ofMillis(20));

  @TempDir Path target;
  FakeHub hub;

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub();
    seed(hub);
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  static void seed(FakeHub hub) {
    hub.repo(REPO)
        .file("config.json", CONFIG)
        .lfsFile("model.safetensors", WEIGHTS)
        .lfsFile("tokenizer.json", TOKENIZER)
        .file("extra/nested/generation_config.txt", NESTED)
        .file("empty.txt", new byte[0]);
  }

  /** The {@link DownloadException} the call throws (fails the test if it throws nothing). */
  static DownloadException failure(ThrowingCallable call) {
    DownloadException e = catchThrowableOfType(DownloadException.class, call);
    assertThat(e).as("expected a DownloadException").isNotNull();
    return e;
  }

  HuggingFaceSource source() {
    return HuggingFaceSource.builder(REPO).endpoint(hub.endpoint()).build();
  }

  DownloadStats download(DownloadSource source) throws DownloadException {
    return new Downloader(FAST).download(source, target, ProgressListener.NONE);
  }

  void assertRepoLayout() throws IOException {
    assertThat(target.resolve("config.json")).hasBinaryContent(CONFIG);
    assertThat(target.resolve("model.safetensors")).hasBinaryContent(WEIGHTS);
    assertThat(target.resolve("tokenizer.json")).hasBinaryContent(TOKENIZER);
    assertThat(target.resolve("extra/nested/generation_config.txt")).hasBinaryContent(NESTED);
    assertThat(target.resolve("empty.txt")).isEmptyFile();
    try (Stream<Path> all = Files.walk(target)) {
      assertThat(all.filter(p -> p.toString().endsWith(Downloader.PARTIAL_SUFFIX))).isEmpty();
    }
  }

  @Test
  void fullDownloadLandsInTheRepositoryLayout() throws IOException {
    DownloadStats stats = download(source());

    assertRepoLayout();
    long total = CONFIG.length + WEIGHTS.length + TOKENIZER.length + NESTED.length;
    assertThat(stats.files()).isEqualTo(5);
    assertThat(stats.bytes()).isEqualTo(total);
    assertThat(stats.fetchedBytes()).isEqualTo(total);
    assertThat(stats.skippedFiles()).isZero();
    assertThat(stats.resumedBytes()).isZero();
    // Downloads are pinned to the commit the listing reported, and no "CDN" request needs a Range
    // or a token.
    String commit = hub.repo(REPO).commit;
    assertThat(hub.requests())
        .filteredOn(r -> r.path().contains("/resolve/"))
        .allSatisfy(r -> assertThat(r.path()).startsWith("/" + REPO + "/resolve/" + commit + "/"));
    assertThat(hub.blobGets(REPO, "model.safetensors"))
        .singleElement()
        .satisfies(r -> assertThat(r.range()).isNull());
  }

  @Test
  void resumesAfterTheConnectionDropsMidFile() throws IOException {
    hub.dropConnectionOnce(REPO, "model.safetensors", 256 * 1024);

    DownloadStats stats = download(source());

    assertRepoLayout();
    List<FakeHub.Request> gets = hub.blobGets(REPO, "model.safetensors");
    assertThat(gets).hasSize(2);
    assertThat(gets.get(0).range()).isNull();
    assertThat(gets.get(1).rangeStart()).isPositive().isLessThanOrEqualTo(256 * 1024);
    assertThat(stats.resumedBytes()).isEqualTo(gets.get(1).rangeStart());
  }

  @Test
  void resumesAPartialFileLeftByAnEarlierRun() throws IOException {
    Files.write(target.resolve("model.safetensors.incomplete"), Arrays.copyOf(WEIGHTS, 100_000));

    DownloadStats stats = download(source());

    assertRepoLayout();
    assertThat(hub.blobGets(REPO, "model.safetensors"))
        .singleElement()
        .satisfies(r -> assertThat(r.range()).isEqualTo("bytes=100000-"));
    assertThat(stats.resumedBytes()).isEqualTo(100_000);
    assertThat(stats.fetchedBytes()).isEqualTo(stats.bytes() - 100_000);
  }

  @Test
  void startsOverWhenTheServerAnswersARangeWithTheWholeFile() throws IOException {
    // Garbage in the partial file proves it was discarded, not extended.
    Files.write(target.resolve("model.safetensors.incomplete"), new byte[5000]);
    hub.ignoreRange(REPO, "model.safetensors");
    List<DownloadProgress> reports = Collections.synchronizedList(new ArrayList<>());

    new Downloader(FAST).download(source(), target, reports::add);

    assertRepoLayout();
    assertThat(hub.blobGets(REPO, "model.safetensors"))
        .singleElement()
        .satisfies(r -> assertThat(r.range()).isEqualTo("bytes=5000-"));
    assertMonotonicAndComplete(reports);
  }

  @Test
  void aCorruptPartialFileIsDetectedAndDownloadedAgainFromTheStart() throws IOException {
    // A crash can leave a partial file whose tail never reached the disk intact.
    byte[] torn = Arrays.copyOf(WEIGHTS, 200_000);
    Arrays.fill(torn, 150_000, 200_000, (byte) 0);
    Files.write(target.resolve("model.safetensors.incomplete"), torn);

    DownloadStats stats = download(source());

    assertRepoLayout();
    List<FakeHub.Request> gets = hub.blobGets(REPO, "model.safetensors");
    assertThat(gets).extracting(FakeHub.Request::range).containsExactly("bytes=200000-", null);
    assertThat(stats.fetchedBytes()).isEqualTo(stats.bytes() - 200_000 + WEIGHTS.length);
  }

  @Test
  void retriesServiceUnavailable() throws IOException {
    hub.fail503(REPO, "config.json", 2);

    download(source());

    assertRepoLayout();
    assertThat(hub.blobGets(REPO, "config.json")).hasSize(3);
  }

  @Test
  void aWrongSha256FailsVerificationAndLeavesNoFile() throws IOException {
    hub.repo(REPO).lfsFileWithWrongSha("bad.bin", FakeHub.randomBytes(10_000, 3));

    DownloadException e = failure(() -> download(source()));

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e.getMessage()).contains("bad.bin", "sha256 mismatch");
    assertThat(target.resolve("bad.bin")).doesNotExist();
    assertThat(target.resolve("bad.bin.incomplete")).doesNotExist();
  }

  @Test
  void aReRunOfACompleteCacheMakesNoRequestAtAllAndTheVerifyModeRepairsADamagedFile()
      throws IOException {
    download(source());
    assertThat(target.resolve(CompletionMarker.FILE)).exists();
    hub.clearRequests();

    DownloadStats again = download(source());

    assertThat(again.skippedFiles()).isEqualTo(5);
    assertThat(again.fetchedBytes()).isZero();
    // The completion marker vouches for the snapshot: not even the listing is requested.
    assertThat(hub.requests()).isEmpty();

    // Same size, different bytes: only the verify mode's digest check catches it, and only that
    // file is fetched again.
    byte[] damaged = WEIGHTS.clone();
    damaged[1234] ^= 1;
    Files.write(target.resolve("model.safetensors"), damaged);
    hub.clearRequests();

    DownloadStats repaired =
        new Downloader(FAST.withTrustCompletionMarker(false))
            .download(source(), target, ProgressListener.NONE);

    assertRepoLayout();
    assertThat(repaired.skippedFiles()).isEqualTo(4);
    assertThat(hub.requests()).filteredOn(r -> r.path().startsWith("/blobs/")).hasSize(1);
  }

  @Test
  void aMissingFileMakesTheMarkerVoidAndOnlyThatFileIsFetched() throws IOException {
    download(source());
    Files.delete(target.resolve("tokenizer.json"));
    hub.clearRequests();

    DownloadStats again = download(source());

    assertRepoLayout();
    assertThat(again.skippedFiles()).isEqualTo(4);
    assertThat(again.fetchedBytes()).isEqualTo(TOKENIZER.length);
  }

  @Test
  void anUnknownRepositoryIsSourceNotFound() {
    HuggingFaceSource missing =
        HuggingFaceSource.builder("amd/no-such-model").endpoint(hub.endpoint()).build();

    DownloadException e = failure(() -> download(missing));

    assertThat(e.reason()).isEqualTo(Reason.SOURCE_NOT_FOUND);
    assertThat(e.getMessage()).contains("Repository Not Found", "404");
    assertThat(ReferenceLogClassifier.classify(e.getMessage())).isEqualTo("SourceNotFound");
  }

  @Test
  void anUnknownRevisionIsSourceNotFound() {
    HuggingFaceSource missing =
        HuggingFaceSource.builder(REPO).endpoint(hub.endpoint()).revision("refs/pr/404").build();

    DownloadException e = failure(() -> download(missing));

    assertThat(e.reason()).isEqualTo(Reason.SOURCE_NOT_FOUND);
    assertThat(e.getMessage()).contains("Revision Not Found", "refs%2Fpr%2F404");
    assertThat(ReferenceLogClassifier.classify(e.getMessage())).isEqualTo("SourceNotFound");
  }

  @Test
  void aGatedRepositoryNeedsTheTokenWhichNeverLeaks() throws IOException {
    String token = "hf_secretTOKENvalue123";
    hub.repo(REPO).gated(token);
    Logger logger = (Logger) LoggerFactory.getLogger("aim.orchestrator.activities.download");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    Level level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    try {
      DownloadException anonymous = failure(() -> download(source()));
      assertThat(anonymous.reason()).isEqualTo(Reason.AUTH);
      assertThat(anonymous.getMessage()).contains("Cannot access gated repo", "401 Unauthorized");
      assertThat(ReferenceLogClassifier.classify(anonymous.getMessage())).isEqualTo("AuthError");

      HuggingFaceSource wrong =
          HuggingFaceSource.builder(REPO).endpoint(hub.endpoint()).token("hf_wrongTOKEN").build();
      DownloadException refused = failure(() -> download(wrong));
      assertThat(refused.reason()).isEqualTo(Reason.AUTH);
      assertThat(refused.getMessage()).doesNotContain("hf_wrongTOKEN");

      HuggingFaceSource authorised =
          HuggingFaceSource.builder(REPO).endpoint(hub.endpoint()).token(token).build();
      download(authorised);

      assertRepoLayout();
      assertThat(authorised.toString()).doesNotContain(token);
      assertThat(logs.list)
          .isNotEmpty()
          .allSatisfy(
              event ->
                  assertThat(event.getFormattedMessage())
                      .doesNotContain(token, "presigned-signature"));
      // The token goes to the Hub, never to the CDN host the absolute redirect points at.
      assertThat(hub.requests())
          .filteredOn(r -> r.path().contains("/resolve/") && token.equals(bearer(r)))
          .isNotEmpty();
      assertThat(hub.requests())
          .filteredOn(r -> r.path().startsWith("/blobs/"))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.authorization()).isNull());
    } finally {
      logger.detachAppender(logs);
      logger.setLevel(level);
    }
  }

  private static String bearer(FakeHub.Request r) {
    return r.authorization() == null ? null : r.authorization().substring("Bearer ".length());
  }

  @Test
  void aStalledTransferFailsWithinTheStallTimeout() {
    hub.stall(REPO, "model.safetensors", 8 * 1024);
    Downloader downloader = new Downloader(FAST.withStallTimeout(Duration.ofMillis(700)));

    long started = System.nanoTime();
    DownloadException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> failure(() -> downloader.download(source(), target, ProgressListener.NONE)));

    assertThat(e.reason()).isEqualTo(Reason.STALLED);
    assertThat(e.getMessage()).contains("stalled", "STALL_TIMEOUT");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(target.resolve("model.safetensors")).doesNotExist();
  }

  @Test
  void progressIsMonotonicAndEndsAtTheTotal() throws IOException {
    hub.dropConnectionOnce(REPO, "model.safetensors", 300 * 1024);
    hub.fail503(REPO, "tokenizer.json", 1);
    List<DownloadProgress> reports = Collections.synchronizedList(new ArrayList<>());

    DownloadStats stats =
        new Downloader(FAST.withParallelism(2)).download(source(), target, reports::add);

    assertMonotonicAndComplete(reports);
    assertThat(reports.get(reports.size() - 1).totalBytes()).isEqualTo(stats.bytes());
    assertThat(reports.get(0).downloadedBytes()).isZero();
  }

  static void assertMonotonicAndComplete(List<DownloadProgress> reports) {
    assertThat(reports).isNotEmpty();
    for (int i = 1; i < reports.size(); i++) {
      assertThat(reports.get(i).downloadedBytes())
          .isGreaterThanOrEqualTo(reports.get(i - 1).downloadedBytes());
      assertThat(reports.get(i).completedFiles())
          .isGreaterThanOrEqualTo(reports.get(i - 1).completedFiles());
    }
    DownloadProgress last = reports.get(reports.size() - 1);
    assertThat(last.downloadedBytes()).isEqualTo(last.totalBytes());
    assertThat(last.completedFiles()).isEqualTo(last.totalFiles());
    assertThat(last.percentage()).isEqualTo(100);
  }

  @Test
  void theTreeListingFollowsLinkPages() throws IOException {
    hub.treePageSize(2);
    HuggingFaceSource tree =
        HuggingFaceSource.builder(REPO)
            .endpoint(hub.endpoint())
            .listing(HuggingFaceSource.Listing.TREE)
            .build();

    assertThat(tree.listFiles())
        .extracting(RemoteFile::path)
        .containsExactly(
            "config.json",
            "model.safetensors",
            "tokenizer.json",
            "extra/nested/generation_config.txt",
            "empty.txt");
    assertThat(tree.listFiles())
        .filteredOn(f -> f.path().equals("model.safetensors"))
        .singleElement()
        .satisfies(f -> assertThat(f.checksum().algorithm()).isEqualTo(Checksum.Algorithm.SHA256));
    assertThat(hub.requests())
        .filteredOn(r -> r.path().contains("/tree/") && r.query().contains("cursor="))
        .hasSizeGreaterThanOrEqualTo(2);

    download(tree);
    assertRepoLayout();
  }

  @Test
  void aRenamedRepositoryIsFollowedThroughRelativeRedirects() throws IOException {
    hub.rename("amd/old-name", REPO);

    download(HuggingFaceSource.builder("amd/old-name").endpoint(hub.endpoint()).build());

    assertRepoLayout();
  }

  @Test
  void aFullDiskIsReportedAsStorageFull() throws IOException {
    Path devFull = Path.of("/dev/full");
    assumeTrue(Files.isWritable(devFull), "needs Linux /dev/full");
    // Writes through this link fail with ENOSPC from the kernel, as on a full volume.
    Files.createSymbolicLink(target.resolve("model.safetensors.incomplete"), devFull);

    DownloadException e = failure(() -> download(source()));

    assertThat(e.reason()).isEqualTo(Reason.STORAGE_FULL);
    assertThat(e.getMessage()).contains("No space left on device");
    assertThat(ReferenceLogClassifier.classify(e.getMessage())).isEqualTo("StorageFull");
  }

  @Test
  void pathsOutsideTheTargetAreRefused() {
    hub.repo(REPO).file("../escape.txt", NESTED);

    assertThatThrownBy(() -> download(source()))
        .isInstanceOfSatisfying(
            DownloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SOURCE));
    assertThat(target.getParent().resolve("escape.txt")).doesNotExist();
  }

  @Test
  void hfUrisAreParsed() throws DownloadException {
    HuggingFaceSource s = HuggingFaceSource.fromUri("hf://org/model@v1.0", Map.of());
    assertThat(s.repoId()).isEqualTo("org/model");
    assertThat(s.location()).isEqualTo("hf://org/model@v1.0");
    assertThat(HuggingFaceSource.fromUri("hf://gpt2/", Map.of()).location())
        .isEqualTo("hf://gpt2@main");
    assertThatThrownBy(() -> HuggingFaceSource.fromUri("hf://a/b/c", Map.of()))
        .isInstanceOfSatisfying(
            DownloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SOURCE));
    assertThat(HuggingFaceSource.encodeSegment("refs/pr/1")).isEqualTo("refs%2Fpr%2F1");
    assertThat(HuggingFaceSource.encodePath("dir/a b+c.json")).isEqualTo("dir/a%20b%2Bc.json");
  }
}
