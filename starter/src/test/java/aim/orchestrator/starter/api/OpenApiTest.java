package aim.orchestrator.starter.api;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

/** The OpenAPI document and Swagger UI are served by the app, without a token. */
class OpenApiTest extends ApiTestSupport {
  @Test
  void servesTheOpenApiDocument() throws Exception {
    mvc.perform(get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.info.title").value("AIM Orchestrator REST API"))
        .andExpect(jsonPath("$.components.securitySchemes['kubernetes-token'].scheme").value("bearer"))
        .andExpect(jsonPath("$.paths", hasKey("/api/v1/namespaces/{namespace}/{resource}")))
        .andExpect(jsonPath("$.paths", hasKey("/api/v1/namespaces/{namespace}/{resource}/{name}")))
        .andExpect(jsonPath("$.paths", hasKey("/api/v1/{resource}")))
        .andExpect(jsonPath("$.paths", hasKey("/api/v1/namespaces/{namespace}/aimservices/{name}/view")))
        .andExpect(jsonPath("$.paths", hasKey("/api/v1/namespaces/{namespace}/aimservicetemplates/{name}/actions/rediscover")))
        .andExpect(jsonPath("$.paths", hasKey("/api/v1/namespaces/{namespace}/aimtemplatecaches/{name}/actions/warm")))
        .andExpect(jsonPath("$.paths", hasKey("/api/v1/namespaces/{namespace}/aimtemplatecaches/{name}/actions/verify")))
        .andExpect(jsonPath("$.paths", hasKey("/api/v1/namespaces/{namespace}/aimartifacts/{name}/actions/retry")))
        .andExpect(jsonPath("$.paths", hasKey("/api/v1/namespaces/{namespace}/cachewarmingschedules/{name}/trigger")))
        .andExpect(jsonPath("$.paths['/api/v1/namespaces/{namespace}/{resource}/{name}'].patch.requestBody.content", hasKey("application/merge-patch+json")))
        .andExpect(jsonPath("$.paths['/api/v1/namespaces/{namespace}/{resource}'].post.parameters[?(@.name == 'resource')].schema.enum[*]", hasItem("aimservices")))
        .andExpect(jsonPath("$.paths['/api/v1/{resource}/{name}'].get.parameters[?(@.name == 'resource')].schema.enum[*]", not(hasItem("aimservices"))))
        .andExpect(jsonPath("$.paths['/api/v1/{resource}/{name}'].get.parameters[?(@.name == 'resource')].schema.enum[*]", hasItem("aimclustermodels")));
  }

  @Test
  void servesSwaggerUi() throws Exception {
    mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
  }
}
