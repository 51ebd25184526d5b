package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dev tokens: bearer authentication, TokenReview, and SubjectAccessReview answered from the RBAC
 * objects stored in the API.
 */
class DevKubernetesApiAuthTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static DevKubernetesApi api;

  @BeforeAll
  static void start() throws Exception {
    api = DevKubernetesApi.start(0);
    api.addUser("alice-token", "alice", "team-a");
    api.addUser("bob-token", "bob");
    Namespaces.create(api, "team-a", "team-b");
    try (KubernetesClient client = api.newClient();
        InputStream rbac =
            DevKubernetesApiAuthTest.class.getResourceAsStream("/dev/kube/rbac.yaml")) {
      for (HasMetadata item : client.load(rbac).items()) {
        client.resource(item).create();
      }
    }
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.url() + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode tokenReview(String token) throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/apis/authentication.k8s.io/v1/tokenreviews",
            api.devToken(),
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                + "\"spec\":{\"token\":\""
                + token
                + "\"}}");
    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode review = MAPPER.readTree(response.body());
    assertThat(review.path("kind").asText()).isEqualTo("TokenReview");
    return review.path("status");
  }

  /** A SubjectAccessReview for a user in groups; returns the status. */
  private static JsonNode access(
      String user,
      String groups,
      String verb,
      String group,
      String resource,
      String namespace,
      String name,
      String subresource)
      throws Exception {
    String body =
        """
        {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
         "spec":{"user":"%s","groups":%s,"resourceAttributes":{"verb":"%s","group":"%s",
         "resource":"%s","namespace":"%s","name":"%s","subresource":"%s"}}}
        """
            .formatted(user, groups, verb, group, resource, namespace, name, subresource);
    HttpResponse<String> response =
        send("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", null, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return MAPPER.readTree(response.body()).path("status");
  }

  @Test
  void tokenReviewKnowsTheDevTokenAndAddedUsers() throws Exception {
    JsonNode dev = tokenReview(api.devToken());
    assertThat(dev.path("authenticated").asBoolean()).isTrue();
    assertThat(dev.path("user").path("username").asText()).isEqualTo("dev-admin");
    assertThat(dev.path("user").path("groups").toString())
        .isEqualTo("[\"system:masters\",\"system:authenticated\"]");

    JsonNode alice = tokenReview("alice-token");
    assertThat(alice.path("authenticated").asBoolean()).isTrue();
    assertThat(alice.path("user").path("username").asText()).isEqualTo("alice");
    assertThat(alice.path("user").path("groups").toString())
        .isEqualTo("[\"team-a\",\"system:authenticated\"]");

    assertThat(tokenReview("made-up").path("authenticated").asBoolean()).isFalse();
  }

  @Test
  void unknownBearerTokensAreRefusedAndKnownOnesServed(@TempDir Path dir) throws Exception {
    assertThat(send("GET", "/api/v1/namespaces", "made-up", null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/api/v1/namespaces", "alice-token", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/v1/namespaces", api.devToken(), null).statusCode()).isEqualTo(200);
    JsonNode kubeconfig =
        new YAMLMapper().readTree(Files.readString(api.writeKubeconfig(dir.resolve("config"))));
    assertThat(kubeconfig.path("users").get(0).path("user").path("token").asText())
        .isEqualTo(api.devToken());
    assertThatThrownBy(() -> api.addUser(" ", "nobody"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void subjectAccessReviewsEvaluateTheStoredRbacObjects() throws Exception {
    String aliceGroups = "[\"team-a\",\"system:authenticated\"]";
    String bobGroups = "[\"system:authenticated\"]";

    // RoleBinding of a Role to a group, in its namespace only
    JsonNode allowed =
        access("alice", aliceGroups, "list", "aim.eai.amd.com", "aimservices", "team-a", "", "");
    assertThat(allowed.path("allowed").asBoolean()).isTrue();
    assertThat(allowed.path("reason").asText())
        .isEqualTo(
            "RBAC: allowed by RoleBinding \"team-a-edits/team-a\" of Role \"aim-editor\" to Group"
                + " \"team-a\"");
    assertThat(
            access("alice", aliceGroups, "list", "aim.eai.amd.com", "aimservices", "team-b", "", "")
                .path("allowed")
                .asBoolean())
        .isFalse();
    assertThat(
            access(
                    "alice",
                    aliceGroups,
                    "delete",
                    "aim.eai.amd.com",
                    "aimservices",
                    "team-a",
                    "x",
                    "")
                .path("allowed")
                .asBoolean())
        .isFalse();
    // subresources are separate resources
    assertThat(
            access(
                    "alice",
                    aliceGroups,
                    "patch",
                    "aim.eai.amd.com",
                    "aimservices",
                    "team-a",
                    "x",
                    "status")
                .path("allowed")
                .asBoolean())
        .isTrue();

    // ClusterRoleBinding of a ClusterRole to a user: everywhere, but only the named object
    assertThat(
            access("bob", bobGroups, "get", "", "configmaps", "team-b", "settings", "")
                .path("allowed")
                .asBoolean())
        .isTrue();
    assertThat(
            access("bob", bobGroups, "get", "", "configmaps", "team-b", "other", "")
                .path("allowed")
                .asBoolean())
        .isFalse();
    // RoleBinding of a ClusterRole: the ClusterRole's rules, in the binding's namespace
    assertThat(
            access("bob", bobGroups, "watch", "apps", "deployments", "team-b", "", "")
                .path("allowed")
                .asBoolean())
        .isTrue();
    assertThat(
            access("bob", bobGroups, "watch", "apps", "deployments", "team-a", "", "")
                .path("allowed")
                .asBoolean())
        .isFalse();
    // system:masters may do anything
    assertThat(
            access("root", "[\"system:masters\"]", "delete", "", "namespaces", "", "x", "")
                .path("allowed")
                .asBoolean())
        .isTrue();
  }

  @Test
  void selfSubjectAccessReviewsAnswerForTheCaller() throws Exception {
    String body =
        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
            + "\"spec\":{\"resourceAttributes\":{\"verb\":\"create\",\"group\":\"aim.eai.amd.com\","
            + "\"resource\":\"aimservices\",\"namespace\":\"team-a\"}}}";
    String path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    assertThat(
            MAPPER
                .readTree(send("POST", path, "alice-token", body).body())
                .path("status")
                .path("allowed")
                .asBoolean())
        .isTrue();
    assertThat(
            MAPPER
                .readTree(send("POST", path, "bob-token", body).body())
                .path("status")
                .path("allowed")
                .asBoolean())
        .isFalse();
    // without a token: the dev user (kubectl sends none over plain HTTP)
    assertThat(
            MAPPER
                .readTree(send("POST", path, null, body).body())
                .path("status")
                .path("allowed")
                .asBoolean())
        .isTrue();
  }
}
