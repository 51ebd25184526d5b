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
 * The journal of a large file's finished parts ({@code <file>.incomplete.parts}): a header naming the file's size and
 * part size, then one line per part that is fully written and synced to the partial file. It is appended to and
 * synced after every part, so after a crash it lists only parts whose bytes are on disk. A journal for another size
 * or part size, or without its partial file, is thrown away together with the partial file.
 */
final class PartJournal {
  private static final String MAGIC = "aim-download-parts v1";

  private final Path path;
  private final long size;
  private final long partSize;
  private final BitSet finished = new BitSet();

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
            int i = Integer.parseInt(line.strip());
            if (i >= 0 && i < parts) {
              journal.finished.set(i);
            }
          } catch (NumberFormatException e) {
            // a line cut short by a crash: that part was not finished
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

  /** The bytes of the finished parts. */
  synchronized long finishedBytes() {
    long bytes = 0;
    for (int i = finished.nextSetBit(0); i >= 0; i = finished.nextSetBit(i + 1)) {
      bytes += Math.min(partSize, size - (long) i * partSize);
    }
    return bytes;
  }

  /** Records a part whose bytes are synced to the partial file. */
  synchronized void finish(int part) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap((part + "\n").getBytes(StandardCharsets.UTF_8)));
      channel.force(false);
    }
    finished.set(part);
  }
}
