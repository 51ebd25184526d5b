package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Quantity;

/** CPU needs of a CPU-only runtime profile. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMCpuRequirements {
  @Required public Quantity requests;
  public Quantity limits;
}
