package aim.orchestrator.activities.download;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The model download Job's entry point: {@code java -cp …
 * aim.orchestrator.activities.download.DownloadCommand <hf://org/model[@revision] |
 * s3://bucket/prefix>}.
 *
 * <p>Honours the reference downloader's environment contract:
 *
 * <ul>
 *   <li>{@code TARGET_DIR} (default {@code /cache}): files land there in the repository's own
 *       layout;
 *   <li>{@code EXPECTED_SIZE_BYTES}: the size the controller planned for, used for progress until
 *       the listing is known and compared with it;
 *   <li>{@code STALL_TIMEOUT} (seconds, default 120), {@code PROGRESS_INTERVAL} (seconds, default
 *       5);
 *   <li>{@code ARTIFACT_NAME}/{@code ARTIFACT_NAMESPACE}: when set, {@code status.progress} and
 *       {@code status.download} of that AIMArtifact are patched through the in-cluster Kubernetes
 *       API;
 *   <li>{@code HF_TOKEN}, {@code HF_ENDPOINT}, {@code AWS_ACCESS_KEY_ID}, {@code
 *       AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}, {@code AWS_ENDPOINT_URL}, {@code
 *       AWS_REGION}/{@code AWS_DEFAULT_REGION};
 *   <li>tuning: {@code AIM_DOWNLOAD_PARALLELISM} (files at once, default 4), {@code
 *       AIM_DOWNLOAD_CONNECTIONS} (connections per large file, default 4), {@code
 *       AIM_DOWNLOAD_PART_SIZE_BYTES} (16 MiB), {@code AIM_DOWNLOAD_MAX_ATTEMPTS} (default 5),
 *       {@code AIM_S3_PART_SIZE_BYTES};
 *   <li>{@code AIM_DOWNLOAD_MODE}: {@code download} (default; a cache whose completion marker
 *       still holds ends at once, without network) or {@code verify} (hash every file against the
 *       source's listing and fetch what is missing or corrupt — cache warming runs this).
 * </ul>
 *
 * <p>Output: on a terminal a progress bar; otherwise one JSON line per {@code PROGRESS_INTERVAL}
 * ({@code {"event":"progress","downloadedBytes":N,"totalBytes":N,"percentage":P,"completedFiles":N,
 * "totalFiles":N}}), which the orchestrator's download activity reads from the Pod's log and writes
 * to the artifact's status — the Pod itself needs no Kubernetes permissions. (The reference
 * downloader patches the artifact itself; {@code AIM_DOWNLOADER_PATCH_STATUS=true} with {@code
 * ARTIFACT_NAME} does that too.)
 *
 * <p>Exits 0 when every file is in place and verified, else with the code of {@link #exitCode}
 * for the failure's reason (10 SourceNotFound, 11 AuthError, 12 StorageFull, 13 VerificationFailed,
 * 14 DownloadStalled, 15 InvalidSource; 1 anything else, 2 usage). It prints an {@code ERROR:} line
 * worded for the AIM engine's pod-log classifier, and the last line is always a JSON result:
 * {@code {"result":"ok"|"error","files":N,"bytes":N,"reason":null|"SourceNotFound"|…}} — also
 * written to the container's termination message ({@code /dev/termination-log} when it exists, or
 * {@code AIM_TERMINATION_LOG}), where the orchestrator reads it: classification never depends on
 * log wording.
 */
