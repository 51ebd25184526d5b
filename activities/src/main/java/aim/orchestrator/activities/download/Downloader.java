package aim.orchestrator.activities.download;

import aim.orchestrator.activities.download.DownloadException.Reason;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads every file a {@link DownloadSource} lists into a target directory, in the source's own
 * layout.
 *
 * <ul>
 *   <li><b>Resumable.</b> Each file is written to {@code <path>.incomplete} and resumed from its
 *       length with a ranged request; a source that answers a range with the whole file makes it
 *       start over. A re-run after a crash fetches only what is missing: files already in place
 *       with the right size (and digest) are skipped.
 *   <li><b>Verified.</b> The size always, the digest when the source publishes one; only then is
 *       the file moved into place atomically, so a final path never holds a partial or corrupt
 *       file. A digest mismatch removes the partial file and fails.
 *   <li><b>Retried.</b> Transient failures (408, 429, 5xx, dropped connections) are retried with
 *       exponential backoff (honouring {@code Retry-After}); the attempt budget is per file and
 *       refilled whenever an attempt made progress, so a flaky link that keeps moving never gives
 *       up.
 *   <li><b>Bounded.</b> {@link Options#parallelism()} files at a time.
 *   <li><b>Watched.</b> If no byte is received (or verified) for {@link Options#stallTimeout()},
 *       everything is aborted with {@link Reason#STALLED}. A full disk fails with {@link
 *       Reason#STORAGE_FULL}.
 * </ul>
 *
 * <p>Thread-safe: each {@link #download} call runs independently.
 */
public final class Downloader {
  /** The suffix of files being downloaded. */
  public static final String PARTIAL_SUFFIX = ".incomplete";

  /** The suffix of the journal of finished parts kept next to a large file being downloaded. */
  public static final String JOURNAL_SUFFIX = ".incomplete.parts";

  private static final Logger log = LoggerFactory.getLogger(Downloader.class);
  private static final int BUFFER_SIZE = 256 * 1024;
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Options options;

  /** A downloader with {@link Options#defaults()}. */
  public Downloader() {
    this(Options.defaults());
  }

  /** A downloader with the given options. */
  public Downloader(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The options in use. */
  public Options options() {
    return options;
  }

  /**
   * Downloads every file of {@code source} into {@code targetDir} (created if missing).
   *
   * @return what was done
   * @throws DownloadException on the first failure that retries could not overcome; partial files
   *     stay for the next run to resume
   */
  public DownloadStats download(DownloadSource source, Path targetDir, ProgressListener listener)
      throws DownloadException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(targetDir, "targetDir");
    Path target = targetDir.toAbsolutePath().normalize();
    ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
    if (options.trustCompletionMarker()) {
      long started = System.nanoTime();
      var marked = CompletionMarker.read(target, source.location());
      if (marked.isPresent() && marked.get().stillInPlace(target)) {
        CompletionMarker m = marked.get();
        progress.onProgress(new DownloadProgress(m.bytes(), m.bytes(), m.files().size(), m.files().size()));
        log.info("{} is complete (marker {}); nothing to fetch", target, CompletionMarker.FILE);
        return new DownloadStats(
            m.files().size(), m.bytes(), Duration.ofNanos(System.nanoTime() - started), 0, m.files().size(), 0);
      }
    }
    // Whatever this run changes, the old marker no longer vouches for it.
    CompletionMarker.remove(target);
    Run run = new Run(source, target, progress);
    DownloadStats stats = run.execute();
    CompletionMarker.write(target, source.location(), run.listed);
    return stats;
  }

  /** Whether an I/O failure means the file system is full (ENOSPC, or a quota). */
  static boolean isDiskFull(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null
          && (m.contains("No space left on device")
              || m.contains("ENOSPC")
              || m.contains("quota exceeded")
              || m.contains("Disk quota"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * How the engine behaves.
   *
   * @param parallelism files transferred at once (default 4)
   * @param stallTimeout abort when no byte arrives for this long (default 120 s, {@code
   *     STALL_TIMEOUT})
   * @param progressInterval minimum time between progress reports (default 1 s)
   * @param maxAttempts attempts per file (or part) without progress before giving up (default 5)
   * @param initialBackoff the first retry delay, doubled on each retry (default 1 s)
   * @param maxBackoff the longest retry delay (default 30 s; never more than half the stall
   *     timeout)
   * @param verifyExisting whether files already in place are hashed before being skipped (default
   *     true; false trusts their size)
   * @param trustCompletionMarker whether a {@link CompletionMarker} left by an earlier complete run
   *     of the same source ends the run at once, without any network request, when every file it
   *     lists is still there with its size (default true; false is the verify mode: list the
   *     source, hash every file, fetch what is missing or corrupt)
   * @param connectionsPerFile connections a file of at least two parts is fetched on, in parallel
   *     byte ranges (default 4; 1 fetches every file as one stream)
   * @param partSize the byte range one connection fetches at a time, and the unit of resume for
   *     large files (default 16 MiB)
   */
  public record Options(
      int parallelism,
      Duration stallTimeout,
      Duration progressInterval,
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      boolean verifyExisting,
      boolean trustCompletionMarker,
      int connectionsPerFile,
      long partSize) {

    /** Validates the options. */
    public Options {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1");
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      if (connectionsPerFile < 1) {
        throw new IllegalArgumentException("connectionsPerFile must be at least 1");
      }
      if (partSize < 1) {
        throw new IllegalArgumentException("partSize must be positive");
      }
      requirePositive(stallTimeout, "stallTimeout");
      requirePositive(progressInterval, "progressInterval");
      requirePositive(initialBackoff, "initialBackoff");
      requirePositive(maxBackoff, "maxBackoff");
    }

    private static void requirePositive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
    }

    /** The defaults. */
    public static Options defaults() {
      return new Options(
          4,
          Duration.ofSeconds(120),
          Duration.ofSeconds(1),
          5,
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          true,
          true,
          4,
          16L * 1024 * 1024);
    }

    /** Whether a file of this size is fetched in parallel parts. */
    boolean parted(long size) {
      return connectionsPerFile > 1 && size >= 2 * partSize;
    }

    /** With another parallelism (files at a time). */
    public Options withParallelism(int value) {
      return new Options(
          value,
          stallTimeout,
          progressInterval,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          verifyExisting,
          trustCompletionMarker,
          connectionsPerFile,
          partSize);
    }

    /** With another stall timeout. */
    public Options withStallTimeout(Duration value) {
      return new Options(
          parallelism,
          value,
          progressInterval,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          verifyExisting,
          trustCompletionMarker,
          connectionsPerFile,
          partSize);
    }

    /** With another progress interval. */
    public Options withProgressInterval(Duration value) {
      return new Options(
          parallelism,
          stallTimeout,
          value,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          verifyExisting,
          trustCompletionMarker,
          connectionsPerFile,
          partSize);
    }

    /** With another attempt budget. */
    public Options withMaxAttempts(int value) {
      return new Options(
          parallelism,
          stallTimeout,
          progressInterval,
          value,
          initialBackoff,
          maxBackoff,
          verifyExisting,
          trustCompletionMarker,
          connectionsPerFile,
          partSize);
    }

    /** With or without hashing files already in place. */
    public Options withVerifyExisting(boolean value) {
      return new Options(
          parallelism,
          stallTimeout,
          progressInterval,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          value,
          trustCompletionMarker,
          connectionsPerFile,
          partSize);
    }

    /** With or without trusting a completion marker (false: the verify mode). */
    public Options withTrustCompletionMarker(boolean value) {
      return new Options(
          parallelism,
          stallTimeout,
          progressInterval,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          verifyExisting,
          value,
          connectionsPerFile,
          partSize);
    }

    /** With another number of connections per large file (1: one stream per file). */
    public Options withConnectionsPerFile(int value) {
      return new Options(
          parallelism,
          stallTimeout,
          progressInterval,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          verifyExisting,
          trustCompletionMarker,
          value,
          partSize);
    }

    /** With another part size for large files. */
    public Options withPartSize(long value) {
      return new Options(
          parallelism,
          stallTimeout,
          progressInterval,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          verifyExisting,
          trustCompletionMarker,
          connectionsPerFile,
          value);
    }

    /** With other retry delays. */
    public Options withBackoff(Duration initial, Duration max) {
      return new Options(
          parallelism,
          stallTimeout,
          progressInterval,
          maxAttempts,
          initial,
          max,
          verifyExisting,
          trustCompletionMarker,
          connectionsPerFile,
          partSize);
    }
  }

  /** Per-file accounting, touched only by the thread transferring that file. */
  private static final class FileState {
    long credited;
    long fetched;

    /** Whether the current partial file holds bytes an earlier attempt (or run) wrote. */
    boolean reusedPartial;

    /** Whether a digest mismatch already made this file start over once. */
    boolean restartedClean;

    /**
     * Bytes of each part counted as progress so far (parted files only): a part fetched again after
     * a failed attempt counts only beyond this, so progress never counts a byte twice.
     */
    long[] partCredited;
  }

  /** One {@link #download} call. */
  private final class Run {
    private final DownloadSource source;
    private final Path target;
    private final ProgressListener listener;
    private final ExecutorService workers;
    private final ExecutorService partWorkers;
    private final ScheduledExecutorService watchdog;
    private final ScheduledExecutorService reporter;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong resumed = new AtomicLong();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicReference<DownloadException> failure = new AtomicReference<>();
    private volatile List<RemoteFile> listed = List.of();
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final Object reportLock = new Object();
    private volatile long lastActivity = System.nanoTime();
    private volatile long totalBytes;
    private volatile int totalFiles;
    private DownloadProgress lastReported;

    Run(DownloadSource source, Path target, ProgressListener listener) {
      this.source = source;
      this.target = target;
      this.listener = listener;
      int run = RUNS.incrementAndGet();
      this.partWorkers =
          Executors.newFixedThreadPool(
              options.parallelism() * options.connectionsPerFile(), daemons("aim-download-" + run + "-part-"));
      this.workers =
          Executors.newFixedThreadPool(options.parallelism(), daemons("aim-download-" + run + "-"));
      this.watchdog =
          Executors.newSingleThreadScheduledExecutor(daemons("aim-download-watchdog-" + run + "-"));
      this.reporter =
          Executors.newSingleThreadScheduledExecutor(daemons("aim-download-progress-" + run + "-"));
    }

    DownloadStats execute() throws DownloadException {
      long started = System.nanoTime();
      try {
        localRun(() -> Files.createDirectories(target), target, "create");
        long tick = Math.max(10, Math.min(1000, options.stallTimeout().toMillis() / 4));
        watchdog.scheduleWithFixedDelay(this::checkStall, tick, tick, TimeUnit.MILLISECONDS);

        List<RemoteFile> files = await(workers.submit(this::listWithRetry));
        listed = List.copyOf(files);
        Map<RemoteFile, Path> destinations = new LinkedHashMap<>();
        long total = 0;
        Set<Path> seen = new LinkedHashSet<>();
        for (RemoteFile file : files) {
          Path dest = destination(file.path());
          if (!seen.add(dest)) {
            throw new DownloadException(
                Reason.INVALID_SOURCE, source.location() + " lists " + file.path() + " twice");
          }
          destinations.put(file, dest);
          total += file.size();
        }
        totalBytes = total;
        totalFiles = destinations.size();
        log.info(
            "Downloading {} files ({} bytes) from {} to {}",
            totalFiles,
            totalBytes,
            source.location(),
            target);
        warnIfShortOfSpace(total);
        report();
        long interval = options.progressInterval().toMillis();
        reporter.scheduleWithFixedDelay(
            this::reportQuietly, interval, interval, TimeUnit.MILLISECONDS);

        List<Future<Void>> transfers = new ArrayList<>();
        for (Map.Entry<RemoteFile, Path> e : destinations.entrySet()) {
          try {
            transfers.add(
                workers.submit(
                    () -> {
                      fetch(e.getKey(), e.getValue());
                      return null;
                    }));
          } catch (RejectedExecutionException rejected) {
            // The pool is shut down only by an abort, whose reason is the one to report.
            throw aborted(rejected);
          }
        }
        for (Future<Void> transfer : transfers) {
          await(transfer);
        }
        // No interrupt: a listener mid-call (a status write) finishes; report() then waits for it.
        reporter.shutdown();
        report();
        removeStalePartials(destinations.values());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        DownloadStats stats =
            new DownloadStats(
                totalFiles, totalBytes, took, resumed.get(), skipped.get(), fetched.get());
        log.info("Downloaded {} from {}: {}", target, source.location(), stats);
        return stats;
      } finally {
        workers.shutdownNow();
        partWorkers.shutdownNow();
        watchdog.shutdownNow();
        reporter.shutdownNow();
        closeOpen();
        try {
          // Interrupted transfers must let go of their partial files before a re-run uses them.
          workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private List<RemoteFile> listWithRetry() throws DownloadException {
      return withRetries(
          "listing " + source.location(),
          null,
          () -> {
            List<RemoteFile> files = source.listFiles();
            touch();
            return files;
          });
    }

    /** A step of a download that may fail transiently. */
    private interface Attempt<T> {
      T run() throws IOException;
    }

    /**
     * Runs {@code attempt} until it succeeds, pausing with backoff after each retryable failure. At
     * most {@link Options#maxAttempts()} attempts in a row may fail without progress: {@code
     * progress} reads a counter that grows as bytes arrive, and an attempt that moved it starts the
     * count again (null when the step moves no bytes). A non-retryable failure, or the download
     * being aborted, ends it at once.
     */
    private <T> T withRetries(String what, java.util.function.LongSupplier progress, Attempt<T> attempt)
        throws DownloadException {
      int attempts = 0;
      while (true) {
        ensureRunning();
        long before = progress == null ? 0 : progress.getAsLong();
        IOException last;
        try {
          return attempt.run();
        } catch (DownloadException e) {
          if (!e.retryable()) {
            throw e;
          }
          last = e;
        } catch (IOException e) {
          if (aborting(e)) {
            throw aborted(e);
          }
          last = e;
        }
        if (progress != null && progress.getAsLong() > before) {
          attempts = 0;
        }
        attempts++;
        if (attempts >= options.maxAttempts()) {
          throw new DownloadException(
              Reason.FAILED,
              "Giving up on " + what + " after " + attempts + " attempts"
                  + (progress == null ? "" : " without progress") + ": " + describe(last),
              last);
        }
        pause(attempts, last, what);
      }
    }

    private void fetch(RemoteFile file, Path dest) throws DownloadException {
      FileState state = new FileState();
      if (Files.isRegularFile(dest) && alreadyComplete(file, dest)) {
        credit(state, file.size());
        skipped.incrementAndGet();
        completed.incrementAndGet();
        log.debug("{} is already in place; skipped", file.path());
        return;
      }
      Path part = dest.resolveSibling(dest.getFileName() + PARTIAL_SUFFIX);
      Path journal = dest.resolveSibling(dest.getFileName() + JOURNAL_SUFFIX);
      boolean parted = options.parted(file.size());
      localRun(() -> Files.createDirectories(dest.getParent()), dest.getParent(), "create");
      withRetries(
          file.path(),
          () -> state.fetched,
          () -> {
            MessageDigest digest =
                parted ? transferParts(file, part, journal, state) : transferOnce(file, part, state);
            verifyAndMove(file, part, dest, digest, state);
            if (parted) {
              deleteQuietly(journal);
            }
            return null;
          });
      completed.incrementAndGet();
    }

    /**
     * A large file on {@link Options#connectionsPerFile()} connections: its parts (byte ranges of
     * {@link Options#partSize()}) are fetched in parallel straight into their place in the partial
     * file, and each finished part is recorded in a journal next to it. A run after a crash or a
     * killed Pod fetches only the parts the journal does not list, so at most the parts that were
     * in flight are fetched twice. Returns the digest of the whole file, hashed once it is complete.
     */
    private MessageDigest transferParts(
        RemoteFile file, Path part, Path journalPath, FileState state) throws IOException {
      long size = file.size();
      long partSize = options.partSize();
      int parts = (int) ((size + partSize - 1) / partSize);
      PartJournal journal =
          localCall(() -> PartJournal.open(journalPath, part, size, partSize), journalPath, "read");
      long have = journal.finishedBytes();
      if (have > 0) {
        log.info(
            "Resuming {}: {} of {} parts finished, {} bytes in place",
            file.path(),
            journal.finishedParts(),
            parts,
            have);
        resumed.addAndGet(have);
        state.reusedPartial = true;
      }
      credit(state, have);
      if (state.partCredited == null) {
        state.partCredited = new long[parts];
      }
      long[] credited = state.partCredited;
      for (int i = 0; i < parts; i++) {
        // What the journal vouches for was counted above.
        credited[i] = Math.max(credited[i], journal.durable(i));
      }
      // One lane per connection; each takes the next missing part until none is left.
      java.util.Queue<Integer> missing = new java.util.concurrent.ConcurrentLinkedQueue<>();
      for (int i = 0; i < parts; i++) {
        if (!journal.isFinished(i)) {
          missing.add(i);
        }
      }
      List<Future<Void>> running = new ArrayList<>();
      int lanes = Math.min(options.connectionsPerFile(), missing.size());
      for (int lane = 0; lane < lanes; lane++) {
        try {
          running.add(
              partWorkers.submit(
                  () -> {
                    for (Integer index = missing.poll(); index != null; index = missing.poll()) {
                      fetchPart(file, part, journal, index, credited, state);
                    }
                    return null;
                  }));
        } catch (RejectedExecutionException rejected) {
          throw aborted(rejected);
        }
      }
      for (Future<Void> r : running) {
        await(r);
      }
      MessageDigest digest = file.checksum() == null ? null : file.checksum().newDigest(size);
      if (digest != null) {
        hash(part, size, digest);
      }
      return digest;
    }

    /**
     * One part, retried on transient failures, from its last checkpoint; recorded in the journal as
     * it becomes durable.
     */
    private void fetchPart(
        RemoteFile file, Path part, PartJournal journal, int index, long[] credited, FileState state)
        throws DownloadException {
      String what = file.path() + " part " + (index + 1);
      long[] fetchedHere = new long[1];
      withRetries(
          what,
          () -> fetchedHere[0],
          () -> {
            copyPart(file, part, journal, index, credited, fetchedHere);
            localRun(() -> journal.finish(index), part, "record a part of");
            return null;
          });
    }

    /**
     * Fetches the rest of a part after what the journal vouches for, syncing and checkpointing every
     * {@link #checkpointBytes()}: a run killed mid-part fetches again at most that much per
     * connection.
     */
    private void copyPart(
        RemoteFile file, Path part, PartJournal journal, int index, long[] credited, long[] fetchedHere)
        throws IOException {
      long partStart = index * options.partSize();
      long durable = journal.durable(index);
      long offset = partStart + durable;
      long end = partStart + journal.length(index);
      long checkpoint = checkpointBytes();
      RemoteContent content = source.openRange(file, offset, end - offset);
      open.add(content);
      try (content;
          FileChannel channel = localCall(() -> FileChannel.open(part, StandardOpenOption.WRITE), part, "write")) {
        if (content.start() != offset) {
          throw new DownloadException(
              Reason.FAILED,
              source.location() + " ignored the byte range of " + file.path() + " (asked from " + offset + ")");
        }
        InputStream in = content.body();
        byte[] buffer = new byte[BUFFER_SIZE];
        long position = offset;
        long unsynced = 0;
        while (position < end) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - position));
          if (n < 0) {
            throw new IOException(
                "Connection closed after " + (position - partStart) + " of " + (end - partStart) + " bytes of "
                    + file.path() + " part " + (index + 1));
          }
          ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
          long at = position;
          while (chunk.hasRemaining()) {
            try {
              at += channel.write(chunk, at);
            } catch (IOException e) {
              throw localFailure(e, part, "write");
            }
          }
          position += n;
          unsynced += n;
          fetchedHere[0] += n;
          fetched.addAndGet(n);
          long progressed = position - partStart;
          if (progressed > credited[index]) {
            done.addAndGet(progressed - credited[index]);
            credited[index] = progressed;
          }
          touch();
          if (unsynced >= checkpoint && position < end) {
            // The bytes must be durable before the journal vouches for them.
            localRun(() -> channel.force(false), part, "sync");
            long synced = progressed;
            localRun(() -> journal.checkpoint(index, synced), part, "record a checkpoint of");
            unsynced = 0;
          }
        }
        localRun(() -> channel.force(false), part, "sync");
      } finally {
        open.remove(content);
      }
    }

    /**
     * How much of a part is written between checkpoints: an eighth of a part (at least 1 MiB), so
     * that a kill costs at most that per connection — less than a part for up to 8 connections.
     */
    private long checkpointBytes() {
      return Math.max(Math.min(options.partSize(), 1024 * 1024), options.partSize() / 8);
    }

    /** One attempt: resume or start the partial file and fill it to the expected size. */
    private MessageDigest transferOnce(RemoteFile file, Path part, FileState state)
        throws IOException {
      long size = file.size();
      long have = Files.exists(part) ? localCall(() -> Files.size(part), part, "read") : 0;
      if (have > size) {
        log.warn("{} is longer than the source's {} bytes; starting over", part, size);
        have = 0;
      }
      MessageDigest digest = file.checksum() == null ? null : file.checksum().newDigest(size);
      if (digest != null && have > 0) {
        hash(part, have, digest);
      }
      credit(state, have);
      if (have == size) {
        state.reusedPartial = have > 0;
        truncateOrCreate(part, size);
        return digest;
      }
      RemoteContent content = source.open(file, have);
      open.add(content);
      try (content) {
        long position;
        if (have > 0 && content.start() == have) {
          log.info("Resuming {} from byte {} of {}", file.path(), have, size);
          resumed.addAndGet(have);
          state.reusedPartial = true;
          position = have;
        } else if (content.start() == 0) {
          if (have > 0) {
            log.info(
                "{}: the source sent the whole file instead of a range; starting over",
                file.path());
            if (digest != null) {
              digest = file.checksum().newDigest(size);
            }
          }
          position = 0;
        } else {
          throw new IOException(
              "The source sent "
                  + file.path()
                  + " from byte "
                  + content.start()
                  + " instead of "
                  + have);
        }
        try (FileChannel channel = openForWrite(part, position)) {
          copy(file, content.body(), channel, position, digest, state, part);
        }
      } finally {
        open.remove(content);
      }
      return digest;
    }

    private void copy(
        RemoteFile file,
        InputStream in,
        FileChannel channel,
        long from,
        MessageDigest digest,
        FileState state,
        Path part)
        throws IOException {
      long size = file.size();
      long position = from;
      byte[] buffer = new byte[BUFFER_SIZE];
      while (position < size) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - position));
        if (n < 0) {
          throw new IOException(
              "Connection closed after " + position + " of " + size + " bytes of " + file.path());
        }
        if (n == 0) {
          continue;
        }
        writeFully(channel, ByteBuffer.wrap(buffer, 0, n), part);
        if (digest != null) {
          digest.update(buffer, 0, n);
        }
        position += n;
        state.fetched += n;
        fetched.addAndGet(n);
        credit(state, position);
        touch();
      }
      // The bytes must be durable before the rename makes the file look complete.
      localRun(() -> channel.force(false), part, "sync");
    }

    private void verifyAndMove(
        RemoteFile file, Path part, Path dest, MessageDigest digest, FileState state)
        throws DownloadException {
      long actual = localCall(() -> Files.size(part), part, "read");
      if (actual != file.size()) {
        deleteQuietly(part);
        throw new DownloadException(
            Reason.VERIFICATION_FAILED,
            "Verification failed for "
                + file.path()
                + ": size "
                + actual
                + " instead of "
                + file.size());
      }
      if (digest != null) {
        String got = Checksum.hexOf(digest);
        if (!got.equals(file.checksum().hex())) {
          deleteQuietly(part);
          if (state.reusedPartial && !state.restartedClean) {
            // A partial file left by a crash can end in bytes that never reached the disk intact;
            // one clean download tells that apart from a source whose content is wrong.
            state.restartedClean = true;
            state.reusedPartial = false;
            throw new DownloadException(
                Reason.TRANSIENT,
                file.path()
                    + " did not match its "
                    + file.checksum().algorithm().label()
                    + " after resuming a partial file; downloading it again from the start");
          }
          throw new DownloadException(
              Reason.VERIFICATION_FAILED,
              "Verification failed for "
                  + file.path()
                  + ": "
                  + file.checksum().algorithm().label()
                  + " mismatch (expected "
                  + file.checksum().hex()
                  + ", got "
                  + got
                  + "); the downloaded data was removed");
        }
      }
      try {
        Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        localRun(
            () -> Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING), dest, "move into");
      } catch (IOException e) {
        throw localFailure(e, dest, "move into");
      }
      log.debug("{} verified and in place", file.path());
    }

    private boolean alreadyComplete(RemoteFile file, Path dest) throws DownloadException {
      long size = localCall(() -> Files.size(dest), dest, "read");
      if (size != file.size()) {
        log.info(
            "{} has {} bytes instead of {}; downloading it again", file.path(), size, file.size());
        return false;
      }
      if (file.checksum() == null || !options.verifyExisting()) {
        return true;
      }
      MessageDigest digest = file.checksum().newDigest(size);
      hash(dest, size, digest);
      boolean same = Checksum.hexOf(digest).equals(file.checksum().hex());
      if (!same) {
        log.info(
            "{} differs from the published {}; downloading it again", file.path(), file.checksum());
      }
      return same;
    }

    private void hash(Path path, long length, MessageDigest digest) throws DownloadException {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        long remaining = length;
        while (remaining > 0) {
          ensureRunning();
          buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
          int n = channel.read(buffer);
          if (n < 0) {
            throw new IOException("unexpected end of file");
          }
          buffer.flip();
          digest.update(buffer);
          remaining -= n;
          // Hashing a large file already on disk is progress too; it must not look like a stall.
          touch();
        }
      } catch (DownloadException e) {
        throw e;
      } catch (IOException e) {
        throw localFailure(e, path, "read");
      }
    }

    private FileChannel openForWrite(Path part, long position) throws DownloadException {
      return localCall(
          () -> {
            FileChannel channel =
                FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
              if (channel.size() > position) {
                channel.truncate(position);
              }
              channel.position(position);
              return channel;
            } catch (IOException e) {
              channel.close();
              throw e;
            }
          },
          part,
          "write");
    }

    private void truncateOrCreate(Path part, long size) throws DownloadException {
      try (FileChannel channel = openForWrite(part, size)) {
        localRun(() -> channel.force(false), part, "sync");
      } catch (DownloadException e) {
        throw e;
      } catch (IOException e) {
        throw localFailure(e, part, "write");
      }
    }

    private void writeFully(FileChannel channel, ByteBuffer buffer, Path part)
        throws DownloadException {
      try {
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      } catch (IOException e) {
        throw localFailure(e, part, "write");
      }
    }

    private Path destination(String relative) throws DownloadException {
      Path dest = target.resolve(relative).normalize();
      if (relative.isEmpty()
          || relative.startsWith("/")
          || relative.contains("\\")
          || !dest.startsWith(target)
          || dest.equals(target)) {
        throw new DownloadException(
            Reason.INVALID_SOURCE,
            "Refusing to write '"
                + relative
                + "' outside "
                + target
                + " (listed by "
                + source.location()
                + ")");
      }
      return dest;
    }

    private void credit(FileState state, long position) {
      if (position > state.credited) {
        done.addAndGet(position - state.credited);
        state.credited = position;
      }
    }

    private void touch() {
      lastActivity = System.nanoTime();
    }

    private void checkStall() {
      if (failure.get() != null) {
        return;
      }
      long idle = System.nanoTime() - lastActivity;
      if (idle >= options.stallTimeout().toNanos()) {
        fail(
            new DownloadException(
                Reason.STALLED,
                "Download stalled: no data received for "
                    + seconds(options.stallTimeout())
                    + " s (STALL_TIMEOUT) from "
                    + source.location()
                    + "; aborting"));
      }
    }

    private void reportQuietly() {
      if (failure.get() == null) {
        report();
      }
    }

    private void report() {
      synchronized (reportLock) {
        DownloadProgress progress =
            new DownloadProgress(done.get(), totalBytes, completed.get(), totalFiles);
        if (progress.equals(lastReported)) {
          return;
        }
        lastReported = progress;
        try {
          listener.onProgress(progress);
        } catch (RuntimeException e) {
          log.warn("Progress listener failed: {}", e.toString());
        }
      }
    }

    private <T> T await(Future<T> future) throws DownloadException {
      while (true) {
        DownloadException failed = failure.get();
        if (failed != null) {
          throw failed;
        }
        try {
          return future.get(100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // Poll again so a stall or another file's failure is noticed while this one hangs.
        } catch (ExecutionException e) {
          fail(asDownloadException(e.getCause()));
          throw failure.get();
        } catch (CancellationException e) {
          fail(new DownloadException(Reason.FAILED, "Download cancelled", e));
          throw failure.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail(new DownloadException(Reason.FAILED, "Download interrupted", e));
          throw failure.get();
        }
      }
    }

    private DownloadException asDownloadException(Throwable t) {
      if (t instanceof DownloadException d) {
        return d;
      }
      if (failure.get() != null) {
        return failure.get();
      }
      return new DownloadException(Reason.FAILED, "Download failed: " + t, t);
    }

    /** Records the first failure and stops everything else. */
    private void fail(DownloadException e) {
      if (failure.compareAndSet(null, e)) {
        log.error("Download from {} failed: {}", source.location(), e.getMessage());
        workers.shutdownNow();
        partWorkers.shutdownNow();
        closeOpen();
      }
    }

    private void closeOpen() {
      for (Closeable c : open) {
        try {
          c.close();
        } catch (IOException | RuntimeException e) {
          log.debug("Closing a stream after abort: {}", e.toString());
        }
      }
    }

    private void ensureRunning() throws DownloadException {
      DownloadException failed = failure.get();
      if (failed != null) {
        throw failed;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new DownloadException(Reason.FAILED, "Download interrupted");
      }
    }

    private boolean aborting(IOException e) {
      return failure.get() != null
          || Thread.currentThread().isInterrupted()
          || e instanceof InterruptedIOException
          || e instanceof ClosedByInterruptException;
    }

    private DownloadException aborted(Throwable cause) {
      DownloadException failed = failure.get();
      return failed != null
          ? failed
          : new DownloadException(Reason.FAILED, "Download interrupted", cause);
    }

    private void pause(int attempts, IOException last, String what) throws DownloadException {
      long delay = options.initialBackoff().toMillis() << Math.min(20, attempts - 1);
      delay = Math.min(delay, options.maxBackoff().toMillis());
      if (last instanceof DownloadException d && d.retryAfter() != null) {
        delay = Math.max(delay, d.retryAfter().toMillis());
      }
      // Waiting longer than the stall timeout would only get the run aborted as stalled.
      delay = Math.min(delay, Math.max(1, options.stallTimeout().toMillis() / 2));
      log.warn(
          "Retrying {} in {} ms (attempt {} of {}): {}",
          what,
          delay,
          attempts + 1,
          options.maxAttempts(),
          describe(last));
      try {
        TimeUnit.MILLISECONDS.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw aborted(e);
      }
    }

    private void warnIfShortOfSpace(long total) {
      try {
        long usable = Files.getFileStore(target).getUsableSpace();
        if (usable < total) {
          log.warn("{} has {} bytes free; the model needs up to {} bytes", target, usable, total);
        }
      } catch (IOException e) {
        log.debug("Cannot read free space of {}: {}", target, e.toString());
      }
    }

    private void removeStalePartials(Iterable<Path> destinations) {
      Set<Path> dirs = new LinkedHashSet<>();
      destinations.forEach(d -> dirs.add(d.getParent()));
      for (Path dir : dirs) {
        try (DirectoryStream<Path> stale =
            Files.newDirectoryStream(dir, "*{" + PARTIAL_SUFFIX + "," + JOURNAL_SUFFIX + "}")) {
          for (Path p : stale) {
            log.info("Removing leftover partial file {}", p);
            deleteQuietly(p);
          }
        } catch (IOException e) {
          log.debug("Cannot sweep {}: {}", dir, e.toString());
        }
      }
    }

    private DownloadException localFailure(IOException e, Path path, String action) {
      if (aborting(e)) {
        return aborted(e);
      }
      if (isDiskFull(e)) {
        return new DownloadException(
            Reason.STORAGE_FULL,
            "No space left on device (ENOSPC) while trying to "
                + action
                + " "
                + path
                + ": "
                + e.getMessage(),
            e);
      }
      return new DownloadException(Reason.FAILED, "Cannot " + action + " " + path + ": " + e, e);
    }

    private <T> T localCall(IoCall<T> call, Path path, String action) throws DownloadException {
      try {
        return call.call();
      } catch (IOException e) {
        throw localFailure(e, path, action);
      }
    }

    private void localRun(IoRun run, Path path, String action) throws DownloadException {
      try {
        run.run();
      } catch (IOException e) {
        throw localFailure(e, path, action);
      }
    }
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }

  @FunctionalInterface
  private interface IoRun {
    void run() throws IOException;
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    if (t instanceof DownloadException || t.getMessage() == null) {
      return t instanceof DownloadException ? t.getMessage() : t.toString();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("Cannot delete {}: {}", p, e.toString());
    }
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
