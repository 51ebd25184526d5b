package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Download and storage state of an artifact. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMArtifactStatus implements HasConditions {
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
  public ResourceStatusValue status;
  public Progress progress;
  public Download download;
  public String displaySize;
  public String lastUsed;
  public String persistentVolumeClaim;
  public AIMTemplateCacheSpec.Mode mode;
  public Long discoveredSizeBytes;
  public String allocatedSize;
  public Integer headroomPercent;

  @Override
  public List<Condition> conditions() {
    return conditions;
  }

  /** Byte-level progress. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Progress {
    public Long totalBytes;
    public Long downloadedBytes;

    @Min(0)
    @Max(100)
    public Integer percentage;

    public String displayPercentage;
  }

  /** Which protocol and attempt the downloader is on. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Download {
    public String protocol;
    public Integer attempt;
    public Integer totalAttempts;
    public String protocolSequence;
    public String message;
  }
}
