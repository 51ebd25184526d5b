package aim.orchestrator.activities.download;

import java.util.Objects;

/**
 * One file of a model repository as a source lists it.
 *
 * @param path the path relative to the repository root (or S3 prefix), with {@code /} separators;
 *     the file is written at this path under the target directory
 * @param size the size in bytes
 * @param checksum the digest to verify the content against, or {@code null} when the source
 *     publishes none (then only the size is verified)
 */
public record RemoteFile(String path, long size, Checksum checksum) {

  /** Validates the fields. */
  public RemoteFile {
    Objects.requireNonNull(path, "path");
    if (size < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
  }

  /** A file without a published digest. */
  public RemoteFile(String path, long size) {
    this(path, size, null);
  }
}
