package aim.orchestrator.dev;

import aim.orchestrator.dev.kube.DevKubernetesApi;
import aim.orchestrator.dev.sim.ClusterSimulator;
import aim.orchestrator.dev.sim.SimulatorOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded infrastructure of the dev mode and of end-to-end tests — dev/test only: Temporal's Java test
 * server bound to a real port (so the Temporal CLI and other processes can connect), the dev Kubernetes API, and
 * the cluster simulator. Nothing here is used by a production worker or starter.
 */
public final class DevEnvironment implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevEnvironment.class);

  private final TestServer.PortBoundTestServer temporal;
  private final int temporalPort;
  private final DevKubernetesApi kubernetes;
  private final KubernetesClient client;
  private final ClusterSimulator simulator;
  private final aim.orchestrator.dev.sim.DevModelHub hub;
  private aim.orchestrator.dev.sim.DevObjectStore objectStore;
  private final aim.orchestrator.dev.sim.DevRegistry registry;
  private final aim.orchestrator.recipes.SimulatedImages images;
  private Path volumes;
  private boolean ownsVolumes;

  private DevEnvironment(
      TestServer.PortBoundTestServer temporal,
      int temporalPort,
      DevKubernetesApi kubernetes,
      KubernetesClient client,
      ClusterSimulator simulator,
      aim.orchestrator.dev.sim.DevModelHub hub,
      aim.orchestrator.dev.sim.DevRegistry registry,
      aim.orchestrator.recipes.SimulatedImages images) {
    this.temporal = temporal;
    this.temporalPort = temporalPort;
    this.kubernetes = kubernetes;
    this.client = client;
    this.simulator = simulator;
    this.hub = hub;
    this.registry = registry;
    this.images = images;
  }

  /**
   * Starts everything.
   *
   * @param temporalPort port for the Temporal frontend (0 = a free port)
   * @param kubernetesPort port for the dev Kubernetes API (0 = a free port)
   */
  public static DevEnvironment start(int temporalPort, int kubernetesPort, SimulatorOptions simulatorOptions) {
    DevEnvironment env = start(temporalPort, kubernetesPort, simulatorOptions, defaultVolumes());
    env.ownsVolumes = true;
    return env;
  }

  /**
   * Starts everything; download Jobs run the real downloader into {@code volumes/<namespace>/<claim>}, fetching
   * from the dev model hub.
   */
  public static DevEnvironment start(
      int temporalPort, int kubernetesPort, SimulatorOptions simulatorOptions, Path volumes) {
    return start(temporalPort, kubernetesPort, 0, simulatorOptions, volumes);
  }

  /**
   * Starts everything; the dev S3 endpoint listens on {@code s3Port} (0 = a free port) and keeps its objects under
   * {@code volumes/.s3}.
   */
  public static DevEnvironment start(
      int temporalPort, int kubernetesPort, int s3Port, SimulatorOptions simulatorOptions, Path volumes) {
    int port = temporalPort == 0 ? freePort() : temporalPort;
    // Real time (time skipping locked): the dev mode runs actual timers.
    TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(port, true);
    log.info("[dev] Temporal test server (dev/test only, in memory) on 127.0.0.1:{}", port);
    DevKubernetesApi api = DevKubernetesApi.start(kubernetesPort);
    log.info("[dev] Kubernetes API (dev/test only) on {}", api.url());
    KubernetesClient client = api.newClient();
    aim.orchestrator.recipes.SimulatedImages images = simulatedImages();
    aim.orchestrator.dev.sim.DevModelHub hub = aim.orchestrator.dev.sim.DevModelHub.start(0);
    // Your own repositories: <volumes>/.hub/<org>/<name>/ (.aim/dev/volumes/.hub/ in ./aim dev), served as they are.
    Path ownRepositories = volumes.resolve(".hub");
    try {
      java.nio.file.Files.createDirectories(ownRepositories);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    hub.addFolder(ownRepositories);
    var objectStore =
        aim.orchestrator.dev.sim.DevObjectStore.start(s3Port, volumes.resolve(".s3"), catalogRepositories(hub, images), hub);
    var downloads = new aim.orchestrator.dev.sim.ModelDownloadRunner(client, hub, objectStore, volumes);
    aim.orchestrator.dev.sim.DevRegistry registry = aim.orchestrator.dev.sim.DevRegistry.start(0);
    for (var image : images.images()) {
      publish(registry, image);
    }
    var discovery = new aim.orchestrator.dev.sim.DiscoveryRunner(images);
    ClusterSimulator simulator =
        ClusterSimulator.start(
            client,
            simulatorOptions,
            job -> aim.orchestrator.dev.sim.ModelDownloadRunner.isDownloadJob(job)
                ? downloads
                : aim.orchestrator.dev.sim.DiscoveryRunner.isDiscoveryJob(job) ? discovery : null,
            downloads::deleteVolume);
    log.info("[dev] download Jobs write to {} (dev/test only)", volumes);
    log.info("[dev] {} simulated AIM images answer discovery Jobs and registry reads: {}", images.images().size(), registry.images());
    DevEnvironment env = new DevEnvironment(temporal, port, api, client, simulator, hub, registry, images);
    env.volumes = volumes;
    env.objectStore = objectStore;
    log.info("[dev] S3-compatible endpoint (dev/test only) on {}: s3://{}/<huggingface id>/", objectStore.url(),
        aim.orchestrator.dev.sim.DevObjectStore.BUCKET);
    return env;
  }

  /**
   * Adds the synthetic files of every model the simulated images serve (the catalog's models and their
   * pre-quantized variants, and the models of extra descriptors) to the hub; returns them by Hugging Face id.
   */
  static java.util.Map<String, java.util.Map<String, byte[]>> catalogRepositories(
      aim.orchestrator.dev.sim.DevModelHub hub, aim.orchestrator.recipes.SimulatedImages images) {
    java.util.Map<String, java.util.Map<String, byte[]>> repos = new java.util.TreeMap<>();
    for (var image : images.images()) {
      for (String repo : image.modelSizesGb().keySet()) {
        repos.put(repo, hub.add(repo));
      }
    }
    return repos;
  }

  /** System property naming a folder of extra simulated-image descriptors (docs/simulated-images.md). */
  public static final String EXTRA_IMAGES_PROPERTY = "aim.dev.images";

  /** The catalog's images plus any descriptors in the folder {@value #EXTRA_IMAGES_PROPERTY} names. */
  static aim.orchestrator.recipes.SimulatedImages simulatedImages() {
    var builtIn = aim.orchestrator.recipes.SimulatedImages.builtIn();
    String extra = System.getProperty(EXTRA_IMAGES_PROPERTY, "");
    if (extra.isBlank()) {
      return builtIn;
    }
    var more = aim.orchestrator.recipes.SimulatedImages.load(Path.of(extra));
    var all = new java.util.ArrayList<>(more.images());
    all.addAll(builtIn.images());
    return aim.orchestrator.recipes.SimulatedImages.of(all);
  }

  /** Publishes a simulated image's labels in the dev registry under its repository path and tag. */
  static void publish(aim.orchestrator.dev.sim.DevRegistry registry, aim.orchestrator.recipes.SimulatedImage image) {
    String repository = aim.orchestrator.naming.ImageReference.parse(image.image()).repository();
    String last = image.image().substring(image.image().lastIndexOf('/') + 1);
    String tag = !last.contains("@") && last.contains(":") ? last.substring(last.indexOf(':') + 1) : "latest";
    if (!repository.contains("/")) {
      repository = "library/" + repository;
    }
    registry.publish(repository, tag, image.labels());
  }

  /**
   * Registry settings for a worker of this environment: every registry a simulated image names (Docker Hub for the
   * catalog's images) is mirrored to the dev registry.
   */
  public aim.orchestrator.activities.registry.RegistrySettings registrySettings() {
    var settings = aim.orchestrator.activities.registry.RegistrySettings.defaults();
    for (String host : registryHosts()) {
      settings = settings.withMirror(host, registry.url());
    }
    return settings;
  }

  /** The registries the simulated images name, as the registry client keys them. */
  public java.util.SortedSet<String> registryHosts() {
    var hosts = new java.util.TreeSet<String>();
    for (var image : images.images()) {
      try {
        hosts.add(aim.orchestrator.activities.registry.ImageName.parse(image.image()).registry());
      } catch (aim.orchestrator.activities.registry.RegistryException e) {
        log.warn("[dev] simulated image {} has an invalid reference: {}", image.image(), e.getMessage());
      }
    }
    return hosts;
  }

  /**
   * What a worker of the dev mode lays over an artifact's env when it reaches a model source itself (size checks):
   * the dev model hub (and the dev S3 endpoint), as the download Jobs use them.
   */
  public java.util.Map<String, String> sourceOverrides() {
    return java.util.Map.of("HF_ENDPOINT", hub.url(), "AWS_ENDPOINT_URL", objectStore.url());
  }

  /** The dev S3-compatible endpoint (dev/test only). */
  public aim.orchestrator.dev.sim.DevObjectStore objectStore() {
    return objectStore;
  }

  /** The dev model hub (dev/test only). */
  public aim.orchestrator.dev.sim.DevModelHub hub() {
    return hub;
  }

  /** The dev registry holding the simulated images (dev/test only). */
  public aim.orchestrator.dev.sim.DevRegistry registry() {
    return registry;
  }

  /** The simulated AIM images the dev cluster knows. */
  public aim.orchestrator.recipes.SimulatedImages images() {
    return images;
  }

  public String temporalTarget() {
    return "127.0.0.1:" + temporalPort;
  }

  public DevKubernetesApi kubernetes() {
    return kubernetes;
  }

  /** A client of the dev API shared by the dev tooling (not by the worker, which makes its own). */
  public KubernetesClient client() {
    return client;
  }

  /** Where download Jobs put each PVC's files: {@code <volumes>/<namespace>/<claim>}. */
  /**
   * The folder of your own dev model hub repositories: files under {@code <this>/<org>/<name>/} are served as the
   * repository {@code <org>/<name>} (and, listed, as {@code s3://models/<org>/<name>/}).
   */
  public Path hubFolder() {
    return volumes.resolve(".hub");
  }

  public Path volumes() {
    return volumes;
  }

  /** The simulated cluster (dev/test only): nodes, the dev gateway. */
  public ClusterSimulator simulator() {
    return simulator;
  }

  public Path writeKubeconfig(Path file) {
    return kubernetes.writeKubeconfig(file);
  }

  private static Path defaultVolumes() {
    try {
      return java.nio.file.Files.createTempDirectory("aim-dev-volumes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    simulator.close();
    objectStore.close();
    hub.close();
    registry.close();
    if (ownsVolumes) {
      try (var files = java.nio.file.Files.walk(volumes)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        log.warn("[dev] could not remove {}: {}", volumes, e.toString());
      }
    }
    client.close();
    kubernetes.close();
    temporal.close();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
