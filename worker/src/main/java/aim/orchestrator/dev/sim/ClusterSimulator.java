package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Dev/test-only stand-in for the controllers a real cluster runs, for use against an API server
 * that only stores objects and serves watches (the fabric8 mock server in CRUD mode).
 *
 * <p>On {@link #start} it creates the simulated GPU nodes and the StorageClasses ({@code standard},
 * the default, with ReadWriteOnce and ReadWriteMany; {@code local-rwo} with ReadWriteOnce only),
 * then watches all namespaces and plays (writing the core/v1 Events the real components write, and
 * failing on request, see {@link FailureInjection}):
 *
 * <ul>
 *   <li>the volume provisioner: PersistentVolumeClaims become {@code Bound};
 *   <li>the Job controller and kubelet: Jobs get a Pod that runs (see {@link JobRunner}) and the
 *       Job becomes {@code Complete};
 *   <li>KServe: InferenceServices get running predictor Pods and become {@code Ready} — once the
 *       claims they mount are bound and their images known, and unless a failure is injected (see
 *       {@link PredictorGate});
 *   <li>KServe's KEDA integration and KEDA: ScaledObjects and HPAs for autoscaled InferenceServices
 *       (see {@link KedaController});
 *   <li>a Gateway API implementation: Gateways are programmed, HTTPRoutes are {@code Accepted} by
 *       existing parent Gateways; Gateway {@code aim-system/aim-gateway} is created at start, and
 *       unless disabled a {@link DevGateway} serves the accepted routes on 127.0.0.1.
 * </ul>
 *
 * <p>Every simulated controller waits {@link SimulatorOptions#reactionDelay()} before reacting, is
 * level-triggered and idempotent, and leaves objects that already have their target status alone.
 * Everything it logs is marked as simulated. It is never meant to run against a real cluster.
 */
public final class ClusterSimulator implements AutoCloseable {

  private static final SimLog LOG = new SimLog(ClusterSimulator.class);
  private static final long SYNC_TIMEOUT_SECONDS = 30;

  private final List<SimulatedController<?>> controllers;
  private final DevGateway gateway;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final KubernetesClient client;
  // The nodes Pods are placed on, in placement order; changed by addGpuNode/removeNode.
  private final List<String> nodes;

  private ClusterSimulator(
      List<SimulatedController<?>> controllers,
      DevGateway gateway,
      KubernetesClient client,
      List<String> nodes) {
    this.controllers = controllers;
    this.gateway = gateway;
    this.client = client;
    this.nodes = nodes;
  }

  /**
   * Creates the nodes and the default StorageClass and starts watching, through {@code client}, in
   * all namespaces; every Job's Pods succeed.
   *
   * <p>Returns once the informers have listed the existing objects, so objects created afterwards
   * are sure to be seen.
   *
   * @param client the client of the (mock) API server to simulate controllers for
   * @param options node count, GPU model and reaction delay
   * @return the running simulator; close it to stop reacting
   */
  public static ClusterSimulator start(KubernetesClient client, SimulatorOptions options) {
    return start(client, options, job -> JobRunner.succeed());
  }

  /**
   * Like {@link #start(KubernetesClient, SimulatorOptions)}, choosing per Job what running its Pods
   * means.
   *
   * @param client the client of the (mock) API server to simulate controllers for
   * @param options node count, GPU model and reaction delay
   * @param jobRunners picks the runner for a Job; {@code null} from it means {@link
   *     JobRunner#succeed()}
   * @return the running simulator; close it to stop reacting
   */
  public static ClusterSimulator start(
      KubernetesClient client,
      SimulatorOptions options,
      Function<? super Job, ? extends JobRunner> jobRunners) {
    return start(client, options, jobRunners, (namespace, claim) -> {});
  }

  /**
   * As {@link #start(KubernetesClient, SimulatorOptions, Function)}, telling {@code volumeDeleted} {@code (namespace,
   * claim)} whenever a claim's volume is deleted with it (reclaim policy {@code Delete}), so whatever keeps the
   * volume's files can drop them before a claim of that name is bound again.
   */
  public static ClusterSimulator start(
      KubernetesClient client,
      SimulatorOptions options,
      Function<? super Job, ? extends JobRunner> jobRunners,
      java.util.function.BiConsumer<String, String> volumeDeleted) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(jobRunners, "jobRunners");
    LOG.info(
        "starting against {}: this process now plays the cluster's controllers; nothing it"
            + " reports happened on real hardware",
        client.getMasterUrl());
    List<String> nodes = new CopyOnWriteArrayList<>(ClusterFixtures.ensureNodes(client, options));
    ClusterFixtures.ensureStorageClasses(client);
    ensureDefaultGateway(client);
    Supplier<String> nodePicker = roundRobin(nodes);

    Duration delay = options.reactionDelay();
    PvcBinder pvcBinder = new PvcBinder(client, delay, options.storageCapacity(), volumeDeleted);
    PredictorGate gate = new PredictorGate(client, options);
    InferenceServiceController kserve =
        new InferenceServiceController(client, delay, nodePicker, gate);
    HttpRouteController routes = new HttpRouteController(client, delay);
    GatewayController gateways = new GatewayController(client, delay);
    // One watch per kind: secondary controllers follow the primary one's watch.
    List<SimulatedController<?>> controllers = new ArrayList<>();
    controllers.add(pvcBinder);
    controllers.add(new JobController(client, delay, jobRunners, nodePicker));
    controllers.add(kserve);
    controllers.addAll(gate.triggers(kserve, pvcBinder, delay));
    controllers.add(new KedaController(client, delay, kserve));
    controllers.add(routes);
    controllers.add(gateways);
    controllers.addAll(routes.triggers(gateways, delay));
    List<SimulatedController<?>> running = new ArrayList<>();
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    for (SimulatedController<?> c : controllers) {
      syncs.add(c.start().toCompletableFuture());
    }
    for (int i = 0; i < controllers.size(); i++) {
      SimulatedController<?> c = controllers.get(i);
      try {
        syncs.get(i).get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        running.add(c);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        controllers.forEach(SimulatedController::close);
        throw new IllegalStateException("interrupted while starting the cluster simulator", e);
      } catch (ExecutionException e) {
        // E.g. a real API server without the KServe or Gateway API CRDs: simulate the rest.
        LOG.warn("{} disabled: cannot watch its kind: {}", c.name(), e.getCause().toString());
        c.close();
      } catch (TimeoutException e) {
        LOG.warn("{} has not synced within {} s; it keeps trying", c.name(), SYNC_TIMEOUT_SECONDS);
        running.add(c);
      }
    }
    LOG.info(
        "started: {} x {} GPU node(s), default StorageClass '{}', controllers {}, reaction delay {}"
            + " ms",
        nodes.size(),
        GpuModel.of(options.gpuModel()).name(),
        ClusterFixtures.STORAGE_CLASS,
        running.stream().map(SimulatedController::name).toList(),
        options.reactionDelay().toMillis());
    return new ClusterSimulator(List.copyOf(running), startGateway(client, options), client, nodes);
  }

  private static void ensureDefaultGateway(KubernetesClient client) {
    try {
      GatewayController.ensureDefaultGateway(client);
    } catch (KubernetesClientException e) {
      // E.g. a real API server without the Gateway API CRDs.
      LOG.warn("no default Gateway: {}", e.toString());
    }
  }

  private static DevGateway startGateway(KubernetesClient client, SimulatorOptions options) {
    if (options.gatewayPort() == SimulatorOptions.GATEWAY_DISABLED) {
      return null;
    }
    try {
      return DevGateway.start(client, options.gatewayPort());
    } catch (UncheckedIOException e) {
      // A busy port must not stop the dev mode; everything but the HTTP data plane still works.
      LOG.warn("dev gateway disabled: {}", e.getCause().toString());
      return null;
    }
  }

  /**
   * The port of the running {@link DevGateway}.
   *
   * @return the port, empty when the gateway is disabled or could not bind its port
   */
  public OptionalInt gatewayPort() {
    return gateway == null ? OptionalInt.empty() : OptionalInt.of(gateway.port());
  }

  /** Hands out the current nodes in turn; {@code null} while there are none. */
  private static Supplier<String> roundRobin(List<String> nodes) {
    AtomicInteger next = new AtomicInteger();
    return () -> {
      // A snapshot: nodes may be removed concurrently.
      List<String> current = List.copyOf(nodes);
      return current.isEmpty()
          ? null
          : current.get(Math.floorMod(next.getAndIncrement(), current.size()));
    };
  }

  /**
   * Adds a GPU node, labelled like the AMD GPU operator labels one; new Pods are placed on it in
   * turn with the other nodes.
   *
   * @param gpuModel the AMD Instinct model the node carries, e.g. {@code "MI325X"}; one of MI300X,
   *     MI325X, MI350X, MI355X, MI250X, MI210 (case-insensitive)
   * @return the new node's name, {@code dev-gpu-node-<n>} with the first free {@code n}
   * @throws IllegalArgumentException if the model is unknown
   */
  public String addGpuNode(String gpuModel) {
    GpuModel model = GpuModel.of(Objects.requireNonNull(gpuModel, "gpuModel"));
    synchronized (nodes) {
      int index = 0;
      while (nodes.contains(ClusterFixtures.NODE_PREFIX + index)
          || client.nodes().withName(ClusterFixtures.NODE_PREFIX + index).get() != null) {
        index++;
      }
      String name = ClusterFixtures.NODE_PREFIX + index;
      ClusterFixtures.ensureNode(client, name, index, model);
      nodes.add(name);
      return name;
    }
  }

  /**
   * Removes a node, as when a machine leaves the cluster: the Node object is deleted and so are the
   * unfinished Pods bound to it (as Kubernetes' Pod garbage collector does), so their controllers
   * replace them on the remaining nodes.
   *
   * @param name the node's name
   * @return whether a node of that name existed
   */
  public boolean removeNode(String name) {
    Objects.requireNonNull(name, "name");
    boolean known;
    synchronized (nodes) {
      known = nodes.remove(name);
    }
    boolean existed = !client.nodes().withName(name).delete().isEmpty() || known;
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      if (pod.getSpec() != null
          && name.equals(pod.getSpec().getNodeName())
          && !PodStatuses.isTerminal(pod)
          && !SimSupport.isDeleting(pod)) {
        client.pods().resource(pod).delete();
        LOG.info("node {} removed: deleted its Pod {}", name, SimSupport.keyOf(pod));
      }
    }
    LOG.info("removed node {}", name);
    return existed;
  }

  /** Stops the informers and the simulated controllers; the objects stay where they are. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (gateway != null) {
      gateway.close();
    }
    controllers.forEach(SimulatedController::close);
    LOG.info("stopped; simulated objects are left in place");
  }
}
