package aim.orchestrator.temporal;

import io.temporal.authorization.AuthorizationTokenSupplier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API key of {@code aim.temporal.api-key.*}, handed to the SDK's {@code addApiKey}, which sends it as
 * {@code Authorization: Bearer <key>} on every call. A key file (a mounted Secret) is looked at again at most every
 * {@link #RECHECK} and re-read when it changed, so a rotated key is used without a restart. The key never appears in
 * {@link #toString()}, a message or a log line.
 */
final class ApiKeySource implements AuthorizationTokenSupplier {
  static final String FILE = "aim.temporal.api-key.file";
  static final String ENV = "aim.temporal.api-key.env";
  static final Duration RECHECK = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(ApiKeySource.class);

  private final Path file;
  private final String envName;
  private final Clock clock;
  private volatile String key;
  private volatile FileTime modified;
  private volatile Instant checked;

  private ApiKeySource(Path file, String envName, String key, FileTime modified, Clock clock) {
    this.file = file;
    this.envName = envName;
    this.key = key;
    this.modified = modified;
    this.clock = clock;
    this.checked = clock.instant();
  }

  /** The configured key source, checked now; null (with problems added) when it is wrong or empty. */
  static ApiKeySource of(TemporalProperties.ApiKey settings, Map<String, String> env, Clock clock, List<String> problems) {
    if (!settings.file().isEmpty() && !settings.env().isEmpty()) {
      problems.add("set only one of " + FILE + " and " + ENV + " (both are set)");
      return null;
    }
    if (!settings.env().isEmpty()) {
      String value = env.get(settings.env());
      if (value == null || value.isBlank()) {
        problems.add(ENV + ": the environment variable " + settings.env() + " is not set or empty");
        return null;
      }
      return new ApiKeySource(null, settings.env(), value.strip(), null, clock);
    }
    Path path = Path.of(settings.file());
    byte[] bytes = TlsMaterial.read(FILE, settings.file(), problems);
    if (bytes == null) {
      return null;
    }
    String value = new String(bytes, StandardCharsets.UTF_8).strip();
    if (value.isEmpty()) {
      problems.add(FILE + ": " + settings.file() + " is empty");
      return null;
    }
    if (value.contains("\n")) {
      problems.add(FILE + ": " + settings.file() + " holds more than one line; it must hold the API key only");
      return null;
    }
    return new ApiKeySource(path, null, value, lastModified(path), clock);
  }

  @Override
  public String supply() {
    if (file != null && clock.instant().isAfter(checked.plus(RECHECK))) {
      refresh();
    }
    return key;
  }

  private synchronized void refresh() {
    checked = clock.instant();
    FileTime now = lastModified(file);
    if (now == null || now.equals(modified)) {
      return;
    }
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (value.isEmpty() || value.contains("\n")) {
        log.warn("{}: {} changed but holds no single-line key; keeping the previous key", FILE, file);
        return;
      }
      key = value;
      modified = now;
      log.info("{}: {} changed; using the new API key", FILE, file);
    } catch (IOException e) {
      log.warn("{}: {} changed but cannot be read ({}); keeping the previous key", FILE, file, e.getMessage());
    }
  }

  private static FileTime lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return file != null ? "API key from file " + file : "API key from environment variable " + envName;
  }
}
