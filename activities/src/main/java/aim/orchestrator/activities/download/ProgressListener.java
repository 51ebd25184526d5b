package aim.orchestrator.activities.download;

/**
 * Receives progress reports from the {@link Downloader}: a first report once the file list is
 * known, then at most one per progress interval while bytes move, and a last one when every file is
 * in place. Called from one internal thread at a time; exceptions are logged and otherwise ignored,
 * so a failing status write never stops a download.
 */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores every report. */
  ProgressListener NONE = progress -> {};

  /** Called with the latest snapshot. */
  void onProgress(DownloadProgress progress);
}
