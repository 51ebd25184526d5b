package aim.orchestrator.recipes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GPU models recipes target. Memory is what one visible device has: an MI250 shows as two devices (GCDs) of
 * 64 GiB each, so the seed's "128GB" is the whole package.
 */
public final class Gpus {
  /** One GPU model as the runtime sees it. */
  public record Gpu(String model, int vramGib, String arch, boolean fp8) {}

  private static final Map<String, Gpu> ALL = new LinkedHashMap<>();

  static {
    // CDNA2 (MI250) has no FP8 support; CDNA3 (MI300X, MI325X) and CDNA4 (MI355X) do.
    for (Gpu g :
        List.of(
            new Gpu("MI250", 64, "gfx90a", false),
            new Gpu("MI300X", 192, "gfx942", true),
            new Gpu("MI325X", 256, "gfx942", true),
            new Gpu("MI355X", 288, "gfx950", true))) {
      ALL.put(g.model(), g);
    }
  }

  private Gpus() {}

  public static List<Gpu> all() {
    return List.copyOf(ALL.values());
  }

  public static Optional<Gpu> find(String model) {
    return model == null ? Optional.empty() : Optional.ofNullable(ALL.get(model.trim().toUpperCase(Locale.ROOT)));
  }
}
