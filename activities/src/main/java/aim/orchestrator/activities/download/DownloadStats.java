package aim.orchestrator.activities.download;

import java.time.Duration;

/**
 * What a finished download did; the seam benchmarks read.
 *
 * @param files the number of files in place
 * @param bytes their total size
 * @param duration wall time from listing to the last file moved into place
 * @param resumedBytes bytes reused from partial files instead of being fetched again
 * @param skippedFiles files already present and verified, not fetched at all
 * @param fetchedBytes bytes read from the network (throughput = fetchedBytes / duration)
 */
public record DownloadStats(
    int files,
    long bytes,
    Duration duration,
    long resumedBytes,
    int skippedFiles,
    long fetchedBytes) {}
