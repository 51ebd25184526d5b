package aim.orchestrator.dev.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the dev/test-only {@link ClusterSimulator}.
 *
 * @param gpuNodes how many simulated GPU nodes to create (0 or more)
 * @param gpuModel the AMD Instinct model every node carries, e.g. {@code "MI300X"}; one of MI300X,
 *     MI325X, MI350X, MI355X, MI250X, MI210 (case-insensitive)
 * @param reactionDelay how long a simulated controller "takes" before it reacts to an object; may
 *     be {@link Duration#ZERO}
 */
public record SimulatorOptions(int gpuNodes, String gpuModel, Duration reactionDelay) {

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
  }

  /**
   * Returns the defaults: two MI300X nodes and a 300 ms reaction delay.
   *
   * @return the default options
   */
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(2, "MI300X", Duration.ofMillis(300));
  }
}
