package aim.orchestrator.starter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Every request is authenticated with a TokenReview of its bearer token and authorized with a SubjectAccessReview
 * for that user: the API grants exactly what RBAC grants.
 */
class AuthApiTest extends ApiTestSupport {
  private static final String PROBLEM = "https://aim-orchestrator.dev/problems/";

  @Test
  void refusesRequestsWithoutABearerToken() throws Exception {
    mvc.perform(get("/api/v1/namespaces/" + ns + "/aimservices"))
        .andExpect(status().isUnauthorized())
        .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"aim-orchestrator\""))
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value(PROBLEM + "unauthenticated"))
        .andExpect(jsonPath("$.detail").value("A bearer token is required: send 'Authorization: Bearer <token>'"));
    mvc.perform(get("/api/v1/namespaces/" + ns + "/aimservices").header(HttpHeaders.AUTHORIZATION, "Basic YWxpY2U6c2VjcmV0"))
        .andExpect(status().isUnauthorized());
    assertThat(REVIEWS.tokenReviews).isEmpty();
  }

  @Test
  void refusesTokensTheApiServerDoesNotAuthenticate() throws Exception {
    mvc.perform(get("/api/v1/namespaces/" + ns + "/aimservices").header(HttpHeaders.AUTHORIZATION, bearer("stolen")))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.type").value(PROBLEM + "unauthenticated"));
    assertThat(REVIEWS.tokenReviews).singleElement().satisfies(r -> assertThat(r.path("spec").path("token").asText()).isEqualTo("stolen"));
    assertThat(REVIEWS.accessReviews).isEmpty();
  }

  @Test
  void asksRbacForTheCallerWithTheVerbResourceNamespaceAndName() throws Exception {
    REVIEWS.addUser("alice-token", "alice");
    REVIEWS.allow("alice", "get aimservices");

    mvc.perform(get("/api/v1/namespaces/" + ns + "/aimservices/chat").header(HttpHeaders.AUTHORIZATION, bearer("alice-token")))
        .andExpect(status().isNotFound()); // allowed, and there is no such service

    JsonNode spec = REVIEWS.accessReviews.get(0).path("spec");
    assertThat(spec.path("user").asText()).isEqualTo("alice");
    assertThat(spec.path("uid").asText()).isEqualTo("uid-alice");
    assertThat(spec.path("groups").get(0).asText()).isEqualTo("system:authenticated");
    JsonNode ra = spec.path("resourceAttributes");
    assertThat(ra.path("verb").asText()).isEqualTo("get");
    assertThat(ra.path("group").asText()).isEqualTo("aim.eai.amd.com");
    assertThat(ra.path("resource").asText()).isEqualTo("aimservices");
    assertThat(ra.path("namespace").asText()).isEqualTo(ns);
    assertThat(ra.path("name").asText()).isEqualTo("chat");
  }

  @Test
  void forbidsWhatRbacDoesNotGrantAndDoesNothing() throws Exception {
    REVIEWS.addUser("alice-token", "alice");
    REVIEWS.allow("alice", "get aimservices", "list aimservices");

    mvc.perform(
            post("/api/v1/namespaces/" + ns + "/aimservices")
                .header(HttpHeaders.AUTHORIZATION, bearer("alice-token"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(service("chat", "{'model':{'name':'a'}}")))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.type").value(PROBLEM + "forbidden"))
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "aimservices is forbidden: User \"alice\" cannot create resource \"aimservices\" in API group"
                        + " \"aim.eai.amd.com\" in the namespace \"" + ns + "\": no RBAC rule in the test"))
        .andExpect(jsonPath("$.user").value("alice"))
        .andExpect(jsonPath("$.verb").value("create"));
    mvc.perform(delete("/api/v1/namespaces/" + ns + "/aimservices/chat").header(HttpHeaders.AUTHORIZATION, bearer("alice-token")))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.name").value("chat"));
    mvc.perform(get("/api/v1/aimservices").header(HttpHeaders.AUTHORIZATION, bearer("alice-token")))
        .andExpect(status().isOk()); // list across namespaces: asked without a namespace, and granted here

    assertThat(kubernetes.genericKubernetesResources(AimResourceType.byPlural("aimservices").orElseThrow().context()).inNamespace(ns).list().getItems())
        .isEmpty();
  }

  @Test
  void leavesTheDocsAndHealthOpen() throws Exception {
    mvc.perform(get("/v3/api-docs")).andExpect(status().isOk());
    mvc.perform(get("/actuator/health")).andExpect(status().isOk());
  }
}
