package aim.orchestrator.activities.download;

/**
 * A snapshot of a running download.
 *
 * @param downloadedBytes bytes in place so far: complete files, skipped files and the
 *     verified-so-far part of partial files (never decreases, even when a file has to start over)
 * @param totalBytes the total size of all files
 * @param completedFiles files in place (downloaded or already present)
 * @param totalFiles the number of files
 */
public record DownloadProgress(
    long downloadedBytes, long totalBytes, int completedFiles, int totalFiles) {

  /** Whole percent done, 0..100 (100 only when every byte is in place). */
  public int percentage() {
    if (totalBytes <= 0) {
      return completedFiles == totalFiles ? 100 : 0;
    }
    return (int) Math.min(100, downloadedBytes * 100 / totalBytes);
  }
}
