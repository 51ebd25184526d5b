package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** GPU needs of a runtime profile. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.model) && size(self.model) > 0 && has(self.minVram))",
    message = "model and minVram are mutually exclusive")
public class AIMGpuRequirements {
  @JsonPropertyDescription("Number of GPUs per replica; 0 targets GPU nodes without consuming GPUs.")
  @Min(0)
  @Max(2147483647)
  public Integer requests;

  @JsonPropertyDescription("GPU model, e.g. MI300X.")
  @Size(max = 64)
  public String model;

  @JsonPropertyDescription("Minimum VRAM per GPU; any GPU model with at least this much qualifies.")
  public Quantity minVram;

  @JsonPropertyDescription("Extended resource name under which GPUs are requested.")
  @Default("amd.com/gpu")
  public String resourceName;
}
