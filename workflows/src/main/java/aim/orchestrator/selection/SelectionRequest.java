package aim.orchestrator.selection;

import java.util.List;
import java.util.Set;

/**
 * The service's side of auto-selection.
 *
 * @param model the resolved model's name (for messages)
 * @param allowUnoptimized {@code spec.template.allowUnoptimized}
 * @param metric override, or null
 * @param precision override, or null
 * @param gpuModel override, or null
 * @param gpuCount override (only values &gt; 0 filter), or null
 * @param clusterGpuModels GPU models present on the cluster's nodes
 * @param candidates every template of the model, namespace and cluster scope
 */
public record SelectionRequest(
    String model,
    boolean allowUnoptimized,
    String metric,
    String precision,
    String gpuModel,
    Integer gpuCount,
    Set<String> clusterGpuModels,
    List<TemplateCandidate> candidates) {

  public boolean hasOverrides() {
    return metric != null || precision != null || gpuModel != null || (gpuCount != null && gpuCount > 0);
  }
}
