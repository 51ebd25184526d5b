package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The static part of the simulated cluster: GPU nodes labelled the way the AMD GPU operator labels
 * them, and a default StorageClass.
 *
 * <p>Existing objects are brought back to the expected labels and status rather than recreated, so
 * restarting the simulator against the same API server is harmless.
 */
final class ClusterFixtures {

  static final String NODE_PREFIX = "dev-gpu-node-";
  static final String STORAGE_CLASS = "standard";
  static final String LOCAL_STORAGE_CLASS = "local-rwo";
  static final String PROVISIONER = "dev.aim/simulated";
  static final String LOCAL_PROVISIONER = "dev.aim/simulated-local";
  static final String GPU_RESOURCE = "amd.com/gpu";
  static final String GPUS_PER_NODE = "8";

  private static final SimLog LOG = new SimLog(ClusterFixtures.class);

  private ClusterFixtures() {}

  /** Creates (or re-labels) the simulated GPU nodes; returns their names in order. */
  static List<String> ensureNodes(KubernetesClient client, SimulatorOptions options) {
    GpuModel model = GpuModel.of(options.gpuModel());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < options.gpuNodes(); i++) {
      String name = NODE_PREFIX + i;
      names.add(name);
      ensureNode(client, name, i, model);
    }
    return names;
  }

  /**
   * Creates the node {@code name} carrying {@code model}, or brings an existing one back to the
   * expected labels and status; {@code index} picks its simulated IP address.
   */
  static void ensureNode(KubernetesClient client, String name, int index, GpuModel model) {
    Map<String, String> labels = nodeLabels(name, model);
    NodeStatus status = nodeStatus(index);
    var resource = client.nodes().withName(name);
    Node existing = resource.get();
    if (existing == null) {
      Node node =
          new NodeBuilder()
              .withNewMetadata()
              .withName(name)
              .withLabels(labels)
              .endMetadata()
              .withNewSpec()
              .withProviderID("dev-simulator://" + name)
              .endSpec()
              .withStatus(status)
              .build();
      Node created = client.nodes().resource(node).create();
      if (created.getStatus() == null || created.getStatus().getCapacity() == null) {
        // A real API server drops status on create; the mock keeps it.
        created.setStatus(status);
        client.nodes().resource(created).updateStatus();
      }
      LOG.info(
          "created node {} with 8 x {} (amd.com/gpu.device-id={}, amd.com/gpu.vram={})",
          name,
          model.name(),
          model.deviceId,
          model.vram);
      return;
    }
    Map<String, String> current =
        existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels();
    boolean labelsOk =
        labels.entrySet().stream()
            .allMatch(e -> Objects.equals(current.get(e.getKey()), e.getValue()));
    if (!labelsOk) {
      resource.edit(
          n -> {
            Map<String, String> merged =
                n.getMetadata().getLabels() == null
                    ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(n.getMetadata().getLabels());
            merged.putAll(labels);
            n.getMetadata().setLabels(merged);
            return n;
          });
      LOG.info("re-labelled existing node {} as {}", name, model.name());
    }
    if (existing.getStatus() == null || existing.getStatus().getAllocatable() == null) {
      SimSupport.writeStatus(
          resource::get,
          n -> {
            n.setStatus(status);
            return true;
          },
          n -> client.nodes().resource(n));
    }
  }

  private static Map<String, String> nodeLabels(String name, GpuModel model) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("amd.com/gpu.device-id", model.deviceId);
    labels.put("amd.com/gpu.family", "AI");
    labels.put("amd.com/gpu.vram", model.vram);
    labels.put("amd.com/gpu.product-name", model.productName);
    labels.put("amd.com/gpu.cu-count", Integer.toString(model.computeUnits));
    labels.put("feature.node.kubernetes.io/amd-gpu", "true");
    labels.put(SimSupport.SIMULATED_LABEL, "true");
    return labels;
  }

  private static NodeStatus nodeStatus(int index) {
    Map<String, Quantity> resources = new LinkedHashMap<>();
    resources.put("cpu", new Quantity("192"));
    resources.put("memory", new Quantity("2Ti"));
    resources.put("pods", new Quantity("110"));
    resources.put("ephemeral-storage", new Quantity("3Ti"));
    resources.put(GPU_RESOURCE, new Quantity(GPUS_PER_NODE));
    String now = SimSupport.now();
    return new NodeStatusBuilder()
        .withCapacity(new LinkedHashMap<>(resources))
        .withAllocatable(new LinkedHashMap<>(resources))
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withMessage("kubelet is posting ready status (simulated by the dev cluster simulator)")
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .endCondition()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress("10.89.0." + (10 + index))
        .endAddress()
        .addNewAddress()
        .withType("Hostname")
        .withAddress(NODE_PREFIX + index)
        .endAddress()
        .withNewNodeInfo()
        .withArchitecture("amd64")
        .withOperatingSystem("linux")
        .withOsImage("dev-simulator")
        .withKubeletVersion("v1.31.0-dev-simulator")
        .withKubeProxyVersion("v1.31.0-dev-simulator")
        .withContainerRuntimeVersion("simulated://1.0")
        .withKernelVersion("simulated")
        .withBootID("")
        .withMachineID("")
        .withSystemUUID("")
        .endNodeInfo()
        .build();
  }

  /**
   * Creates the simulated StorageClasses unless classes of those names exist already: the default
   * {@value #STORAGE_CLASS} (ReadWriteOnce and ReadWriteMany, like a network file system) and
   * {@value #LOCAL_STORAGE_CLASS} (ReadWriteOnce only, like node-local disks). The access modes are
   * declared in the annotation {@value PvcBinder#ACCESS_MODES}, which the simulated provisioner
   * reads.
   */
  static void ensureStorageClasses(KubernetesClient client) {
    ensureStorageClass(client, STORAGE_CLASS, PROVISIONER, true, "ReadWriteOnce,ReadWriteMany");
    ensureStorageClass(client, LOCAL_STORAGE_CLASS, LOCAL_PROVISIONER, false, "ReadWriteOnce");
  }

  private static void ensureStorageClass(
      KubernetesClient client,
      String name,
      String provisioner,
      boolean isDefault,
      String accessModes) {
    var resource = client.storage().v1().storageClasses().withName(name);
    if (resource.get() != null) {
      return;
    }
    var metadata =
        new StorageClassBuilder()
            .withNewMetadata()
            .withName(name)
            .addToAnnotations(PvcBinder.ACCESS_MODES, accessModes)
            .addToLabels(SimSupport.SIMULATED_LABEL, "true");
    if (isDefault) {
      metadata.addToAnnotations(PvcBinder.DEFAULT_CLASS, "true");
    }
    StorageClass sc =
        metadata
            .endMetadata()
            .withProvisioner(provisioner)
            .withReclaimPolicy("Delete")
            .withVolumeBindingMode("Immediate")
            .withAllowVolumeExpansion(true)
            .build();
    client.storage().v1().storageClasses().resource(sc).create();
    LOG.info(
        "created {}StorageClass {} (provisioner {}, access modes {})",
        isDefault ? "default " : "",
        name,
        provisioner,
        accessModes);
  }
}
