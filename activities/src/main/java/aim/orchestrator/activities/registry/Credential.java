package aim.orchestrator.activities.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password (or token) for one registry. {@link #toString()} never shows the password, so a
 * credential that ends up in a log line or an exception message stays secret.
 */
public record Credential(String username, String password) {
  /** The value of an HTTP Basic {@code Authorization} header. */
  public String basicAuthorization() {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credential[username=" + username + ", password=<redacted>]";
  }
}
