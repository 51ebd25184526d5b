package aim.orchestrator.activities.download;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where model files come from. Implementations map remote errors to {@link DownloadException}
 * reasons (not found, auth, transient); any other {@link IOException} is treated as a network
 * failure and retried by the {@link Downloader}. Implementations are used from several threads at
 * once.
 */
public interface DownloadSource extends AutoCloseable {

  /**
   * Opens the source a URI names: {@code hf://org/model[@revision]} ({@link HuggingFaceSource}) or
   * {@code s3://bucket/prefix} ({@link S3Source}), configured from the given environment (the
   * downloader's env contract: {@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code AWS_*}).
   *
   * @throws DownloadException with {@link DownloadException.Reason#INVALID_SOURCE} for any other
   *     URI
   */
  static DownloadSource fromUri(String uri, Map<String, String> env) throws DownloadException {
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.startsWith("hf://")) {
      return HuggingFaceSource.fromUri(uri, env);
    }
    if (lower.startsWith("s3://")) {
      return S3Source.fromUri(uri, env);
    }
    throw new DownloadException(
        DownloadException.Reason.INVALID_SOURCE,
        "Unsupported source URI '" + uri + "': it must start with hf:// or s3://");
  }

  /**
   * The transfer protocol reported in {@code status.download.protocol}: {@code HTTP} or {@code S3}.
   */
  String protocol();

  /** The source for messages, e.g. {@code hf://org/model@main}; never contains credentials. */
  String location();

  /** Lists every file to download with its size and, when published, its digest. */
  List<RemoteFile> listFiles() throws IOException;

  /**
   * Opens a file's content from {@code offset} (a ranged request when {@code offset > 0}). The
   * result says where the body starts: a source that ignored the range returns the whole file from
   * 0.
   */
  RemoteContent open(RemoteFile file, long offset) throws IOException;

  /**
   * Opens {@code length} bytes of a file from {@code offset}: one part of a file fetched on several
   * connections at once. The result's start must be {@code offset}; a source that ignored the range
   * returns a start of 0 (the caller then gives up on parts). The default opens from {@code offset}
   * to the end; the caller reads only {@code length} bytes and closes it.
   */
  default RemoteContent openRange(RemoteFile file, long offset, long length) throws IOException {
    return open(file, offset);
  }

  /** Releases connections and clients. */
  @Override
  void close();
}
