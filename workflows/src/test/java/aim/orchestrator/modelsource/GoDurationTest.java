package aim.orchestrator.modelsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
  @ParameterizedTest
  @CsvSource({
    "1h, PT1H", "30m, PT30M", "1h30m, PT1H30M", "1.5h, PT1H30M", "90s, PT1M30S", "0, PT0S", "250ms, PT0.25S",
    "2h45m30.5s, PT2H45M30.5S", "1us, PT0.000001S", "1µs, PT0.000001S", "10ns, PT0.00000001S", "-5m, PT-5M", "+5m, PT5M"
  })
  void parsesGoDurations(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "h", "1d", "1 h", "1.2.3s", "-", "1hh", ".h", "99999999999999h"})
  void rejectsEverythingElse(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid duration");
  }
}
