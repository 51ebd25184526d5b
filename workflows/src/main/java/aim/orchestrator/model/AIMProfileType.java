package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How well a runtime profile is tuned for its hardware. */
public enum AIMProfileType {
  @JsonProperty("optimized")
  optimized,
  @JsonProperty("preview")
  preview,
  @JsonProperty("unoptimized")
  unoptimized
}
