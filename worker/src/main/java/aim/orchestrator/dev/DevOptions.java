package aim.orchestrator.dev;

import aim.orchestrator.dev.sim.SimulatorOptions;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The options of {@code ./aim dev} (dev/test only): ports and the shape of the simulated cluster. */
@Command(
    name = "aim dev",
    mixinStandardHelpOptions = true,
    description = "Runs the whole product on this machine: embedded Temporal, a dev Kubernetes API and a simulated cluster.")
public final class DevOptions {
  @Option(names = "--temporal-port", defaultValue = "7233", description = "Temporal frontend port (default ${DEFAULT-VALUE}).")
  int temporalPort;

  @Option(names = "--kube-port", defaultValue = "6443", description = "Dev Kubernetes API port (default ${DEFAULT-VALUE}).")
  int kubePort;

  @Option(names = "--s3-port", defaultValue = "9000", description = "Dev S3-compatible endpoint port (default ${DEFAULT-VALUE}).")
  int s3Port;

  @Option(names = "--gpu-nodes", defaultValue = "2", description = "Simulated GPU nodes (default ${DEFAULT-VALUE}).")
  int gpuNodes;

  @Option(
      names = "--gpu-model",
      defaultValue = "MI300X",
      description = "GPU model of the simulated nodes: MI300X, MI325X, MI350X, MI355X, MI250X, MI210 (default ${DEFAULT-VALUE}).")
  String gpuModel;

  @Option(names = "--reaction-delay", defaultValue = "300ms", converter = DurationConverter.class,
      description = "How long simulated controllers take to react, e.g. 300ms or 2s (default ${DEFAULT-VALUE}).")
  Duration reactionDelay;

  @Option(names = "--gateway-port", defaultValue = "8081", description = "Dev gateway port; -1 for none (default ${DEFAULT-VALUE}).")
  int gatewayPort;

  @Option(names = "--storage-capacity", description = "Total simulated storage, e.g. 500Gi (default: unlimited).")
  String storageCapacity;

  @Option(
      names = "--download-rate",
      description = "Serve each dev model hub download at most this many bytes per second, e.g. 64Ki, so progress can be watched "
          + "(default: as fast as it goes).")
  String downloadRate;

  @Option(names = "--images", description = "A folder of extra simulated-image descriptors (docs/simulated-images.md).")
  Path images;

  @Option(
      names = "--encrypt-payloads",
      description = "Encrypt workflow payloads with the payload codec (AES-256-GCM). The key is made on first use in .aim/dev/codec-keys unless --codec-keys names a folder.")
  boolean encryptPayloads;

  @Option(
      names = "--codec-keys",
      description = "A folder of payload codec keys (file name = key id, content = 32 bytes in base64); implies --encrypt-payloads.")
  Path codecKeys;

  /** Whether the dev mode encrypts payloads (off unless asked). */
  boolean payloadCodec() {
    return encryptPayloads || codecKeys != null;
  }

  /** Parses the arguments; prints help or the usage error and returns null when the caller should exit. */
  static DevOptions parse(String... args) {
    DevOptions options = new DevOptions();
    CommandLine cli = new CommandLine(options);
    try {
      var parsed = cli.parseArgs(args);
      if (CommandLine.printHelpIfRequested(parsed)) {
        return null;
      }
      try {
        options.downloadBytesPerSecond();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cli, e.getMessage(), e);
      }
    } catch (CommandLine.ParameterException e) {
      System.err.println(e.getMessage());
      cli.usage(System.err);
      System.exit(2);
    }
    return options;
  }

  /** Bytes per second for each dev model hub download; 0 = unthrottled. */
  long downloadBytesPerSecond() {
    if (downloadRate == null) {
      return 0;
    }
    long bytes;
    try {
      bytes = Quantity.getAmountInBytes(new Quantity(downloadRate)).longValue();
    } catch (RuntimeException e) {
      bytes = -1;
    }
    if (bytes <= 0) {
      throw new IllegalArgumentException("--download-rate must be a positive quantity such as 64Ki, not " + downloadRate);
    }
    return bytes;
  }

  SimulatorOptions simulator() {
    SimulatorOptions o = new SimulatorOptions(gpuNodes, gpuModel, reactionDelay).withGatewayPort(gatewayPort);
    return storageCapacity == null ? o : o.withStorageCapacity(new Quantity(storageCapacity));
  }

  /** {@code 300ms}, {@code 2s}, {@code 1m}, or an ISO-8601 duration. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim();
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.parse(v);
    }
  }
}
