package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dev tokens and the review APIs built on them: {@code TokenReview} and {@code SelfSubjectReview}
 * (authentication.k8s.io/v1), {@code SubjectAccessReview}, {@code LocalSubjectAccessReview} and
 * {@code SelfSubjectAccessReview} (authorization.k8s.io/v1, answered by {@link Rbac} over the
 * stored RBAC objects). The dev token (random per start) belongs to {@code dev-admin} in {@code
 * system:masters}; more users are added with their tokens. The dev API only authenticates: a
 * request with an unknown bearer token is refused (401), and no request is authorized against RBAC.
 * A request without a token acts as the dev user: kubectl sends no credentials over plain HTTP
 * (client-go applies a kubeconfig's user only to TLS connections), and the dev API serves HTTP, so
 * {@code kubectl auth whoami} and {@code kubectl auth can-i} answer for the dev user, which is what
 * such requests may do here.
 */
final class Auth {

  static final String AUTHN_GROUP = "authentication.k8s.io";
  static final String AUTHZ_GROUP = "authorization.k8s.io";
  static final String DEV_USER = "dev-admin";

  /** An authenticated user. */
  record User(String name, String uid, List<String> groups) {}

  private final KubeStatus status;
  private final String devToken;
  private final Map<String, User> users = new ConcurrentHashMap<>();
  private final User devUser;

  Auth(ObjectMapper mapper) {
    this.status = new KubeStatus(mapper);
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.devToken = "aim-dev-" + HexFormat.of().formatHex(random);
    this.devUser =
        new User(
            DEV_USER, UUID.randomUUID().toString(), List.of(Rbac.MASTERS, "system:authenticated"));
    users.put(devToken, devUser);
  }

  String devToken() {
    return devToken;
  }

  void addUser(String token, String name, List<String> groups) {
    List<String> all = new ArrayList<>(groups);
    if (!all.contains("system:authenticated")) {
      all.add("system:authenticated");
    }
    String uid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    users.put(token, new User(name, uid, List.copyOf(all)));
  }

  /**
   * The requester: empty for an unknown bearer token (to be refused), the dev user without one.
   *
   * @param authorization the Authorization header, or null
   */
  Optional<User> requester(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(devUser);
    }
    return Optional.ofNullable(users.get(authorization.substring(7).strip()));
  }

  MockResponse unauthorized() {
    return status.failure(401, "Unauthorized", "Unauthorized", null, null, null, null);
  }

  /** Whether this path is one of the review APIs (POST only; nothing is stored). */
  static boolean isReview(ApiPath api) {
    return (api.group().equals(AUTHN_GROUP) || api.group().equals(AUTHZ_GROUP))
        && api.version().equals("v1")
        && api.name() == null
        && api.resource() != null
        && api.resource().endsWith("reviews");
  }

  /** Answers a review POST. */
  MockResponse review(ApiPath api, JsonNode body, User requester, Rbac rbac) {
    if (body == null || !body.isObject()) {
      return status.badRequest("[dev-api] the request body must be a JSON object");
    }
    ObjectNode answer = ((ObjectNode) body).deepCopy();
    answer.put("apiVersion", api.group() + "/v1");
    if (!answer.has("metadata")) {
      answer.putObject("metadata");
    }
    switch (api.resource()) {
      case "tokenreviews" -> {
        answer.put("kind", "TokenReview");
        String token = body.path("spec").path("token").asText("");
        User user = users.get(token);
        ObjectNode s = answer.putObject("status");
        if (user == null) {
          s.put("authenticated", false);
          s.putObject("user");
          s.put("error", "[dev-api] unknown token");
        } else {
          s.put("authenticated", true);
          putUser(s.putObject("user"), user);
          ArrayNode audiences = s.putArray("audiences");
          body.path("spec").path("audiences").forEach(audiences::add);
        }
      }
      case "selfsubjectreviews" -> {
        answer.put("kind", "SelfSubjectReview");
        putUser(answer.putObject("status").putObject("userInfo"), requester);
      }
      case "subjectaccessreviews", "localsubjectaccessreviews", "selfsubjectaccessreviews" -> {
        JsonNode spec = body.path("spec");
        User subject;
        if (api.resource().equals("selfsubjectaccessreviews")) {
          answer.put("kind", "SelfSubjectAccessReview");
          subject = requester;
        } else {
          answer.put(
              "kind",
              api.resource().equals("subjectaccessreviews")
                  ? "SubjectAccessReview"
                  : "LocalSubjectAccessReview");
          List<String> groups = new ArrayList<>();
          spec.path("groups").forEach(g -> groups.add(g.asText()));
          subject = new User(spec.path("user").asText(""), spec.path("uid").asText(""), groups);
        }
        JsonNode ra = spec.path("resourceAttributes");
        JsonNode nra = spec.path("nonResourceAttributes");
        String namespace = ra.path("namespace").asText("");
        if (api.resource().equals("localsubjectaccessreviews") && api.namespace() != null) {
          namespace = api.namespace();
        }
        Rbac.Request request =
            ra.isObject()
                ? new Rbac.Request(
                    subject.name(),
                    subject.groups(),
                    ra.path("verb").asText(""),
                    namespace,
                    ra.path("group").asText(""),
                    ra.path("resource").asText(""),
                    ra.path("subresource").asText(""),
                    ra.path("name").asText(""),
                    null)
                : new Rbac.Request(
                    subject.name(),
                    subject.groups(),
                    nra.path("verb").asText(""),
                    null,
                    null,
                    null,
                    null,
                    null,
                    nra.path("path").asText(""));
        Rbac.Decision decision = rbac.authorize(request);
        ObjectNode s = answer.putObject("status");
        s.put("allowed", decision.allowed());
        if (!decision.reason().isEmpty()) {
          s.put("reason", decision.reason());
        }
      }
      default -> {
        return status.notFound("the server could not find the requested resource");
      }
    }
    return status.json(201, answer);
  }

  private static void putUser(ObjectNode node, User user) {
    node.put("username", user.name());
    if (!user.uid().isEmpty()) {
      node.put("uid", user.uid());
    }
    ArrayNode groups = node.putArray("groups");
    user.groups().forEach(groups::add);
  }
}
