package aim.orchestrator.selection;

import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.ResourceStatusValue;

/**
 * What auto-selection needs to know about one template. Values come from the template's status profile first and
 * its spec second, as in the reference.
 *
 * @param name template name
 * @param scope Namespace or Cluster
 * @param status the template's status (null = not reported yet)
 * @param type profile type: optimized, preview, unoptimized (null ⇒ unoptimized)
 * @param gpuModel GPU model the template runs on (spec hardware, else profile), or null
 * @param gpuCount GPU count (spec requests, else profile), or null
 * @param metric latency or throughput (profile, else spec), or null
 * @param precision fp16, fp8, … (profile, else spec), or null
 */
public record TemplateCandidate(
    String name,
    AIMScope scope,
    ResourceStatusValue status,
    String type,
    String gpuModel,
    Integer gpuCount,
    String metric,
    String precision) {}
