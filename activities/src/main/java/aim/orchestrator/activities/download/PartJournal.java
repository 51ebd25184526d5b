package aim.orchestrator.activities.download;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;

/**
 * The journal of a large file's parts ({@code <file>.incomplete.parts}): a header naming the file's size and part
 * size, then a line {@code <part>} for each part fully written and synced to the partial file, and {@code
 * <part>@<bytes>} checkpoints of parts in progress (their first bytes are synced). It is appended to and synced
 * after the bytes it vouches for, so after a crash it claims only bytes that are on disk, and a resumed part goes on
 * from its last checkpoint. A journal for another size or part size, or without its partial file, is thrown away
 * together with the partial file.
 */
final class PartJournal {
  private static final String MAGIC = "aim-download-parts v1";

  private final Path path;
  private final long size;
  private final long partSize;
  private final BitSet finished = new BitSet();
  private final java.util.Map<Integer, Long> checkpoints = new java.util.HashMap<>();

  private PartJournal(Path path, long size, long partSize) {
    this.path = path;
    this.size = size;
    this.partSize = partSize;
  }

  /** Reads the journal of {@code partial}, or starts a new one (and a new, full-length partial file). */
  static PartJournal open(Path path, Path partial, long size, long partSize) throws IOException {
    PartJournal journal = new PartJournal(path, size, partSize);
    String header = header(size, partSize);
    if (Files.isRegularFile(path) && Files.isRegularFile(partial) && Files.size(partial) == size) {
      List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && lines.get(0).equals(header)) {
        int parts = journal.parts();
        for (String line : lines.subList(1, lines.size())) {
          try {
            String[] at = line.strip().split("@", 2);
            int i = Integer.parseInt(at[0]);
            if (i < 0 || i >= parts) {
              continue;
            }
            if (at.length == 1) {
              journal.finished.set(i);
            } else {
              long bytes = Long.parseLong(at[1]);
              if (bytes > 0 && bytes <= journal.length(i)) {
                journal.checkpoints.merge(i, bytes, Math::max);
              }
            }
          } catch (NumberFormatException e) {
            // a line cut short by a crash: it vouches for nothing
          }
        }
        return journal;
      }
    }
    // Start over: a fresh partial file of the full length (sparse where the file system allows) and journal.
    try (FileChannel channel =
        FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      if (size > 0) {
        channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
      }
      channel.force(false);
    }
    Files.writeString(path, header + "\n", StandardCharsets.UTF_8);
    return journal;
  }

  private static String header(long size, long partSize) {
    return MAGIC + " size=" + size + " partSize=" + partSize;
  }

  int parts() {
    return (int) ((size + partSize - 1) / partSize);
  }

  synchronized boolean isFinished(int part) {
    return finished.get(part);
  }

  synchronized int finishedParts() {
    return finished.cardinality();
  }

  /** The length of a part (the last one may be shorter). */
  long length(int part) {
    return Math.min(partSize, size - (long) part * partSize);
  }

  /** Bytes of a part known to be on disk: all of a finished part, else its last checkpoint (0 if none). */
  synchronized long durable(int part) {
    return finished.get(part) ? length(part) : checkpoints.getOrDefault(part, 0L);
  }

  /** The bytes the journal vouches for: finished parts and the checkpointed beginnings of the others. */
  synchronized long finishedBytes() {
    long bytes = 0;
    for (int i = 0; i < parts(); i++) {
      bytes += durable(i);
    }
    return bytes;
  }

  /** Records a part whose bytes are synced to the partial file. */
  synchronized void finish(int part) throws IOException {
    append(part + "\n");
    finished.set(part);
  }

  /** Records that the first {@code bytes} of a part are synced to the partial file. */
  synchronized void checkpoint(int part, long bytes) throws IOException {
    append(part + "@" + bytes + "\n");
    checkpoints.merge(part, bytes, Math::max);
  }

  private void append(String line) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      channel.force(false);
    }
  }
}
