package aim.orchestrator.starter.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** With the payload codec off (the default), the codec server says so instead of pretending to decode. */
class CodecServerOffTest extends ApiTestSupport {
  @Test
  void answers404NamingTheSetting() throws Exception {
    mvc.perform(post("/codec/decode").header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content("{\"payloads\":[]}"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("https://aim-orchestrator.dev/problems/not-found"))
        .andExpect(
            jsonPath("$.detail")
                .value("The payload codec is off (aim.temporal.codec.enabled=false): payloads are not encrypted, there is nothing to decode"));
    mvc.perform(post("/codec/decode").contentType(MediaType.APPLICATION_JSON).content("{\"payloads\":[]}")).andExpect(status().isUnauthorized());
  }
}
