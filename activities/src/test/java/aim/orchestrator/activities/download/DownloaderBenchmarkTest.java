package aim.orchestrator.activities.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmarks of the downloader, printed as figures with ratios against a baseline measured in the same run — not
 * timed assertions. Skipped unless {@code -Daim.bench=true} (docs/benchmarks.md has the command and the results):
 *
 * <ol>
 *   <li>throughput of a 1 GiB file on 1 connection (the baseline), 4 and 8, from a server that gives each connection
 *       at most {@code aim.bench.connectionMiBps} (64) MiB/s, as a CDN does;
 *   <li>heap: the used heap sampled while fetching the 1 GiB file (growth over the idle heap, and what is retained
 *       after a GC), and the command fetching it in a JVM limited to {@code -Xmx64m};
 *   <li>resume: a download killed halfway, then run again: bytes fetched the second time against the bytes that
 *       were missing.
 * </ol>
 */
@EnabledIfSystemProperty(named = "aim.bench", matches = "true")
class DownloaderBenchmarkTest {
  static final long MIB = 1024 * 1024;
  static final long SIZE = Long.getLong("aim.bench.sizeMiB", 1024) * MIB;
  static final long PER_CONNECTION = Long.getLong("aim.bench.connectionMiBps", 64) * MIB;
  static final long PART = 16 * MIB;

  @TempDir Path dir;

  Downloader.Options options(int connections) {
    return Downloader.Options.defaults()
        .withConnectionsPerFile(connections)
        .withPartSize(PART)
        .withProgressInterval(Duration.ofMillis(50))
        .withStallTimeout(Duration.ofSeconds(60));
  }

  HuggingFaceSource source(SyntheticHub hub) {
    return HuggingFaceSource.builder(SyntheticHub.REPO).endpoint(hub.endpoint()).build();
  }

  record Run(
      int connections, double seconds, double mibPerSecond, long heapGrowthMiB, long liveAtHalfMiB, long retainedMiB) {}

  @Test
  void throughputHeapAndResume() throws Exception {
    List<String> report = new ArrayList<>();
    report.add(String.format(Locale.ROOT, "file %d MiB, each connection limited to %d MiB/s, parts of %d MiB, %d CPUs, Java %s",
        SIZE / MIB, PER_CONNECTION / MIB, PART / MIB, Runtime.getRuntime().availableProcessors(), Runtime.version()));
    try (SyntheticHub hub = new SyntheticHub(SIZE, PER_CONNECTION)) {
      Run baseline = download(hub, 1, false);
      List<Run> runs = List.of(baseline, download(hub, 4, false), download(hub, 8, false));
      report.add("connections | seconds | MiB/s | speed-up vs 1 connection");
      for (Run r : runs) {
        report.add(String.format(Locale.ROOT, "%d | %.1f | %.0f | %.2fx", r.connections(), r.seconds(), r.mibPerSecond(),
            baseline.seconds() / r.seconds()));
      }
      Run heap = download(hub, 4, true);
      report.add(String.format(Locale.ROOT,
          "heap, 4 connections (separate run): peak growth over the idle heap %d MiB (garbage included), live growth"
              + " halfway (used heap right after a full GC) %d MiB, retained after the download %d MiB",
          heap.heapGrowthMiB(), heap.liveAtHalfMiB(), heap.retainedMiB()));
      report.add(smallHeap(hub));
      report.add(resume(hub));
    }
    System.out.println();
    System.out.println("=== downloader benchmark ===");
    report.forEach(System.out::println);
    System.out.println("============================");
  }

