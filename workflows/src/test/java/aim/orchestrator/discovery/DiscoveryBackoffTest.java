package aim.orchestrator.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DiscoveryBackoffTest {
  @Test
  void doublesFromAMinuteToAnHour() {
    assertThat(DiscoveryBackoff.delay(0)).isZero();
    assertThat(DiscoveryBackoff.delay(1)).isEqualTo(Duration.ofSeconds(60));
    assertThat(DiscoveryBackoff.delay(2)).isEqualTo(Duration.ofSeconds(120));
    assertThat(DiscoveryBackoff.delay(6)).isEqualTo(Duration.ofSeconds(1920));
    assertThat(DiscoveryBackoff.delay(7)).isEqualTo(Duration.ofHours(1));
    assertThat(DiscoveryBackoff.delay(40)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void nextAttemptIsTheLastPlusTheDelay() {
    Instant last = Instant.parse("2026-11-22T10:00:00Z");
    assertThat(DiscoveryBackoff.nextAttempt(0, last)).isNull();
    assertThat(DiscoveryBackoff.nextAttempt(3, last)).isEqualTo(Instant.parse("2026-11-22T10:04:00Z"));
  }
}
