package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Status shared by both template kinds: the discovered profile and the weights it needs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMServiceTemplateStatus implements HasConditions {
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
  public ResourceStatusValue status;
  public AIMResolvedReference resolvedRuntimeConfig;
  public AIMResolvedReference resolvedModel;
  public AIMResolvedReference resolvedCache;
  public AIMHardwareRequirements resolvedHardware;
  public NodeAffinity resolvedNodeAffinity;
  public String hardwareSummary;
  public List<AIMModelSource> modelSources;
  public Profile profile;
  public ObjectReference discoveryJob;
  public Discovery discovery;

  @Override
  public List<Condition> conditions() {
    return conditions;
  }

  /** The profile the AIM container reported (or the spec described, for inline sources). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Profile {
    @JsonProperty("engine_args")
    public JsonNode engineArgs;

    @JsonProperty("env_vars")
    public Map<String, String> envVars;

    public ProfileMetadata metadata;

    public JsonNode originalDiscoveryOutput;
  }

  /** Profile facts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ProfileMetadata {
    public String engine;
    public String gpu;
    public Integer gpuCount;
    public String metric;
    public String precision;
    public String type;
  }

  /** Discovery bookkeeping. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Discovery {
    public Integer attempts;
    public String lastAttemptTime;
    public String lastFailureReason;
    public String specHash;
  }
}
