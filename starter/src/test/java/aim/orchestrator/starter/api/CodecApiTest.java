package aim.orchestrator.starter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import aim.orchestrator.temporal.AesGcmPayloadCodec;
import aim.orchestrator.temporal.TemporalConnection;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The codec server for the Temporal Web UI and CLI: Temporal's protocol (Payloads as protobuf JSON in, the same
 * out), the REST API's authentication, RBAC's {@code decode}/{@code encode} on {@code workflowpayloads}, the
 * Temporal namespace from the path or {@code X-Namespace}, CORS for the UI's origin.
 */
@TestPropertySource(
    properties = {
      "aim.temporal.codec.enabled=true",
      "aim.starter.codec-server.allowed-origins=https://temporal-ui.example",
      "aim.starter.codec-server.allow-credentials=true"
    })
class CodecApiTest extends ApiTestSupport {
  private static final String PROBLEM = "https://aim-orchestrator.dev/problems/";
  private static final Path KEYS = keys();
  private static final Payload PLAIN = DefaultDataConverter.STANDARD_INSTANCE.toPayload(Map.of("service", "qwen3-chat")).orElseThrow();

  @DynamicPropertySource
  static void codecKeys(DynamicPropertyRegistry registry) {
    registry.add("aim.temporal.codec.key-dir", KEYS::toString);
  }

  @Autowired TemporalConnection temporal;

  @Test
  void decodesWhatTheApplicationsEncrypted() throws Exception {
    Payload sealed = temporal.codec().orElseThrow().encode(List.of(PLAIN)).get(0);

    JsonNode answer = json(decode(admin(), body(sealed, PLAIN)).andExpect(status().isOk()).andExpect(header().string(HttpHeaders.CONTENT_TYPE, "application/json")));

    assertThat(payloads(answer)).containsExactly(PLAIN, PLAIN);
  }

  @Test
  void encodesForTheUiAndTheCliAndDecodesItBack() throws Exception {
    JsonNode encoded = json(perform("/codec/encode", admin(), body(PLAIN)).andExpect(status().isOk()));
    // protobuf JSON: metadata values and data are base64
    assertThat(encoded.at("/payloads/0/metadata/encoding").asText()).isEqualTo(b64("binary/encrypted"));
    assertThat(encoded.at("/payloads/0/metadata/encryption-key-id").asText()).isEqualTo(b64("k1"));
    assertThat(AesGcmPayloadCodec.isEncrypted(payloads(encoded).get(0))).isTrue();

    JsonNode decoded = json(decode(admin(), encoded.toString()).andExpect(status().isOk()));
    assertThat(payloads(decoded)).containsExactly(PLAIN);
  }

