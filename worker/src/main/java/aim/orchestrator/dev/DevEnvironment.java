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

  private DevEnvironment(
      TestServer.PortBoundTestServer temporal,
      int temporalPort,
      DevKubernetesApi kubernetes,
      KubernetesClient client,
      ClusterSimulator simulator) {
    this.temporal = temporal;
    this.temporalPort = temporalPort;
    this.kubernetes = kubernetes;
    this.client = client;
    this.simulator = simulator;
  }

  /**
   * Starts everything.
   *
   * @param temporalPort port for the Temporal frontend (0 = a free port)
   * @param kubernetesPort port for the dev Kubernetes API (0 = a free port)
   */
  public static DevEnvironment start(int temporalPort, int kubernetesPort, SimulatorOptions simulatorOptions) {
    int port = temporalPort == 0 ? freePort() : temporalPort;
    // Real time (time skipping locked): the dev mode runs actual timers.
    TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(port, true);
    log.info("[dev] Temporal test server (dev/test only, in memory) on 127.0.0.1:{}", port);
    DevKubernetesApi api = DevKubernetesApi.start(kubernetesPort);
    log.info("[dev] Kubernetes API (dev/test only) on {}", api.url());
    KubernetesClient client = api.newClient();
    ClusterSimulator simulator = ClusterSimulator.start(client, simulatorOptions);
    return new DevEnvironment(temporal, port, api, client, simulator);
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

  /** The simulated cluster (dev/test only): nodes, the dev gateway. */
  public ClusterSimulator simulator() {
    return simulator;
  }

  public Path writeKubeconfig(Path file) {
    return kubernetes.writeKubeconfig(file);
  }

  @Override
  public void close() {
    simulator.close();
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
