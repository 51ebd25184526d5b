package aim.orchestrator.render;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Storage size arithmetic: PVC sizing and human-readable sizes. */
public final class Sizes {
  private static final long GIB = 1L << 30;

  private Sizes() {}

  /** {@code ceil_Gi(bytes × (1 + headroom/100))} as a Kubernetes quantity, e.g. 9 094 593 249 B at 10 % ⇒ 10Gi. */
  public static Quantity pvcSize(long bytes, int headroomPercent) {
    BigDecimal withHeadroom =
        BigDecimal.valueOf(bytes).multiply(BigDecimal.valueOf(100L + headroomPercent)).divide(BigDecimal.valueOf(100));
    long gib = withHeadroom.divide(BigDecimal.valueOf(GIB), 0, RoundingMode.CEILING).longValue();
    return new Quantity(Math.max(gib, 1) + "Gi");
  }

  /** Bytes of a quantity (0 for null). */
  public static long bytes(Quantity q) {
    return q == null ? 0 : q.getNumericalAmount().setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Two significant digits with a binary unit: 65.5 GiB ⇒ "66Gi", 512 MiB ⇒ "512Mi", 1.5 GiB ⇒ "1.5Gi". */
  public static String display(long bytes) {
    String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    BigDecimal rounded = new BigDecimal(v).round(new java.math.MathContext(2, RoundingMode.HALF_UP));
    return rounded.stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT) + units[u];
  }
}
