package aim.orchestrator.starter.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A small map whose entries expire after a fixed time, for review answers (TokenReview, SubjectAccessReview) that
 * may be reused briefly. Failures to load are not cached. Past {@code maxEntries} expired entries are dropped first,
 * then everything.
 */
final class ExpiringCache<K, V> {
  private record Entry<V>(V value, Instant expires) {}

  private final Duration ttl;
  private final int maxEntries;
  private final Clock clock;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  ExpiringCache(Duration ttl, int maxEntries, Clock clock) {
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  V get(K key, Function<K, V> load) {
    Instant now = clock.instant();
    Entry<V> entry = entries.get(key);
    if (entry != null && now.isBefore(entry.expires())) {
      return entry.value();
    }
    V value = load.apply(key);
    if (!ttl.isZero() && !ttl.isNegative()) {
      if (entries.size() >= maxEntries) {
        entries.values().removeIf(e -> !now.isBefore(e.expires()));
        if (entries.size() >= maxEntries) {
          entries.clear();
        }
      }
      entries.put(key, new Entry<>(value, now.plus(ttl)));
    }
    return value;
  }

  int size() {
    return entries.size();
  }
}
