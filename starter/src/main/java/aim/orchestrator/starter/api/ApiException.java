package aim.orchestrator.starter.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error the API answers as a problem detail of the given type; {@code properties} become extra members. */
public class ApiException extends RuntimeException {
  private final ProblemType type;
  private final Map<String, Object> properties = new LinkedHashMap<>();

  public ApiException(ProblemType type, String detail) {
    super(detail);
    this.type = type;
  }

  public ApiException(ProblemType type, String detail, Throwable cause) {
    super(detail, cause);
    this.type = type;
  }

  public ProblemType type() {
    return type;
  }

  public Map<String, Object> properties() {
    return properties;
  }

  public ApiException with(String name, Object value) {
    properties.put(name, value);
    return this;
  }

  static ApiException notFound(String detail) {
    return new ApiException(ProblemType.NOT_FOUND, detail);
  }
}
