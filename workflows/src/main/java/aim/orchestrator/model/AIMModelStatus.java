package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status shared by AIMModel and AIMClusterModel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMModelStatus implements HasConditions {
  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
  public ResourceStatusValue status;
  public AIMResolvedReference resolvedRuntimeConfig;
  public ImageMetadata imageMetadata;
  public SourceType sourceType;

  @Override
  public List<Condition> conditions() {
    return conditions;
  }

  /** Whether the model comes from an AIM image or from custom sources. */
  public enum SourceType {
    Image,
    Custom
  }
}
