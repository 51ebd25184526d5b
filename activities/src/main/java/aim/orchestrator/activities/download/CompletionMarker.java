package aim.orchestrator.activities.download;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a complete, verified download left behind: {@value #FILE} at the target's root, naming the source and every
 * file with its size and digest. A later run of the same source finds every file still there with its size and
 * ends without a single network request; the verify mode ignores the marker, hashes every file and fetches what is
 * missing or corrupt. Any run that may change files removes the marker first, so it never vouches for a half-done
 * state.
 *
 * @param source the source's location, e.g. {@code hf://org/model@main}
 * @param files every file, relative to the target
 */
public record CompletionMarker(String source, List<Entry> files) {
  /** The marker's file name (a dot file, so model loaders skip it). */
  public static final String FILE = ".aim-download-complete.json";

  private static final Logger log = LoggerFactory.getLogger(CompletionMarker.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file of the completed snapshot. */
  public record Entry(String path, long size, String checksum) {}

  /** The total size of the files. */
  @JsonIgnore
  public long bytes() {
    return files.stream().mapToLong(Entry::size).sum();
  }

  /** Whether every file is still in place with its size (cheap: no hashing). */
  public boolean stillInPlace(Path target) {
    for (Entry e : files) {
      Path p = target.resolve(e.path()).normalize();
      try {
        if (!p.startsWith(target) || !Files.isRegularFile(p) || Files.size(p) != e.size()) {
          return false;
        }
      } catch (IOException ex) {
        return false;
      }
    }
    return true;
  }

  /** The marker of {@code source} in {@code target}, if there is one for that very source. */
  public static Optional<CompletionMarker> read(Path target, String source) {
    Path file = target.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      CompletionMarker m = JSON.readValue(file.toFile(), CompletionMarker.class);
      return source.equals(m.source()) && m.files() != null ? Optional.of(m) : Optional.empty();
    } catch (IOException e) {
      log.info("Ignoring an unreadable {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  static void write(Path target, String source, List<RemoteFile> files) {
    List<Entry> entries =
        files.stream()
            .map(f -> new Entry(f.path(), f.size(), f.checksum() == null ? null : f.checksum().algorithm().label() + ":" + f.checksum().hex()))
            .toList();
    Path file = target.resolve(FILE);
    Path tmp = target.resolve(FILE + Downloader.PARTIAL_SUFFIX);
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new CompletionMarker(source, entries));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // Only an optimisation is lost: the next run verifies instead of trusting the marker.
      log.warn("Cannot write {}: {}", file, e.getMessage());
    }
  }

  static void remove(Path target) {
    try {
      Files.deleteIfExists(target.resolve(FILE));
    } catch (IOException e) {
      log.warn("Cannot remove {}: {}", target.resolve(FILE), e.getMessage());
    }
  }
}
