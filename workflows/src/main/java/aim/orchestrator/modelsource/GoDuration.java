package aim.orchestrator.modelsource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/** Go's {@code time.ParseDuration} syntax ({@code 1h}, {@code 30m}, {@code 1h30m}, {@code 1.5h}, {@code 90s}), as the CRD's duration fields use it. */
public final class GoDuration {
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "μs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException when the text is not a Go duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw invalid(text);
    }
    String s = text;
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      Long unit = NANOS_PER_UNIT.get(s.substring(unitStart, i));
      if (number.isEmpty() || number.equals(".") || number.chars().filter(c -> c == '.').count() > 1 || unit == null) {
        throw invalid(text);
      }
      nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
    }
    try {
      Duration d = Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
      return negative ? d.negated() : d;
    } catch (ArithmeticException e) {
      throw invalid(text);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("invalid duration \"" + text + "\": expected a Go duration such as 1h, 30m or 1h30m");
  }
}
