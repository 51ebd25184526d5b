package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Optimisation target of a runtime profile. */
public enum AIMMetric {
  @JsonProperty("latency")
  latency,
  @JsonProperty("throughput")
  throughput
}
