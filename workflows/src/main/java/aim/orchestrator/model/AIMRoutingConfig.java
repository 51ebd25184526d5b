package aim.orchestrator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.Map;

/** Gateway API routing of a service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AIMRoutingConfig {
  @JsonPropertyDescription("Create an HTTPRoute for the service.")
  public Boolean enabled;

  @JsonPropertyDescription("The Gateway the HTTPRoute attaches to.")
  public ParentReference gatewayRef;

  @JsonPropertyDescription("JSONPath template of the route path, e.g. /{.metadata.namespace}/{.metadata.name}.")
  public String pathTemplate;

  @JsonPropertyDescription("Request timeout on the route, a Go duration such as 60s.")
  public String requestTimeout;

  @JsonPropertyDescription("Annotations put on the HTTPRoute.")
  public Map<String, String> annotations;
}
