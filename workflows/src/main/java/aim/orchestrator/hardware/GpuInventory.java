package aim.orchestrator.hardware;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The AMD GPU models a cluster has, read from node labels only (as the reference does): the PCI device id in
 * {@code amd.com/gpu.device-id} (or {@code beta.amd.com/gpu.device-id}, or the count-encoded
 * {@code amd.com/gpu.device-id.<id>} form), VRAM from {@code amd.com/gpu.vram} or a table.
 */
public final class GpuInventory {
  /** PCI device id → GPU model. */
  public static final Map<String, String> DEVICE_MODELS = new TreeMap<>();
  /** GPU model → VRAM in GiB when no label says. */
  public static final Map<String, Integer> VRAM_GIB = new TreeMap<>();

  static {
    for (String id : List.of("74a1", "74a9", "74b5", "74bd")) {
      DEVICE_MODELS.put(id, "MI300X");
    }
    for (String id : List.of("74a5", "74b9")) {
      DEVICE_MODELS.put(id, "MI325X");
    }
    for (String id : List.of("75a0", "75b0")) {
      DEVICE_MODELS.put(id, "MI350X");
    }
    for (String id : List.of("75a3", "75b3")) {
      DEVICE_MODELS.put(id, "MI355X");
    }
    for (String id : List.of("740c", "7408")) {
      DEVICE_MODELS.put(id, "MI250X");
    }
    for (String id : List.of("740f", "7410")) {
      DEVICE_MODELS.put(id, "MI210");
    }
    DEVICE_MODELS.put("74a0", "MI300A");
    for (String id : List.of("74a2", "74a8", "74b6")) {
      DEVICE_MODELS.put(id, "MI308X");
    }
    VRAM_GIB.put("MI355X", 288);
    VRAM_GIB.put("MI350X", 288);
    VRAM_GIB.put("MI325X", 256);
    VRAM_GIB.put("MI300X", 192);
    VRAM_GIB.put("MI308X", 128);
    VRAM_GIB.put("MI300A", 128);
    VRAM_GIB.put("MI250X", 128);
    VRAM_GIB.put("MI210", 64);
  }

  private final Map<String, Integer> vramByModel;

  private GpuInventory(Map<String, Integer> vramByModel) {
    this.vramByModel = vramByModel;
  }

  /** Builds the inventory from every node's labels. */
  public static GpuInventory fromNodeLabels(List<Map<String, String>> nodes) {
    Map<String, Integer> vram = new TreeMap<>();
    for (Map<String, String> labels : nodes) {
      if (labels == null) {
        continue;
      }
      List<String> ids = new ArrayList<>();
      for (String key : List.of("amd.com/gpu.device-id", "beta.amd.com/gpu.device-id")) {
        if (labels.containsKey(key)) {
          ids.add(labels.get(key));
        }
      }
      for (var e : labels.entrySet()) {
        if (e.getKey().startsWith("amd.com/gpu.device-id.")) {
          ids.add(e.getKey().substring("amd.com/gpu.device-id.".length()));
        }
      }
      for (String id : ids) {
        String model = modelFor(id);
        Integer labelled = parseGib(labels.get("amd.com/gpu.vram"));
        vram.merge(model, labelled != null ? labelled : VRAM_GIB.getOrDefault(model, 0), Math::max);
      }
    }
    return new GpuInventory(vram);
  }

  /** The GPU model for a PCI device id; unknown ids become {@code AMD-<ID>}. */
  public static String modelFor(String deviceId) {
    String id = deviceId.toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
    return DEVICE_MODELS.getOrDefault(id, "AMD-" + id.toUpperCase(Locale.ROOT));
  }

  /** Every device id of a model, in a deterministic order (the reference's order is random). */
  public static List<String> deviceIds(String model) {
    List<String> ids = new ArrayList<>();
    for (var e : DEVICE_MODELS.entrySet()) {
      if (e.getValue().equalsIgnoreCase(model)) {
        ids.add(e.getKey());
      }
    }
    return ids;
  }

  public boolean hasAnyGpu() {
    return !vramByModel.isEmpty();
  }

  public boolean has(String model) {
    return vramByModel.containsKey(normalize(model));
  }

  public TreeSet<String> models() {
    return new TreeSet<>(vramByModel.keySet());
  }

  /** True when some GPU model in the cluster has at least this much memory. */
  public boolean hasVram(Quantity minVram) {
    BigDecimal need = minVram.getNumericalAmount();
    for (int gib : vramByModel.values()) {
      if (BigDecimal.valueOf(gib).multiply(BigDecimal.valueOf(1L << 30)).compareTo(need) >= 0) {
        return true;
      }
    }
    return false;
  }

  public static String normalize(String model) {
    return model == null ? "" : model.trim().toUpperCase(Locale.ROOT);
  }

  private static Integer parseGib(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
    try {
      if (v.endsWith("G")) {
        return Integer.parseInt(v.substring(0, v.length() - 1));
      }
      if (v.endsWith("T")) {
        return Integer.parseInt(v.substring(0, v.length() - 1)) * 1024;
      }
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
