package aim.orchestrator.activities.download;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * A download failure with a reason the command and the AIM engine's log classifier can act on.
 * Messages name the source (repository, bucket, URL without query string) but never a token, a
 * secret or a presigned signature.
 */
public final class DownloadException extends IOException {

  /**
   * Why a download failed; {@link #label()} is the reason name used in status and the result line.
   */
  public enum Reason {
    /** The repository, revision, bucket, prefix or file does not exist. */
    SOURCE_NOT_FOUND("SourceNotFound"),
    /** Credentials are missing, wrong, or lack access (gated repository, denied bucket). */
    AUTH("AuthError"),
    /** The target file system is full. */
    STORAGE_FULL("StorageFull"),
    /** No byte arrived for longer than the stall timeout. */
    STALLED("Stalled"),
    /** A file's size or digest did not match what the source published. */
    VERIFICATION_FAILED("VerificationFailed"),
    /** A failure worth retrying: 408, 429, 5xx, a dropped connection. */
    TRANSIENT("Transient"),
    /** The source URI cannot be used. */
    INVALID_SOURCE("InvalidSource"),
    /** Anything else, including transient failures that outlasted every retry. */
    FAILED("DownloadFailed");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** The reason name reported in status and in the result line. */
    public String label() {
      return label;
    }
  }

  private final Reason reason;
  private final Duration retryAfter;

  /** A failure with a reason. */
  public DownloadException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  /** A failure with a reason and a cause. */
  public DownloadException(Reason reason, String message, Throwable cause) {
    this(reason, message, cause, null);
  }

  /**
   * A failure with a reason, a cause and the delay the server asked for before a retry ({@code
   * Retry-After}).
   */
  public DownloadException(Reason reason, String message, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryAfter = retryAfter;
  }

  /** Why the download failed. */
  public Reason reason() {
    return reason;
  }

  /** Whether the engine should retry the operation. */
  public boolean retryable() {
    return reason == Reason.TRANSIENT;
  }

  /** The delay the server asked for before a retry, or {@code null}. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
