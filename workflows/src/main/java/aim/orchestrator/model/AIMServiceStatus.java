package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import java.util.ArrayList;
import java.util.List;

/** What the orchestrator observed and decided for a service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMServiceStatus implements HasConditions {
  public Long observedGeneration;
  public List<io.fabric8.kubernetes.api.model.Condition> conditions = new ArrayList<>();

  @Default("Pending")
  public ServiceStatusValue status;

  public AIMResolvedReference resolvedRuntimeConfig;
  public AIMResolvedReference resolvedModel;
  public AIMResolvedReference resolvedTemplate;
  public Routing routing;
  public Cache cache;
  public Runtime runtime;

  /** How the template was chosen: the outcome, and each candidate's fate (this project's addition). */
  public TemplateSelection templateSelection;

  @Override
  public List<io.fabric8.kubernetes.api.model.Condition> conditions() {
    return conditions;
  }

  /** The status values an AIMService shows. */
  public enum ServiceStatusValue {
    Pending,
    Starting,
    Running,
    Degraded,
    Failed
  }

  /** Route facts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Routing {
    public String path;
  }

  /** Cache facts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Cache {
    public AIMResolvedReference templateCacheRef;
    public Integer retryAttempts;
  }

  /** The outcome of template resolution, so {@code kubectl describe} explains the choice. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TemplateSelection {
    /** Explicit, ModelDefault, Derived, Selected, or why nothing was selected. */
    public String outcome;

    public String message;
    public java.util.List<Candidate> candidates;
  }

  /** One candidate template and what auto-selection did with it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Candidate {
    public String name;
    public String scope;
    /** Availability, Optimization, Overrides, GPU, Scope or Scoring. */
    public String stage;
    /** Selected, Rejected, Outscored or Tied. */
    public String result;
    public String reason;
  }

  /** Replica facts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Runtime {
    public Integer currentReplicas;
    public Integer desiredReplicas;
    public Integer minReplicas;
    public Integer maxReplicas;
    public String replicas;
  }
}
