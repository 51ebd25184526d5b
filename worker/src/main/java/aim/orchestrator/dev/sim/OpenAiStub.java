package aim.orchestrator.dev.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAI-compatible server a simulated predictor "runs": enough of vLLM's API for clients to
 * talk to a dev service. Nothing is generated — answers say that they are simulated and echo the
 * last user message.
 *
 * <ul>
 *   <li>{@code GET /v1/models}: the served model;
 *   <li>{@code POST /v1/chat/completions}: a {@code chat.completion} (or, with {@code "stream":
 *       true}, the same as {@code chat.completion.chunk} server-sent events); a {@code model} other
 *       than the served one is refused with 404, as vLLM does; token counts are word counts;
 *   <li>{@code GET /health}: 200, empty body.
 * </ul>
 *
 * Other paths answer 404 {@code {"detail":"Not Found"}}, other methods 405, like vLLM's FastAPI.
 */
final class OpenAiStub {

  static final String JSON = "application/json";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String MODEL_ID_ENV = "AIM_MODEL_ID";
  private static final String MODEL_LABEL = "aim.eai.amd.com/model";

  private OpenAiStub() {}

  /**
   * An HTTP answer.
   *
   * @param status the status code
   * @param contentType the Content-Type, {@code null} for an empty body
   * @param body the body
   */
  record Response(int status, String contentType, byte[] body) {

    static Response json(int status, JsonNode body) {
      try {
        return new Response(status, JSON, MAPPER.writeValueAsBytes(body));
      } catch (IOException e) {
        throw new IllegalStateException("cannot serialise a JSON tree", e);
      }
    }
  }

  /**
   * The model name the predictor serves: the main container's {@code AIM_MODEL_ID}, else label
   * {@value #MODEL_LABEL}, else the InferenceService's name.
   */
  static String servedModelName(GenericKubernetesResource isvc) {
    for (Map<String, Object> container :
        SimJson.asMaps(SimJson.asMap(isvc.get("spec", "predictor")).get("containers"))) {
      for (Map<String, Object> env : SimJson.asMaps(container.get("env"))) {
        if (MODEL_ID_ENV.equals(env.get("name"))) {
          Optional<String> value = SimJson.text(env.get("value"));
          if (value.isPresent()) {
            return value.get();
          }
        }
      }
    }
    Map<String, String> labels = isvc.getMetadata().getLabels();
    if (labels != null && labels.get(MODEL_LABEL) != null && !labels.get(MODEL_LABEL).isBlank()) {
      return labels.get(MODEL_LABEL);
    }
    return isvc.getMetadata().getName();
  }

  /** Answers one request to the predictor of {@code isvc}. */
  static Response handle(GenericKubernetesResource isvc, String method, String path, byte[] body) {
    String model = servedModelName(isvc);
    return switch (path) {
      case "/v1/models" -> "GET".equals(method) ? models(model) : methodNotAllowed();
      case "/v1/chat/completions" ->
          "POST".equals(method) ? chatCompletion(isvc, model, body) : methodNotAllowed();
      case "/health" ->
          "GET".equals(method) ? new Response(200, null, new byte[0]) : methodNotAllowed();
      default -> Response.json(404, MAPPER.createObjectNode().put("detail", "Not Found"));
    };
  }

  private static Response methodNotAllowed() {
    return Response.json(405, MAPPER.createObjectNode().put("detail", "Method Not Allowed"));
  }

  private static Response models(String model) {
    ObjectNode list = MAPPER.createObjectNode().put("object", "list");
    list.putArray("data")
        .addObject()
        .put("id", model)
        .put("object", "model")
        .put("created", Instant.now().getEpochSecond())
        .put("owned_by", "aim-dev");
    return Response.json(200, list);
  }

  private static Response chatCompletion(
      GenericKubernetesResource isvc, String model, byte[] body) {
    JsonNode request;
    try {
      request = MAPPER.readTree(body);
    } catch (IOException e) {
      return error(
          400, "invalid_request_error", "Request body is not valid JSON: " + e.getMessage());
    }
    if (request == null
        || !request.path("messages").isArray()
        || request.path("messages").isEmpty()) {
      return error(400, "invalid_request_error", "'messages' must be a non-empty array");
    }
    String requested = request.path("model").asText("");
    if (!requested.isEmpty() && !requested.equals(model)) {
      return error(404, "NotFoundError", "The model `" + requested + "` does not exist.");
    }
    String lastUser = "";
    int promptWords = 0;
    for (JsonNode message : request.path("messages")) {
      String text = textOf(message.path("content"));
      promptWords += words(text);
      if ("user".equals(message.path("role").asText())) {
        lastUser = text;
      }
    }
    String reply =
        "[simulated dev response] No model ran: this answer comes from the AIM dev simulator's stub"
            + " for InferenceService "
            + isvc.getMetadata().getNamespace()
            + "/"
            + isvc.getMetadata().getName()
            + " (model "
            + model
            + "). Your last message was: "
            + lastUser;
    String id = "chatcmpl-sim-" + SimSupport.randomSuffix(16);
    long created = Instant.now().getEpochSecond();
    if (request.path("stream").asBoolean(false)) {
      return stream(id, created, model, reply);
    }
    ObjectNode completion =
        MAPPER
            .createObjectNode()
            .put("id", id)
            .put("object", "chat.completion")
            .put("created", created)
            .put("model", model)
            .put("system_fingerprint", "aim-dev-simulator");
    ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", reply);
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    int completionWords = words(reply);
    completion
        .putObject("usage")
        .put("prompt_tokens", promptWords)
        .put("completion_tokens", completionWords)
        .put("total_tokens", promptWords + completionWords);
    return Response.json(200, completion);
  }

  /** The reply as server-sent events: the role, the content, the stop, then {@code [DONE]}. */
  private static Response stream(String id, long created, String model, String reply) {
    StringBuilder sse = new StringBuilder();
    ObjectNode[] deltas = {
      MAPPER.createObjectNode().put("role", "assistant"),
      MAPPER.createObjectNode().put("content", reply),
      MAPPER.createObjectNode()
    };
    for (int i = 0; i < deltas.length; i++) {
      ObjectNode chunk =
          MAPPER
              .createObjectNode()
              .put("id", id)
              .put("object", "chat.completion.chunk")
              .put("created", created)
              .put("model", model);
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      choice.set("delta", deltas[i]);
      if (i == deltas.length - 1) {
        choice.put("finish_reason", "stop");
      } else {
        choice.putNull("finish_reason");
      }
      sse.append("data: ").append(chunk).append("\n\n");
    }
    sse.append("data: [DONE]\n\n");
    return new Response(200, "text/event-stream", sse.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A message's text: a string, or the text parts of a content array joined by spaces. */
  private static String textOf(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (content instanceof ArrayNode parts) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : parts) {
        if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
          sb.append(sb.isEmpty() ? "" : " ").append(part.path("text").asText());
        }
      }
      return sb.toString();
    }
    return "";
  }

  private static int words(String text) {
    String trimmed = text.trim();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }

  /**
   * An OpenAI-style error body: {@code {"error":{"message","type","param","code"}}}.
   *
   * @param status the HTTP status, also the {@code code}
   */
  static Response error(int status, String type, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("error")
        .put("message", message)
        .put("type", type)
        .putNull("param")
        .put("code", status);
    return Response.json(status, body);
  }
}