  @Test
  void takesTheTemporalNamespaceFromThePathOrTheHeader() throws Exception {
    perform("/codec/default/decode", admin(), body(PLAIN)).andExpect(status().isOk());
    mvc.perform(post("/codec/decode").header(HttpHeaders.AUTHORIZATION, admin()).header("X-Namespace", "default").contentType(MediaType.APPLICATION_JSON).content(body(PLAIN)))
        .andExpect(status().isOk());

    perform("/codec/other/decode", admin(), body(PLAIN))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value(PROBLEM + "not-found"))
        .andExpect(jsonPath("$.detail").value("This codec server serves the Temporal namespace \"default\", not \"other\""));
    mvc.perform(post("/codec/decode").header(HttpHeaders.AUTHORIZATION, admin()).header("X-Namespace", "prod").contentType(MediaType.APPLICATION_JSON).content(body(PLAIN)))
        .andExpect(status().isNotFound());
  }

  @Test
  void refusesCallersWithoutAValidToken() throws Exception {
    mvc.perform(post("/codec/decode").contentType(MediaType.APPLICATION_JSON).content(body(PLAIN)))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.type").value(PROBLEM + "unauthenticated"));
    decode(bearer("stolen"), body(PLAIN)).andExpect(status().isUnauthorized());
    assertThat(REVIEWS.accessReviews).isEmpty();
  }

  @Test
  void asksRbacForDecodeOnWorkflowPayloadsAtTheClusterScope() throws Exception {
    REVIEWS.addUser("viewer-token", "viewer");
    REVIEWS.allow("viewer", "get aimservices", "list aimservices");
    REVIEWS.addUser("oncall-token", "oncall");
    REVIEWS.allow("oncall", "decode workflowpayloads");

    decode(bearer("viewer-token"), body(PLAIN))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.type").value(PROBLEM + "forbidden"))
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "workflowpayloads \"default\" is forbidden: User \"viewer\" cannot decode resource \"workflowpayloads\" in API group"
                        + " \"aim.eai.amd.com\" at the cluster scope: no RBAC rule in the test"));
    JsonNode review = REVIEWS.accessReviews.get(0).path("spec").path("resourceAttributes");
    assertThat(review.path("verb").asText()).isEqualTo("decode");
    assertThat(review.path("group").asText()).isEqualTo("aim.eai.amd.com");
    assertThat(review.path("resource").asText()).isEqualTo("workflowpayloads");
    assertThat(review.path("name").asText()).isEqualTo("default");
    assertThat(review.has("namespace")).isFalse();

    decode(bearer("oncall-token"), body(PLAIN)).andExpect(status().isOk());
    perform("/codec/encode", bearer("oncall-token"), body(PLAIN))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.verb").value("encode"));
  }

  @Test
  void badBodiesAndAlteredPayloadsAre400s() throws Exception {
    decode(admin(), "{\"payloads\": 7}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value(PROBLEM + "bad-request"))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("The body is not a Temporal Payloads message in protobuf JSON")));

    Payload sealed = temporal.codec().orElseThrow().encode(List.of(PLAIN)).get(0);
    byte[] data = sealed.getData().toByteArray();
    data[data.length - 1] ^= 1;
    decode(admin(), body(sealed.toBuilder().setData(com.google.protobuf.ByteString.copyFrom(data)).build()))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("GCM tag mismatch")));
  }

  @Test
  void answersTheUisCorsPreflightWithoutAToken() throws Exception {
    mvc.perform(
            options("/codec/decode")
                .header(HttpHeaders.ORIGIN, "https://temporal-ui.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type,x-namespace"))
        .andExpect(status().isOk())
        .andExpect(header().string(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://temporal-ui.example"))
        .andExpect(header().string(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"))
        .andExpect(header().string(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "authorization, content-type, x-namespace"));
    mvc.perform(post("/codec/decode").header(HttpHeaders.ORIGIN, "https://temporal-ui.example").header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(body(PLAIN)))
        .andExpect(status().isOk())
        .andExpect(header().string(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://temporal-ui.example"));

    mvc.perform(options("/codec/decode").header(HttpHeaders.ORIGIN, "https://evil.example").header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST"))
        .andExpect(status().isForbidden());
    mvc.perform(post("/codec/decode").header(HttpHeaders.ORIGIN, "https://evil.example").header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(body(PLAIN)))
        .andExpect(status().isForbidden());
    assertThat(REVIEWS.tokenReviews).hasSize(1); // only the allowed origin's POST got as far as authentication
  }

  private ResultActions decode(String authorization, String body) throws Exception {
    return perform("/codec/decode", authorization, body);
  }

  private ResultActions perform(String path, String authorization, String body) throws Exception {
    return mvc.perform(post(path).header(HttpHeaders.AUTHORIZATION, authorization).contentType(MediaType.APPLICATION_JSON).content(body));
  }

  private static String body(Payload... payloads) throws Exception {
    return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(List.of(payloads)));
  }

  private static JsonNode json(ResultActions result) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.andReturn().getResponse().getContentAsString());
  }

  private static List<Payload> payloads(JsonNode json) throws Exception {
    Payloads.Builder builder = Payloads.newBuilder();
    JsonFormat.parser().merge(json.toString(), builder);
    return builder.getPayloadsList();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Path keys() {
    try {
      Path dir = Files.createTempDirectory("codec-api-test-keys");
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(dir.resolve("k1"), Base64.getEncoder().encodeToString(key));
      dir.resolve("k1").toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
