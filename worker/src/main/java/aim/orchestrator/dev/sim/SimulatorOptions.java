package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Settings of the dev/test-only {@link ClusterSimulator}.
 *
 * @param gpuNodes how many simulated GPU nodes to create (0 or more)
 * @param gpuModel the AMD Instinct model every initial node carries, e.g. {@code "MI300X"}; one of
 *     MI300X, MI325X, MI350X, MI355X, MI250X, MI210 (case-insensitive)
 * @param reactionDelay how long a simulated controller "takes" before it reacts to an object; may
 *     be {@link Duration#ZERO}
 * @param imageKnown whether the simulated container registry has an image (the full reference as
 *     written in the Pod spec); predictor Pods of an unknown image stay in {@code ImagePullBackOff}
 * @param gatewayPort port of the dev gateway's HTTP server on 127.0.0.1: {@link #GATEWAY_DISABLED}
 *     for none, 0 for a random free port
 * @param storageCapacity total size of the simulated storage pool that PersistentVolumeClaims are
 *     provisioned from, across all StorageClasses; {@code null} means unlimited
 */
public record SimulatorOptions(
    int gpuNodes,
    String gpuModel,
    Duration reactionDelay,
    Predicate<String> imageKnown,
    int gatewayPort,
    Quantity storageCapacity) {

  /**
   * The default {@link #imageKnown()}: every image can be pulled. A shared constant, so that
   * options built the same way compare equal.
   */
  public static final Predicate<String> ALL_IMAGES_KNOWN = image -> true;

  /** {@link #gatewayPort()} value that starts no dev gateway. */
  public static final int GATEWAY_DISABLED = -1;

  /** The dev gateway's port in {@link #defaults()}, i.e. in {@code ./aim dev}. */
  public static final int DEFAULT_GATEWAY_PORT = 8081;

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
    Objects.requireNonNull(imageKnown, "imageKnown");
    if (gatewayPort < GATEWAY_DISABLED || gatewayPort > 65_535) {
      throw new IllegalArgumentException(
          "gatewayPort must be -1 (disabled), 0 (random) or a port number, was " + gatewayPort);
    }
    if (storageCapacity != null && storageCapacity.getNumericalAmount().signum() < 0) {
      throw new IllegalArgumentException(
          "storageCapacity must not be negative, was " + storageCapacity);
    }
  }

  /**
   * Options where every image is known, no dev gateway runs and storage is unlimited.
   *
   * @param gpuNodes how many simulated GPU nodes to create (0 or more)
   * @param gpuModel the AMD Instinct model every node carries
   * @param reactionDelay how long a simulated controller "takes" before it reacts
   */
  public SimulatorOptions(int gpuNodes, String gpuModel, Duration reactionDelay) {
    this(gpuNodes, gpuModel, reactionDelay, ALL_IMAGES_KNOWN, GATEWAY_DISABLED, null);
  }

  /**
   * Returns the defaults: two MI300X nodes, a 300 ms reaction delay, every image known, unlimited
   * storage and the dev gateway on port {@value #DEFAULT_GATEWAY_PORT}.
   *
   * @return the default options
   */
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(2, "MI300X", Duration.ofMillis(300))
        .withGatewayPort(DEFAULT_GATEWAY_PORT);
  }

  /**
   * Returns these options with another registry content.
   *
   * @param imageKnown whether an image (full reference) can be pulled
   * @return the changed copy
   */
  public SimulatorOptions withImageKnown(Predicate<String> imageKnown) {
    return new SimulatorOptions(gpuNodes, gpuModel, reactionDelay, imageKnown, gatewayPort, storageCapacity);
  }

  /**
   * Returns these options with another dev gateway port.
   *
   * @param gatewayPort {@link #GATEWAY_DISABLED}, 0 for a random free port, or a port number
   * @return the changed copy
   */
  public SimulatorOptions withGatewayPort(int gatewayPort) {
    return new SimulatorOptions(gpuNodes, gpuModel, reactionDelay, imageKnown, gatewayPort, storageCapacity);
  }

  /**
   * These settings with a limited storage pool.
   *
   * @param capacity total size of the pool, e.g. {@code new Quantity("100Gi")}; {@code null} for
   *     unlimited
   * @return a copy with the storage capacity replaced
   */
  public SimulatorOptions withStorageCapacity(Quantity capacity) {
    return new SimulatorOptions(gpuNodes, gpuModel, reactionDelay, imageKnown, gatewayPort, capacity);
  }
}
