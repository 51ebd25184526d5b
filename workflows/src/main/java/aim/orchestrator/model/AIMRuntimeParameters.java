package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** Metric, precision and hardware of a profile; used as AIMService overrides. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMRuntimeParameters {
  @ValidationRule(value = "self == oldSelf", message = "metric is immutable")
  public AIMMetric metric;

  @ValidationRule(value = "self == oldSelf", message = "precision is immutable")
  public AIMPrecision precision;

  @ValidationRule(value = "self == oldSelf", message = "hardware is immutable")
  public AIMHardwareRequirements hardware;
}
