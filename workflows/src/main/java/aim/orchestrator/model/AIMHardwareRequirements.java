package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** Hardware a runtime profile runs on: GPUs, or CPU only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.gpu) || has(self.cpu)", message = "at least one of gpu or cpu must be specified")
public class AIMHardwareRequirements {
  public AIMGpuRequirements gpu;
  public AIMCpuRequirements cpu;
}
