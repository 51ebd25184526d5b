package aim.orchestrator.starter.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import aim.orchestrator.starter.docs.GeneratedDocs;
import aim.orchestrator.starter.docs.OpenApiMarkdown;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * docs/rest-reference.md is the OpenAPI document the app serves, rendered as Markdown, plus the table of problem
 * types. It is rewritten with {@code -Daim.docs.update=true}; this test fails when the API changed and the page did not.
 */
class RestReferenceTest extends ApiTestSupport {
  private static final String PREFACE =
      """
      Generated from the OpenAPI document the starter serves at `/v3/api-docs` (Swagger UI at `/swagger-ui.html`) by
      `RestReferenceTest`; do not edit it by hand. After changing the API, rewrite it with

      ```bash
      ./mvnw -B -o test -pl starter -am -Dtest=RestReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Daim.docs.update=true
      ```

      [rest.md](rest.md) explains the API with examples: authentication, the resources, the live view, actions,
      schedules and errors.
      """;

  @Test
  void theReferencePageIsTheServedOpenApiDocument() throws Exception {
    String json = mvc.perform(get("/v3/api-docs")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    String page = OpenApiMarkdown.render(new ObjectMapper().readTree(json), PREFACE) + "\n" + problemTypes();
    GeneratedDocs.check("rest-reference.md", page);
  }

  private static String problemTypes() {
    StringBuilder out = new StringBuilder("## Problem types\n\n");
    out.append("Every error is an RFC 7807 problem detail (`application/problem+json`) whose `type` is one of these.\n\n");
    out.append("| type | title | status |\n|---|---|---|\n");
    for (ProblemType t : ProblemType.values()) {
      out.append("| `").append(t.uri()).append("` | ").append(t.title()).append(" | ").append(t.status().value()).append(" |\n");
    }
    return out.toString();
  }
}
