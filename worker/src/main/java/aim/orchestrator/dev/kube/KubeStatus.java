package aim.orchestrator.dev.kube;

import aim.orchestrator.crd.FieldError;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;

/**
 * Builds {@code meta/v1 Status} answers the way kube-apiserver shapes them, so clients (kubectl,
 * fabric8) print the same errors against the dev API as against a real cluster.
 */
final class KubeStatus {

  static final String JSON = "application/json";

  private final ObjectMapper mapper;

  KubeStatus(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  MockResponse failure(
      int code,
      String reason,
      String message,
      String group,
      String kind,
      String name,
      List<FieldError> causes) {
    ObjectNode status = mapper.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    if (name != null || kind != null || (causes != null && !causes.isEmpty())) {
      ObjectNode details = status.putObject("details");
      if (name != null) {
        details.put("name", name);
      }
      if (group != null && !group.isEmpty()) {
        details.put("group", group);
      }
      if (kind != null) {
        details.put("kind", kind);
      }
      if (causes != null && !causes.isEmpty()) {
        ArrayNode array = details.putArray("causes");
        for (FieldError cause : causes) {
          ObjectNode c = array.addObject();
          c.put("reason", cause.reason());
          c.put("message", cause.message());
          if (cause.field() != null) {
            c.put("field", cause.field());
          }
        }
      }
    }
    status.put("code", code);
    return json(code, status);
  }

  MockResponse notFound(String message) {
    return failure(404, "NotFound", message, null, null, null, null);
  }

  MockResponse badRequest(String message) {
    return failure(400, "BadRequest", message, null, null, null, null);
  }

  MockResponse json(int code, Object body) {
    try {
      return new MockResponse()
          .setResponseCode(code)
          .setHeader("Content-Type", JSON)
          .setBody(mapper.writeValueAsString(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("[dev-api] cannot serialize an answer", e);
    }
  }
}
