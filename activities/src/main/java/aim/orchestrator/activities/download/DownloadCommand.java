package aim.orchestrator.activities.download;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
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
 *   <li>tuning: {@code AIM_DOWNLOAD_PARALLELISM} (default 4), {@code AIM_DOWNLOAD_MAX_ATTEMPTS}
 *       (default 5), {@code AIM_S3_PART_SIZE_BYTES}.
 * </ul>
 *
 * <p>Exits 0 when every file is in place and verified. On failure it prints an {@code ERROR:} line
 * worded for the AIM engine's pod-log classifier (source not found, auth, storage full) and exits
 * 1. The last line is always a JSON result: {@code
 * {"result":"ok"|"error","files":N,"bytes":N,"reason":null|"SourceNotFound"|…}}.
 */
public final class DownloadCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Supplier<KubernetesClient> kubernetes;
  private final boolean ownsKubernetesClient;

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
      return 2;
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
      status = statusReporter();
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
                out.println(
                    "Progress: "
                        + progress.percentage()
                        + "% ("
                        + progress.downloadedBytes()
                        + "/"
                        + total
                        + " bytes, "
                        + progress.completedFiles()
                        + "/"
                        + progress.totalFiles()
                        + " files)");
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
          null);
      return 1;
    } catch (IllegalArgumentException e) {
      err.println("ERROR: invalid configuration: " + e.getMessage());
      printResult("error", 0, 0, "InvalidConfiguration", null);
      return 1;
    } catch (RuntimeException e) {
      err.println("ERROR: download failed: " + e);
      printResult(
          "error",
          last.get().completedFiles(),
          last.get().downloadedBytes(),
          DownloadException.Reason.FAILED.label(),
          null);
      return 1;
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
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("result", result);
    line.put("files", files);
    line.put("bytes", bytes);
    line.put("reason", reason);
    if (stats != null) {
      line.put("durationMs", stats.duration().toMillis());
      line.put("skippedFiles", stats.skippedFiles());
      line.put("resumedBytes", stats.resumedBytes());
      line.put("fetchedBytes", stats.fetchedBytes());
    }
    try {
      out.println(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
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
              .withMaxAttempts((int) longValue(env, "AIM_DOWNLOAD_MAX_ATTEMPTS", 5));
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
