package aim.orchestrator.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * The payload codec keys of {@code ./aim dev --encrypt-payloads} (dev/test only): a folder with one key, made on
 * first use, that the worker and the starter of the dev mode both read ({@code aim.temporal.codec.key-dir}).
 */
public final class DevCodecKeys {
  /** The id (file name) of the key the dev mode makes. */
  public static final String DEV_KEY_ID = "dev-1";

  private DevCodecKeys() {}

  /** Makes {@code dir/dev-1} (32 random bytes, base64, owner-readable) unless the folder already holds a key. */
  public static Path ensure(Path dir) {
    try {
      Files.createDirectories(dir);
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.anyMatch(p -> !p.getFileName().toString().startsWith("."))) {
          return dir;
        }
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Path file = dir.resolve(DEV_KEY_ID);
      Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the folder's own permissions protect it.
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("[dev] cannot make a payload codec key in " + dir, e);
    }
  }

  /** The settings that turn the codec on with the keys in {@code dir}, for the worker's and starter's command lines. */
  public static List<String> args(Path dir) {
    return List.of("--aim.temporal.codec.enabled=true", "--aim.temporal.codec.key-dir=" + dir.toAbsolutePath());
  }
}
