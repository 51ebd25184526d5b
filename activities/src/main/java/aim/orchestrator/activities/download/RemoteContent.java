package aim.orchestrator.activities.download;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The body of a file as a source serves it.
 *
 * @param start the offset of the body's first byte within the file: the requested offset when the
 *     source honoured the range, 0 when it sent the whole file instead (the caller then starts
 *     over)
 * @param body the bytes from {@code start} to the end of the file; closing it releases the
 *     connection
 */
public record RemoteContent(long start, InputStream body) implements Closeable {

  /** Validates the fields. */
  public RemoteContent {
    Objects.requireNonNull(body, "body");
    if (start < 0) {
      throw new IllegalArgumentException("negative start");
    }
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
