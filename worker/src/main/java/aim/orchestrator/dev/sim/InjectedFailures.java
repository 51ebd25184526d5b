package aim.orchestrator.dev.sim;

import aim.orchestrator.activities.download.DownloadCommand;
import aim.orchestrator.activities.download.DownloadException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Locale;

/**
 * The observable side of the failures {@link FailureInjection} injects: container logs and registry
 * errors worded like the real downloader and container runtime word them.
 *
 * <p>A failed download Pod ends as this project's downloader ends: with the exit code of its
 * reason and its JSON result line as the termination message, which is what the orchestrator
 * classifies. The log is worded like the reference downloader's too: the reference AIM engine
 * classifies a failed download Pod from its last log lines (spec §3.7), so each log below carries a
 * line that the engine's patterns map to the intended reason, and no line that an earlier-checked
 * pattern would claim first (not-found patterns are checked before auth patterns, for instance, so
 * an auth log must not say "not found").
 */
final class InjectedFailures {

  static final String SOURCE_NOT_FOUND = "SourceNotFound";
  static final String AUTH_ERROR = "AuthError";
  static final String STORAGE_FULL = "StorageFull";
  static final String OOM_KILLED = "OOMKilled";

  static final String IMAGE_NOT_FOUND = "ImageNotFound";
  static final String IMAGE_PULL_AUTH_FAILURE = "ImagePullAuthFailure";
  static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";

  /** Exit code of a process killed by SIGKILL, as the kernel's OOM killer does. */
  static final int OOM_EXIT_CODE = 137;

  private static final String FALLBACK_SOURCE = "hf://unknown/model";

  private InjectedFailures() {}

  /** The outcome of a download Pod failing for {@code reason} (one of the constants above). */
  static JobRunner.Outcome downloadFailure(Pod pod, String reason) {
    String source = sourceUri(pod);
    boolean s3 = source.startsWith("s3://");
    String start = "Starting download of " + source + " to /cache";
    String log;
    String errorLine;
    switch (reason) {
      case SOURCE_NOT_FOUND -> {
        if (s3) {
          errorLine = "ERROR: S3 error: 404 (NoSuchBucket): The specified bucket does not exist";
          log = lines(start, "s3cmd sync --stop-on-error " + source + " /cache/", errorLine);
          return structured(DownloadException.Reason.SOURCE_NOT_FOUND, "NoSuchBucket: " + source + " does not exist", log);
        } else {
          errorLine =
              "huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error. (Request ID:"
                  + " Root=1-simulated)";
          log =
              lines(
                  start,
                  "Trying protocol XET (attempt 1/2)",
                  "Traceback (most recent call last):",
                  errorLine,
                  "",
                  "Repository Not Found for url: https://huggingface.co/api/models/"
                      + repoOf(source)
                      + "/revision/main.",
                  "Please make sure you specified the correct `repo_id` and `repo_type`.");
        }
        return structured(DownloadException.Reason.SOURCE_NOT_FOUND, "Repository Not Found: " + source, log);
      }
      case AUTH_ERROR -> {
        if (s3) {
          errorLine =
              "ERROR: S3 error: 403 (InvalidAccessKeyId): The AWS Access Key Id you provided"
                  + " does not exist in our records.";
          log = lines(start, "s3cmd sync --stop-on-error " + source + " /cache/", errorLine);
        } else {
          errorLine =
              "huggingface_hub.errors.HfHubHTTPError: 401 Client Error: Unauthorized for url:"
                  + " https://hf.co/api/models/"
                  + repoOf(source)
                  + "/revision/main";
          log =
              lines(
                  start,
                  "Trying protocol XET (attempt 1/2)",
                  "Traceback (most recent call last):",
                  errorLine,
                  "Invalid username or password.",
                  "Cannot access gated repo for url https://huggingface.co/"
                      + repoOf(source)
                      + ". Access to model "
                      + repoOf(source)
                      + " is restricted.");
        }
        return structured(DownloadException.Reason.AUTH, "401 Unauthorized: no access to " + source, log);
      }
      case STORAGE_FULL -> {
        errorLine =
            "OSError: [Errno 28] No space left on device:"
                + " '/cache/model-00002-of-00004.safetensors'";
        log =
            lines(
                start,
                "Trying protocol XET (attempt 1/2)",
                "progress: 48% (downloaded bytes grew)",
                "Traceback (most recent call last):",
                errorLine);
        return structured(
            DownloadException.Reason.STORAGE_FULL,
            "No space left on device (ENOSPC) while writing /cache/model-00002-of-00004.safetensors",
            log);
      }
      case OOM_KILLED -> {
        // The OOM killer leaves no error line behind: the log just stops.
        log = lines(start, "Trying protocol XET (attempt 1/2)", "progress: 31%");
        return new JobRunner.Outcome(OOM_EXIT_CODE, "", log, OOM_KILLED);
      }
      default -> {
        errorLine = "simulated failure (" + FailureInjection.INJECT_REASON + "=" + reason + ")";
        return JobRunner.Outcome.failure(1, errorLine, lines(start, errorLine));
      }
    }
  }

  /** Exit code and termination message as this project's downloader leaves them for {@code reason}. */
  private static JobRunner.Outcome structured(DownloadException.Reason reason, String message, String log) {
    String result = DownloadCommand.failureResult(reason, message);
    return JobRunner.Outcome.failure(DownloadCommand.exitCode(reason), result, log + result + "\n");
  }

  /** The runtime's error for pulling {@code image} with the injected {@code reason}. */
  static String imagePullError(String image, String reason) {
    String ref = image == null ? "" : image;
    String prefix = "rpc error: code = ";
    return switch (reason) {
      case IMAGE_PULL_AUTH_FAILURE ->
          prefix
              + "Unknown desc = failed to pull and unpack image \""
              + ref
              + "\": failed to resolve reference \""
              + ref
              + "\": failed to authorize: failed to fetch oauth token: unexpected status: 401"
              + " Unauthorized";
      case IMAGE_PULL_BACK_OFF ->
          prefix
              + "Unknown desc = failed to pull and unpack image \""
              + ref
              + "\": failed to copy: httpReadSeeker: failed open: failed to do request: dial tcp"
              + " 10.96.0.99:443: i/o timeout";
      default ->
          prefix
              + "NotFound desc = failed to pull and unpack image \""
              + ref
              + "\": failed to resolve reference \""
              + ref
              + "\": "
              + ref
              + ": not found";
    };
  }

  /** The source URI a downloader container was given (its first argument), if recognisable. */
  static String sourceUri(Pod pod) {
    List<Container> containers = EventRecorder.containersOf(pod);
    for (Container c : containers) {
      if (c.getArgs() == null) {
        continue;
      }
      for (String arg : c.getArgs()) {
        String lower = arg.toLowerCase(Locale.ROOT);
        if (lower.startsWith("hf://") || lower.startsWith("s3://")) {
          return arg;
        }
      }
    }
    return FALLBACK_SOURCE;
  }

  private static String repoOf(String source) {
    int scheme = source.indexOf("://");
    return scheme < 0 ? source : source.substring(scheme + 3);
  }

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }
}
