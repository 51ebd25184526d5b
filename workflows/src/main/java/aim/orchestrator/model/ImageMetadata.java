package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Metadata read from an AIM image's labels, or given in the spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageMetadata {
  public ModelMetadata model;
  public OciMetadata oci;
  public Map<String, String> originalLabels;

  /** The com.amd.aim.* labels. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ModelMetadata {
    public String canonicalName;
    public String source;
    public List<String> tags;
    public List<String> versions;
    public List<String> variants;
    public Boolean hfTokenRequired;
    public String title;
    public String descriptionFull;
    public String releaseNotes;
    public List<RecommendedDeployment> recommendedDeployments;
  }

  /** A deployment the image's authors recommend. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RecommendedDeployment {
    public String gpuModel;
    public Integer gpuCount;
    public String precision;
    public String metric;
    public String profileId;
    public String description;
  }

  /** The org.opencontainers.image.* labels. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class OciMetadata {
    public String title;
    public String description;
    public String licenses;
    public String vendor;
    public String authors;
    public String source;
    public String documentation;
    public String created;
    public String revision;
    public String version;
  }
}
