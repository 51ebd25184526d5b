package aim.orchestrator.dev.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The AMD Instinct models the simulator can put on its nodes, with the label values a real AMD GPU
 * operator (node labeller) would publish for them.
 *
 * <p>Device ids are the primary PCI ids the AIM engine maps back to a model (spec §3.4); VRAM
 * follows the engine's static table. Product names follow the labeller's {@code
 * AMD_Instinct_<model>[_OAM]} style; only the device id and VRAM are read by the engine.
 */
enum GpuModel {
  MI300X("74a1", "192G", "AMD_Instinct_MI300X_OAM", 304),
  MI325X("74a5", "256G", "AMD_Instinct_MI325X_OAM", 304),
  MI350X("75a0", "288G", "AMD_Instinct_MI350X_OAM", 256),
  MI355X("75a3", "288G", "AMD_Instinct_MI355X_OAM", 256),
  MI250X("740c", "128G", "AMD_Instinct_MI250X_OAM", 220),
  MI210("740f", "64G", "AMD_Instinct_MI210", 104);

  final String deviceId;
  final String vram;
  final String productName;
  final int computeUnits;

  GpuModel(String deviceId, String vram, String productName, int computeUnits) {
    this.deviceId = deviceId;
    this.vram = vram;
    this.productName = productName;
    this.computeUnits = computeUnits;
  }

  /** Looks a model up by its marketing name, case-insensitively (e.g. {@code "mi300x"}). */
  static GpuModel of(String name) {
    String wanted = name.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(m -> m.name().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown GPU model '"
                        + name
                        + "'; the simulator knows "
                        + Arrays.stream(values())
                            .map(Enum::name)
                            .collect(Collectors.joining(", "))));
  }
}
