package aim.orchestrator.convert;

import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMHardwareRequirements;
import java.util.List;
import java.util.stream.Collectors;

/** What templates and services share: resolving a legacy model id through the batch, and GPU selectors. */
final class ModelReferences {
  private ModelReferences() {}

  /**
   * The catalog entry of {@code modelId} for an object in {@code namespace} (null: a cluster-scoped object), or null
   * when the batch has none. Several entries with the id are reported: the first one is used.
   */
  static Batch.ModelEntry resolve(String modelId, String field, String namespace, LegacyDocument doc, Batch batch) {
    Batch.Resolution resolution = batch.resolve(modelId, namespace);
    if (!resolution.alternatives().isEmpty()) {
      String others = resolution.alternatives().stream().map(Batch.ModelEntry::describe).collect(Collectors.joining(", "));
      doc.lost(field, "model id " + modelId + " is given by more than one catalog entry in this batch; used " + resolution.entry().describe() + ", not " + others);
    }
    return resolution.entry();
  }

  /** "model id X matches no catalog entry in this batch (...)", listing the ids the batch does have. */
  static String unresolved(String modelId, boolean clusterOnly, Batch batch) {
    List<String> known = batch.knownModelIds();
    return "model id " + modelId + " matches no " + (clusterOnly ? "cluster-scoped " : "") + "catalog entry (AIMClusterImage, AIMImage, AIMClusterModel, AIMModel) in this batch"
        + (known.isEmpty() ? "" : "; the batch has " + String.join(", ", known));
  }

  /**
   * Hardware from a legacy GPU selector: {@code gpuSelector.{count, model}} (aim.silogen.ai) or {@code
   * gpusPerReplica}/{@code gpuModel} (kaiwo.silogen.ai, given as {@code flatCount}/{@code flatModel}). Null when
   * neither says anything.
   */
  static AIMHardwareRequirements hardware(Fields selector, Integer flatCount, String flatModel, String countField, LegacyDocument doc) {
    Integer count = flatCount;
    String model = flatModel;
    if (selector != null) {
      if (selector.has("count")) {
        count = selector.integer("count");
      }
      if (selector.has("model")) {
        model = selector.text("model");
      }
    }
    if (count != null && count < 0) {
      doc.lost(countField, "a GPU count cannot be negative");
      count = null;
    }
    if (count == null && (model == null || model.isEmpty())) {
      return null;
    }
    AIMGpuRequirements gpu = new AIMGpuRequirements();
    gpu.requests = count;
    gpu.model = model == null || model.isEmpty() ? null : model;
    AIMHardwareRequirements hardware = new AIMHardwareRequirements();
    hardware.gpu = gpu;
    return hardware;
  }
}
