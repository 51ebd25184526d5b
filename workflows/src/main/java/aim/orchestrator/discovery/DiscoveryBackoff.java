package aim.orchestrator.discovery;

import java.time.Duration;
import java.time.Instant;

/**
 * When a failed discovery may be tried again (spec §3.4): 60 s after the first failure, doubling with every further
 * failure, at most an hour. A changed spec (another spec hash) starts over.
 */
public final class DiscoveryBackoff {
  public static final Duration FIRST = Duration.ofSeconds(60);
  public static final Duration MAX = Duration.ofHours(1);

  private DiscoveryBackoff() {}

  /** The wait after {@code attempts} failed attempts: 0 for none, then 60 s · 2^(attempts−1), capped at 1 h. */
  public static Duration delay(int attempts) {
    if (attempts <= 0) {
      return Duration.ZERO;
    }
    if (attempts > 7) {
      return MAX; // 60 s · 2^6 already exceeds an hour
    }
    Duration d = FIRST.multipliedBy(1L << (attempts - 1));
    return d.compareTo(MAX) > 0 ? MAX : d;
  }

  /** The earliest time of the next attempt, or null when there is nothing to wait for. */
  public static Instant nextAttempt(int attempts, Instant lastAttempt) {
    if (attempts <= 0 || lastAttempt == null) {
      return null;
    }
    return lastAttempt.plus(delay(attempts));
  }
}
