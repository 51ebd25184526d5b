package aim.orchestrator.starter.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the Kubernetes API server's TokenReview and SubjectAccessReview on a fabric8 mock server: known tokens
 * belong to users; a user may do what {@link #allow} granted ({@code verb resource} pairs, {@code *} for any).
 * Records every review it answered.
 */
final class FakeReviews {
  static final String ADMIN_TOKEN = "admin-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> users = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> grants = new ConcurrentHashMap<>();
  final List<JsonNode> tokenReviews = new CopyOnWriteArrayList<>();
  final List<JsonNode> accessReviews = new CopyOnWriteArrayList<>();

  void install(KubernetesMockServer server) {
    server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, r -> tokenReview(r.getUtf8Body())).always();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201, r -> accessReview(r.getUtf8Body())).always();
  }

  /** Back to one user, {@code admin} (token {@link #ADMIN_TOKEN}), who may do anything. */
  void reset() {
    users.clear();
    grants.clear();
    tokenReviews.clear();
    accessReviews.clear();
    addUser(ADMIN_TOKEN, "admin");
    allow("admin", "*");
  }

  void addUser(String token, String user) {
    users.put(token, user);
  }

  /** Grants {@code "verb resource"} (or {@code "*"}) to a user. */
  void allow(String user, String... verbResources) {
    grants.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).addAll(List.of(verbResources));
  }

  private String tokenReview(String body) {
    ObjectNode review = read(body);
    tokenReviews.add(review.deepCopy());
    String user = users.get(review.path("spec").path("token").asText());
    ObjectNode status = review.putObject("status");
    status.put("authenticated", user != null);
    if (user != null) {
      ObjectNode info = status.putObject("user");
      info.put("username", user);
      info.put("uid", "uid-" + user);
      info.putArray("groups").add("system:authenticated");
    }
    return review.toString();
  }

  private String accessReview(String body) {
    ObjectNode review = read(body);
    accessReviews.add(review.deepCopy());
    JsonNode spec = review.path("spec");
    JsonNode ra = spec.path("resourceAttributes");
    Set<String> granted = grants.getOrDefault(spec.path("user").asText(), Set.of());
    boolean allowed = granted.contains("*") || granted.contains(ra.path("verb").asText() + " " + ra.path("resource").asText());
    ObjectNode status = review.putObject("status");
    status.put("allowed", allowed);
    status.put("reason", allowed ? "granted in the test" : "no RBAC rule in the test");
    return review.toString();
  }

  private static ObjectNode read(String body) {
    try {
      return (ObjectNode) JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
