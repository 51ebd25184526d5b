package aim.orchestrator.recipes;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Precision names, their size per parameter and the AIM container's ranking. */
public final class Precisions {
  /** The concrete precisions AIM knows (AIM_PRECISION also accepts {@code auto}). */
  public static final List<String> ALL = List.of("int4", "int8", "fp4", "fp8", "fp16", "bf16", "fp32");

  /** AIM's profile ranking (spec §5.3 step 4): lower sorts first. */
  private static final Map<String, Integer> AIM_RANK =
      Map.of("int4", 1, "int8", 2, "fp4", 3, "fp8", 4, "fp16", 5, "bf16", 6, "fp32", 7);

  private static final Map<String, Double> BYTES =
      Map.of("int4", 0.5, "fp4", 0.5, "int8", 1.0, "fp8", 1.0, "fp16", 2.0, "bf16", 2.0, "fp32", 4.0);

  /** The seed's generic {@code --dtype} value of each recipe precision. */
  private static final Map<String, String> GENERIC_DTYPE =
      Map.of("bf16", "bfloat16", "fp16", "float16", "fp8", "float8", "int8", "int8", "int4", "int4");

  private Precisions() {}

  public static boolean known(String precision) {
    return precision != null && ALL.contains(precision.toLowerCase(Locale.ROOT));
  }

  public static int aimRank(String precision) {
    return AIM_RANK.getOrDefault(precision, 99);
  }

  /** Bytes per parameter. */
  public static double bytes(String precision) {
    Double b = BYTES.get(precision);
    if (b == null) {
      throw new IllegalArgumentException("unknown precision " + precision);
    }
    return b;
  }

  /** The generic {@code --dtype} a recipe of this precision must use. */
  public static String genericDtype(String precision) {
    return GENERIC_DTYPE.get(precision);
  }
}
