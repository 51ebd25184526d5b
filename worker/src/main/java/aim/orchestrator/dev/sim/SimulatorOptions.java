package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the dev/test-only {@link ClusterSimulator}.
 *
 * @param gpuNodes how many simulated GPU nodes to create (0 or more)
 * @param gpuModel the AMD Instinct model every initial node carries, e.g. {@code "MI300X"}; one of
 *     MI300X, MI325X, MI350X, MI355X, MI250X, MI210 (case-insensitive)
 * @param reactionDelay how long a simulated controller "takes" before it reacts to an object; may
 *     be {@link Duration#ZERO}
 * @param storageCapacity total size of the simulated storage pool that PersistentVolumeClaims are
 *     provisioned from, across all StorageClasses; {@code null} means unlimited
 */
public record SimulatorOptions(
    int gpuNodes, String gpuModel, Duration reactionDelay, Quantity storageCapacity) {

  /** Validates the settings early so that a typo in a dev profile fails at start, not later. */
  public SimulatorOptions {
    if (gpuNodes < 0) {
      throw new IllegalArgumentException("gpuNodes must be >= 0, was " + gpuNodes);
    }
    Objects.requireNonNull(gpuModel, "gpuModel");
    GpuModel.of(gpuModel);
    Objects.requireNonNull(reactionDelay, "reactionDelay");
    if (reactionDelay.isNegative()) {
      throw new IllegalArgumentException(
          "reactionDelay must not be negative, was " + reactionDelay);
    }
    if (storageCapacity != null && storageCapacity.getNumericalAmount().signum() < 0) {
      throw new IllegalArgumentException(
          "storageCapacity must not be negative, was " + storageCapacity);
    }
  }

  /**
   * Settings with unlimited storage.
   *
   * @param gpuNodes how many simulated GPU nodes to create (0 or more)
   * @param gpuModel the AMD Instinct model every initial node carries
   * @param reactionDelay how long a simulated controller "takes" before it reacts
   */
  public SimulatorOptions(int gpuNodes, String gpuModel, Duration reactionDelay) {
    this(gpuNodes, gpuModel, reactionDelay, null);
  }

  /**
   * Returns the defaults: two MI300X nodes, a 300 ms reaction delay and unlimited storage.
   *
   * @return the default options
   */
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(2, "MI300X", Duration.ofMillis(300));
  }

  /**
   * These settings with a limited storage pool.
   *
   * @param capacity total size of the pool, e.g. {@code new Quantity("100Gi")}; {@code null} for
   *     unlimited
   * @return a copy with the storage capacity replaced
   */
  public SimulatorOptions withStorageCapacity(Quantity capacity) {
    return new SimulatorOptions(gpuNodes, gpuModel, reactionDelay, capacity);
  }
}