public final class DownloadCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Exit code of a failure that has no reason of its own. */
  public static final int EXIT_FAILED = 1;

  /** Exit code of a usage error. */
  public static final int EXIT_USAGE = 2;

  /** Where Kubernetes reads a container's termination message from by default. */
  static final Path DEFAULT_TERMINATION_LOG = Path.of("/dev/termination-log");

  /** The exit code for a failure reason. */
  public static int exitCode(DownloadException.Reason reason) {
    return switch (reason) {
      case SOURCE_NOT_FOUND -> 10;
      case AUTH -> 11;
      case STORAGE_FULL -> 12;
      case VERIFICATION_FAILED -> 13;
      case STALLED -> 14;
      case INVALID_SOURCE -> 15;
      case TRANSIENT, FAILED -> EXIT_FAILED;
    };
  }

  /** The reason an exit code stands for, or null for 0 and codes of no particular reason. */
  public static DownloadException.Reason reasonOfExitCode(int code) {
    for (DownloadException.Reason r : DownloadException.Reason.values()) {
      if (r != DownloadException.Reason.FAILED && r != DownloadException.Reason.TRANSIENT && exitCode(r) == code) {
        return r;
      }
    }
    return null;
  }

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Supplier<KubernetesClient> kubernetes;
  private final boolean ownsKubernetesClient;
  private final boolean terminal;

  /** Runs the command in this JVM and exits with its code. */
  public static void main(String[] args) {
    System.exit(new DownloadCommand(System.getenv(), System.out, System.err).run(args));
  }

  /**
   * A command reading the given environment, with a Kubernetes client from the in-cluster
   * configuration.
   */
  public DownloadCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this(env, out, err, () -> new KubernetesClientBuilder().build(), true);
  }

  /**
   * A command using the given Kubernetes client for status writes (the caller keeps ownership of
   * it).
   *
   * @param env the environment (the contract above)
   * @param out progress and the result line
   * @param err warnings and the error line
   * @param kubernetes called once, only when {@code ARTIFACT_NAME} is set
   */
  public DownloadCommand(
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      Supplier<KubernetesClient> kubernetes) {
    this(env, out, err, kubernetes, false);
  }

  private DownloadCommand(
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      Supplier<KubernetesClient> kubernetes,
      boolean ownsKubernetesClient) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.kubernetes = Objects.requireNonNull(kubernetes, "kubernetes");
    this.ownsKubernetesClient = ownsKubernetesClient;
    this.terminal = out == System.out && System.console() != null;
  }

  /**
   * Downloads the source named by the only argument.
   *
   * @return the exit code: 0 success, 1 download failure, 2 usage error
   */
  public int run(String... args) {
    if (args == null || args.length != 1 || args[0].isBlank()) {
      err.println("Usage: DownloadCommand <hf://org/model[@revision] | s3://bucket/prefix>");
      printResult("error", 0, 0, DownloadException.Reason.INVALID_SOURCE.label(), null);
      return EXIT_USAGE;
    }
    String uri = args[0].strip();
    String protocol = uri.toLowerCase(Locale.ROOT).startsWith("s3://") ? "S3" : "HTTP";
    // Written by the engine's progress thread, read here after the download ends.
    AtomicReference<DownloadProgress> last =
        new AtomicReference<>(new DownloadProgress(0, 0, 0, 0));
    ArtifactStatusReporter status = null;
    DownloadSource source = null;
    try {
      Settings settings = Settings.from(env);
      status = "true".equalsIgnoreCase(env.getOrDefault("AIM_DOWNLOADER_PATCH_STATUS", "")) ? statusReporter() : null;
      source = DownloadSource.fromUri(uri, env);
      protocol = source.protocol();
      if (settings.expectedBytes() > 0) {
        out.println("Expected size: " + settings.expectedBytes() + " bytes");
      }
      String requested = env.getOrDefault("AIM_DOWNLOADER_PROTOCOL", "");
      if (!requested.isBlank() && !requested.equalsIgnoreCase(protocol)) {
        out.println(
            "Protocol sequence " + requested + " requested; this downloader uses " + protocol);
      }
      out.println(
          "Downloading " + source.location() + " to " + settings.target() + " over " + protocol);
      if (status != null) {
        status.download(protocol, 1, 1, protocol, "Downloading with " + protocol);
      }

      Downloader downloader = new Downloader(settings.options());
      ArtifactStatusReporter reporter = status;
      DownloadStats stats =
          downloader.download(
              source,
              settings.target(),
              progress -> {
                last.set(progress);
                long total =
                    progress.totalBytes() > 0 ? progress.totalBytes() : settings.expectedBytes();
                printProgress(progress, total);
                if (reporter != null) {
                  reporter.progress(progress.downloadedBytes(), total, false);
                }
              });
      if (settings.expectedBytes() > 0 && settings.expectedBytes() != stats.bytes()) {
        out.println(
            "Note: EXPECTED_SIZE_BYTES="
                + settings.expectedBytes()
                + " but the source holds "
                + stats.bytes()
                + " bytes");
      }
      if (status != null) {
        status.progress(stats.bytes(), stats.bytes(), true);
        status.download(protocol, 1, 1, protocol, "Complete");
      }
      out.println(
          "Download complete and verified: "
              + stats.files()
              + " files, "
              + stats.bytes()
              + " bytes in "
              + stats.duration().toMillis()
              + " ms ("
              + stats.skippedFiles()
              + " already present, "
              + stats.resumedBytes()
              + " bytes resumed)");
      printResult("ok", stats.files(), stats.bytes(), null, stats);
      return 0;
    } catch (DownloadException e) {
      if (status != null) {
        status.download(
            protocol, 1, 1, protocol, "Failed with " + protocol + ": " + e.reason().label());
      }
      err.println("ERROR: " + e.getMessage());
      printResult(
          "error",
          last.get().completedFiles(),
          last.get().downloadedBytes(),
          e.reason().label(),
          null,
          e.getMessage());
      return exitCode(e.reason());
    } catch (IllegalArgumentException e) {
      err.println("ERROR: invalid configuration: " + e.getMessage());
      printResult("error", 0, 0, "InvalidConfiguration", null);
      return EXIT_FAILED;
    } catch (RuntimeException e) {
      err.println("ERROR: download failed: " + e);
      printResult(
          "error",
          last.get().completedFiles(),
          last.get().downloadedBytes(),
          DownloadException.Reason.FAILED.label(),
          null);
      return EXIT_FAILED;
    } finally {
      if (source != null) {
        source.close();
      }
      if (status != null) {
        status.close();
      }
    }
  }

  private ArtifactStatusReporter statusReporter() {
    String name = env.getOrDefault("ARTIFACT_NAME", "");
    if (name.isBlank()) {
      return null;
    }
    try {
      KubernetesClient client = kubernetes.get();
      String namespace = env.getOrDefault("ARTIFACT_NAMESPACE", "");
      if (namespace.isBlank()) {
        namespace = client.getNamespace() == null ? "default" : client.getNamespace();
      }
      return new ArtifactStatusReporter(client, ownsKubernetesClient, namespace, name.strip(), err);
    } catch (RuntimeException e) {
      err.println(
          "WARN: no Kubernetes client for status updates (" + e.getClass().getSimpleName() + ")");
      return null;
    }
  }

  private void printResult(
      String result, int files, long bytes, String reason, DownloadStats stats) {
    printResult(result, files, bytes, reason, stats, null);
  }

  /**
   * The result line of a failed run, as the command prints it (for simulations of the download
   * Pod that must look the same to the orchestrator).
   */
  public static String failureResult(DownloadException.Reason reason, String message) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("result", "error");
    line.put("files", 0);
    line.put("bytes", 0);
    line.put("reason", reason.label());
    line.put("message", message);
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void printResult(
      String result, int files, long bytes, String reason, DownloadStats stats, String message) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("result", result);
    line.put("files", files);
    line.put("bytes", bytes);
    line.put("reason", reason);
    if (message != null) {
      // DownloadException messages name the source but never a credential.
      line.put("message", message);
    }
    if (stats != null) {
      line.put("durationMs", stats.duration().toMillis());
      line.put("skippedFiles", stats.skippedFiles());
      line.put("resumedBytes", stats.resumedBytes());
      line.put("fetchedBytes", stats.fetchedBytes());
      // Files that had to be fetched (again): all of them on a first run, the repaired ones in verify mode.
      line.put("fetchedFiles", stats.files() - stats.skippedFiles());
    }
    String json;
    try {
      json = JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    endProgressBar();
    out.println(json);
    out.flush();
    writeTerminationMessage(json);
  }

  /**
   * The result line as the container's termination message: Kubernetes keeps it on the terminated
   * container's state, so the orchestrator classifies a failure from it and the exit code alone.
   */
  private void writeTerminationMessage(String json) {
    String configured = env.getOrDefault("AIM_TERMINATION_LOG", "");
    Path file = configured.isBlank() ? DEFAULT_TERMINATION_LOG : Path.of(configured.strip());
    if (configured.isBlank() && !Files.isWritable(file)) {
      return; // not in a Pod
    }
    try {
      Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("WARN: cannot write the termination message to " + file + ": " + e.getMessage());
    }
  }

  private boolean barShown;

  /** A progress bar on a terminal, a JSON line otherwise. */
  private void printProgress(DownloadProgress progress, long total) {
    int pct = total > 0 ? (int) Math.min(100, progress.downloadedBytes() * 100 / total) : progress.percentage();
    if (terminal) {
      int width = 30;
      int filled = pct * width / 100;
      out.print(
          "\r["
              + "#".repeat(filled)
              + " ".repeat(width - filled)
              + "] "
              + pct
              + "% "
              + human(progress.downloadedBytes())
              + "/"
              + human(total)
              + " "
              + progress.completedFiles()
              + "/"
              + progress.totalFiles()
              + " files");
      out.flush();
      barShown = true;
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("event", "progress");
    line.put("downloadedBytes", progress.downloadedBytes());
    line.put("totalBytes", total);
    line.put("percentage", pct);
    line.put("completedFiles", progress.completedFiles());
    line.put("totalFiles", progress.totalFiles());
    try {
      out.println(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  private void endProgressBar() {
    if (barShown) {
      out.println();
      barShown = false;
    }
  }

  private static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** The environment contract, parsed. */
  record Settings(Path target, long expectedBytes, Downloader.Options options) {
    static Settings from(Map<String, String> env) {
      Path target =
          Path.of(
              env.getOrDefault("TARGET_DIR", "").isBlank()
                  ? "/cache"
                  : env.get("TARGET_DIR").strip());
      long expected = longValue(env, "EXPECTED_SIZE_BYTES", 0);
      Downloader.Options options =
          Downloader.Options.defaults()
              .withStallTimeout(seconds(env, "STALL_TIMEOUT", Duration.ofSeconds(120)))
              .withProgressInterval(seconds(env, "PROGRESS_INTERVAL", Duration.ofSeconds(5)))
              .withParallelism((int) longValue(env, "AIM_DOWNLOAD_PARALLELISM", 4))
              .withMaxAttempts((int) longValue(env, "AIM_DOWNLOAD_MAX_ATTEMPTS", 5))
              .withConnectionsPerFile((int) longValue(env, "AIM_DOWNLOAD_CONNECTIONS", 4))
              .withPartSize(longValue(env, "AIM_DOWNLOAD_PART_SIZE_BYTES", 16L * 1024 * 1024));
      String mode = env.getOrDefault("AIM_DOWNLOAD_MODE", "").strip().toLowerCase(Locale.ROOT);
      if (mode.equals("verify")) {
        // Re-verify a complete cache: ignore the completion marker, hash every file, fetch what is bad.
        options = options.withTrustCompletionMarker(false).withVerifyExisting(true);
      } else if (!mode.isEmpty() && !mode.equals("download")) {
        throw new IllegalArgumentException("AIM_DOWNLOAD_MODE must be download or verify: " + mode);
      }
      return new Settings(target, expected, options);
    }

    private static long longValue(Map<String, String> env, String name, long fallback) {
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        return fallback;
      }
      try {
        return Long.parseLong(value.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " is not a whole number: " + value);
      }
    }

    /**
     * Seconds as the reference's shell scripts take them, fractions allowed (tests use short
     * timeouts).
     */
    private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        return fallback;
      }
      try {
        double s = Double.parseDouble(value.strip().replaceAll("s$", ""));
        if (!(s > 0) || Double.isInfinite(s)) {
          throw new IllegalArgumentException(
              name + " must be a positive number of seconds: " + value);
        }
        return Duration.ofMillis(Math.max(1, Math.round(s * 1000)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " is not a number of seconds: " + value);
      }
    }
  }
}
