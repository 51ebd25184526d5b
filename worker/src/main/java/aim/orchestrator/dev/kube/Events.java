package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The two faces of an Event. kube-apiserver stores one Event and serves it as {@code core/v1} (what
 * {@code kubectl describe} and {@code kubectl get events} read) and as {@code events.k8s.io/v1}
 * (what newer recorders write). The CRUD store keeps both in one collection (its keys ignore the
 * API group), in the shape they were written in; answers convert each Event to the shape of the API
 * asked, so an Event recorded through either API shows up in both.
 */
final class Events {

  static final String NEW_GROUP = "events.k8s.io";

  private Events() {}

  /** Whether a path addresses Events of either API. */
  static boolean isEvents(ApiPath api) {
    return "events".equals(api.resource())
        && (api.group().isEmpty() || api.group().equals(NEW_GROUP));
  }

  /** The Event in the shape of the API {@code api} addresses (unchanged if already so). */
  static JsonNode as(ApiPath api, JsonNode event) {
    if (!event.isObject()) {
      return event;
    }
    boolean isNew = event.path("apiVersion").asText("").startsWith(NEW_GROUP + "/");
    if (api.group().isEmpty() && isNew) {
      return toCore(event);
    }
    if (api.group().equals(NEW_GROUP) && !isNew) {
      return toNew(event);
    }
    return event;
  }

  /** An events.k8s.io/v1 Event as core/v1 shows it. */
  static ObjectNode toCore(JsonNode event) {
    ObjectNode out = event.deepCopy();
    out.put("apiVersion", "v1");
    move(out, "regarding", "involvedObject");
    move(out, "note", "message");
    move(out, "deprecatedFirstTimestamp", "firstTimestamp");
    move(out, "deprecatedLastTimestamp", "lastTimestamp");
    move(out, "deprecatedCount", "count");
    JsonNode source = out.remove("deprecatedSource");
    String controller = event.path("reportingController").asText("");
    move(out, "reportingController", "reportingComponent");
    if (source != null && source.isObject() && !source.isEmpty()) {
      out.set("source", source);
    } else if (!controller.isEmpty()) {
      ObjectNode s = out.putObject("source");
      s.put("component", controller);
      if (event.hasNonNull("reportingInstance")) {
        s.put("host", event.path("reportingInstance").asText());
      }
    }
    JsonNode series = event.path("series");
    if (series.isObject() && !out.has("count")) {
      out.put("count", series.path("count").asInt(1));
    }
    if (!out.has("lastTimestamp") && series.hasNonNull("lastObservedTime")) {
      out.set("lastTimestamp", series.get("lastObservedTime"));
    }
    return out;
  }

  /** A core/v1 Event as events.k8s.io/v1 shows it. */
  static ObjectNode toNew(JsonNode event) {
    ObjectNode out = event.deepCopy();
    out.put("apiVersion", NEW_GROUP + "/v1");
    move(out, "involvedObject", "regarding");
    move(out, "message", "note");
    move(out, "firstTimestamp", "deprecatedFirstTimestamp");
    move(out, "lastTimestamp", "deprecatedLastTimestamp");
    move(out, "count", "deprecatedCount");
    move(out, "source", "deprecatedSource");
    move(out, "reportingComponent", "reportingController");
    if (!out.hasNonNull("reportingController")
        && out.path("deprecatedSource").hasNonNull("component")) {
      out.put("reportingController", out.path("deprecatedSource").path("component").asText());
    }
    return out;
  }

  private static void move(ObjectNode node, String from, String to) {
    JsonNode value = node.remove(from);
    if (value != null && !value.isNull()) {
      node.set(to, value);
    }
  }
}
