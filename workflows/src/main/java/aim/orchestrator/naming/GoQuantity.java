package aim.orchestrator.naming;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON string Kubernetes' Go {@code resource.Quantity} marshals to, for quantities that reach a hash input (the
 * {@code divisor} of an env var's {@code resourceFieldRef}).
 *
 * <p>Go parses the text into a value and a format (binary suffixes such as {@code Mi}, decimal suffixes such as
 * {@code k} or none, or an exponent such as {@code e3}), rounds values finer than 10<sup>-9</sup> up, and marshals
 * the canonical form: the mantissa as an integer with the largest suffix that keeps it exact (binary quantities are
 * capped at the largest int64, as in Go). There is one
 * exception, reproduced here: when parsing takes Go's fast path and the text already looks canonical, Go keeps the
 * original text, including a leading {@code +}, leading zeros or an upper-case {@code E}.
 */
final class GoQuantity {

  private static final Pattern NUMBER = Pattern.compile("([+-]?)([0-9]*)(?:\\.([0-9]*))?(.*)");
  private static final Pattern EXPONENT = Pattern.compile("[eE]([+-]?[0-9]+)");
  private static final Map<String, Integer> DECIMAL_SUFFIXES =
      Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final Map<String, Integer> BINARY_SUFFIXES =
      Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
  private static final String[] BINARY_BY_POWER = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final int NANO_SCALE = 9;
  private static final int MAX_INT64_DIGITS = 18;
  private static final BigDecimal BINARY_SI_LOWER_BOUND = BigDecimal.valueOf(-1024);
  private static final BigDecimal BINARY_SI_UPPER_BOUND = BigDecimal.valueOf(1024);
  private static final BigInteger KIBI = BigInteger.valueOf(1024);
  private static final BigDecimal MAX_INT64 = BigDecimal.valueOf(Long.MAX_VALUE);

  private enum Format {
    BINARY_SI,
    DECIMAL_SI,
    DECIMAL_EXPONENT
  }

  private GoQuantity() {}

  /**
   * Returns the string a Go {@code resource.Quantity} holding this quantity marshals to; null is the zero quantity,
   * which marshals to {@code "0"}.
   */
  static String marshal(Quantity quantity) {
    if (quantity == null || quantity.getAmount() == null) {
      return "0";
    }
    String format = quantity.getFormat() == null ? "" : quantity.getFormat();
    return marshal(quantity.getAmount() + format);
  }

  /** Returns the string a Go {@code resource.Quantity} parsed from {@code text} marshals to. */
  static String marshal(String text) {
    String str = text.strip();
    if (str.isEmpty()) {
      throw invalid(text);
    }
    Matcher number = NUMBER.matcher(str);
    if (!number.matches()) {
      throw invalid(text);
    }
    boolean negative = number.group(1).equals("-");
    String num = stripLeadingZeros(number.group(2));
    String denom = number.group(3) == null ? "" : number.group(3);
    String suffix = number.group(4);

    Format format;
    int base;
    int exponent;
    if (DECIMAL_SUFFIXES.containsKey(suffix)) {
      format = Format.DECIMAL_SI;
      base = 10;
      exponent = DECIMAL_SUFFIXES.get(suffix);
    } else if (BINARY_SUFFIXES.containsKey(suffix)) {
      format = Format.BINARY_SI;
      base = 2;
      exponent = BINARY_SUFFIXES.get(suffix);
    } else {
      Matcher exp = EXPONENT.matcher(suffix);
      if (!exp.matches()) {
        throw invalid(text);
      }
      format = Format.DECIMAL_EXPONENT;
      base = 10;
      try {
        exponent = Integer.parseInt(exp.group(1));
      } catch (NumberFormatException e) {
        throw invalid(text);
      }
    }

    if (keepsOriginalText(format, num, denom, exponent)) {
      return str;
    }

    BigDecimal value = new BigDecimal(num + "." + (denom.isEmpty() ? "0" : denom));
    value =
        base == 10
            ? value.scaleByPowerOfTen(exponent)
            : value.multiply(new BigDecimal(BigInteger.TWO.pow(exponent)));
    if (value.scale() > NANO_SCALE) {
      value = value.setScale(NANO_SCALE, RoundingMode.UP);
    }
    if (format == Format.BINARY_SI && value.compareTo(MAX_INT64) > 0) {
      // Go caps binary quantities at the largest int64.
      value = MAX_INT64;
    }
    if (negative) {
      value = value.negate();
    }
    return canonical(value, format);
  }

  /**
   * Whether Go's fast parse path applies and keeps the original text because it is already in canonical form.
   * {@code num} has its leading zeros removed and is empty when there were only zeros.
   */
  private static boolean keepsOriginalText(Format format, String num, String denom, int exponent) {
    String numerator = num.isEmpty() ? "0" : num;
    String shifted = numerator + denom;
    if (format == Format.BINARY_SI) {
      int precision = 15 - numerator.length() - (exponent * 3 / 10) - 1;
      if (!denom.isEmpty() || precision < 0) {
        return false;
      }
      long value = Long.parseLong(shifted);
      boolean fits = value == 0 || Long.numberOfLeadingZeros(value) > exponent;
      return fits && (value & 0x07) != 0;
    }
    int precision = MAX_INT64_DIGITS - (numerator.length() + denom.length());
    int scale = exponent - denom.length();
    if (precision < 0 || scale < -NANO_SCALE) {
      return false;
    }
    return scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
  }

  private static String canonical(BigDecimal value, Format format) {
    if (value.signum() == 0) {
      return "0";
    }
    Format effective = format;
    if (format == Format.BINARY_SI) {
      boolean small = value.compareTo(BINARY_SI_LOWER_BOUND) > 0 && value.compareTo(BINARY_SI_UPPER_BOUND) < 0;
      boolean fractional = value.stripTrailingZeros().scale() > 0;
      if (small || fractional) {
        effective = Format.DECIMAL_SI;
      }
    }
    if (effective == Format.BINARY_SI) {
      BigInteger mantissa = value.toBigIntegerExact();
      int power = 0;
      while (mantissa.remainder(KIBI).signum() == 0) {
        mantissa = mantissa.divide(KIBI);
        power++;
      }
      return mantissa + (power < BINARY_BY_POWER.length ? BINARY_BY_POWER[power] : "");
    }
    BigDecimal stripped = value.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    int down = Math.floorMod(exponent, 3);
    mantissa = mantissa.multiply(BigInteger.TEN.pow(down));
    exponent -= down;
    if (effective == Format.DECIMAL_EXPONENT) {
      return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }
    String suffix = "";
    for (Map.Entry<String, Integer> entry : DECIMAL_SUFFIXES.entrySet()) {
      if (entry.getValue() == exponent) {
        suffix = entry.getKey();
      }
    }
    return mantissa + suffix;
  }

  private static String stripLeadingZeros(String digits) {
    int i = 0;
    while (i < digits.length() && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("\"" + text + "\" is not a valid Kubernetes quantity");
  }
}