  /**
   * One download of the file, timed, with the heap sampled every 20 ms; with {@code measureHeap} also a full GC
   * halfway (which costs time, so throughput runs leave it out).
   */
  Run download(SyntheticHub hub, int connections, boolean measureHeap) throws Exception {
    Path target = Files.createDirectories(dir.resolve("c" + connections));
    long idle = usedAfterGc();
    AtomicLong peak = new AtomicLong(idle);
    var sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    var memory = ManagementFactory.getMemoryMXBean();
    sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max), 0, 20, TimeUnit.MILLISECONDS);
    // Halfway through, what the download really holds: the used heap right after a full GC.
    AtomicLong liveAtHalf = new AtomicLong(-1);
    ProgressListener halfway = progress -> {
      if (measureHeap && progress.downloadedBytes() >= SIZE / 2 && liveAtHalf.compareAndSet(-1, 0)) {
        sampler.execute(() -> {
          try {
            liveAtHalf.set(usedAfterGc() - idle);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
    };
    long started = System.nanoTime();
    DownloadStats stats;
    try {
      stats = new Downloader(options(connections)).download(source(hub), target, halfway);
    } finally {
      sampler.shutdown();
      sampler.awaitTermination(10, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long retained = usedAfterGc() - idle;
    assertThat(stats.bytes()).isEqualTo(SIZE);
    deleteTree(target);
    return new Run(connections, seconds, SIZE / (double) MIB / seconds, (peak.get() - idle) / MIB,
        Math.max(0, liveAtHalf.get()) / MIB, Math.max(0, retained) / MIB);
  }

  /** The command, in a JVM of its own with a 64 MiB heap, fetches the whole file. */
  String smallHeap(SyntheticHub hub) throws Exception {
    Path target = Files.createDirectories(dir.resolve("small-heap"));
    Path output = dir.resolve("small-heap.log");
    ProcessBuilder command =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                DownloadCommand.class.getName(),
                "hf://" + SyntheticHub.REPO)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    command.environment().put("TARGET_DIR", target.toString());
    command.environment().put("HF_ENDPOINT", hub.endpoint());
    command.environment().put("AIM_DOWNLOAD_CONNECTIONS", "4");
    long started = System.nanoTime();
    Process p = command.start();
    boolean ended = p.waitFor(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - started) / 1e9;
    String log = Files.readString(output);
    assertThat(ended).as(log).isTrue();
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(Files.size(target.resolve(SyntheticHub.FILE))).isEqualTo(SIZE);
    deleteTree(target);
    return String.format(Locale.ROOT, "-Xmx64m: DownloadCommand fetched the %d MiB file on 4 connections in %.1f s (exit 0)", SIZE / MIB, seconds);
  }

  /** A download killed halfway, then resumed from its journal. */
  String resume(SyntheticHub hub) throws Exception {
    Path target = Files.createDirectories(dir.resolve("resume"));
    AtomicLong writtenAtKill = new AtomicLong();
    AtomicReference<Thread> runner = new AtomicReference<>();
    CompletableFuture.runAsync(() -> {
      runner.set(Thread.currentThread());
      try {
        new Downloader(options(4)).download(source(hub), target, progress -> {
          if (progress.downloadedBytes() >= SIZE / 2 && writtenAtKill.compareAndSet(0, progress.downloadedBytes())) {
            runner.get().interrupt();
          }
        });
      } catch (DownloadException killed) {
        // as a killed Pod
      }
    }).get();
    long sentBefore = hub.sent();
    DownloadStats second = new Downloader(options(4)).download(source(hub), target, ProgressListener.NONE);
    long refetched = second.fetchedBytes();
    long missing = SIZE - writtenAtKill.get();
    deleteTree(target);
    return String.format(Locale.ROOT,
        "resume: killed at %d MiB written; second run fetched %d MiB (server sent %d MiB) for %d MiB missing: %+.1f MiB"
            + " (%.2f parts of %d MiB; bound: one part), kept %d MiB from the journal",
        writtenAtKill.get() / MIB, refetched / MIB, (hub.sent() - sentBefore) / MIB, missing / MIB,
        (refetched - missing) / (double) MIB, (refetched - missing) / (double) PART, PART / MIB, second.resumedBytes() / MIB);
  }

  static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static void deleteTree(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
