package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Numeric precision of a runtime profile; {@code auto} lets the AIM container choose. */
public enum AIMPrecision {
  @JsonProperty("auto")
  auto,
  @JsonProperty("fp4")
  fp4,
  @JsonProperty("fp8")
  fp8,
  @JsonProperty("fp16")
  fp16,
  @JsonProperty("fp32")
  fp32,
  @JsonProperty("bf16")
  bf16,
  @JsonProperty("int4")
  int4,
  @JsonProperty("int8")
  int8
}
