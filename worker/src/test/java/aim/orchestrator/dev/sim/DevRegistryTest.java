package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dev registry answers the registry API v2 read calls a registry client makes for image labels. */
class DevRegistryTest {
  static DevRegistry registry;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    registry = DevRegistry.start(0);
    registry.publish("amdenterpriseai/aim-qwen-qwen3-32b", "0.8.5", Map.of("com.amd.aim.model.canonicalName", "Qwen/Qwen3-32B"));
    registry.publish("amdenterpriseai/aim-qwen-qwen3-32b", "0.9.0", Map.of("com.amd.aim.model.canonicalName", "Qwen/Qwen3-32B"));
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(registry.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void manifestThenConfigGivesTheLabels() throws Exception {
    HttpResponse<String> manifest = get("/v2/amdenterpriseai/aim-qwen-qwen3-32b/manifests/0.8.5");
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(manifest.headers().firstValue("Content-Type")).hasValue(DevRegistry.MANIFEST_TYPE);
    String digest = JSON.readTree(manifest.body()).path("config").path("digest").asText();
    assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(DevRegistry.digest(manifest.body().getBytes()));

    HttpResponse<String> config = get("/v2/amdenterpriseai/aim-qwen-qwen3-32b/blobs/" + digest);
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(DevRegistry.digest(config.body().getBytes())).isEqualTo(digest);
    JsonNode labels = JSON.readTree(config.body()).path("config").path("Labels");
    assertThat(labels.path("com.amd.aim.model.canonicalName").asText()).isEqualTo("Qwen/Qwen3-32B");
  }

  @Test
  void tagsAndCatalog() throws Exception {
    assertThat(JSON.readTree(get("/v2/amdenterpriseai/aim-qwen-qwen3-32b/tags/list").body()).path("tags").toString())
        .isEqualTo("[\"0.8.5\",\"0.9.0\"]");
    assertThat(JSON.readTree(get("/v2/_catalog").body()).path("repositories").toString())
        .isEqualTo("[\"amdenterpriseai/aim-qwen-qwen3-32b\"]");
  }

  @Test
  void unknownImagesAreRegistryErrors() throws Exception {
    HttpResponse<String> missing = get("/v2/amdenterpriseai/aim-nothing/manifests/1.0");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).path("errors").get(0).path("code").asText()).isEqualTo("MANIFEST_UNKNOWN");
    assertThat(get("/v2/amdenterpriseai/aim-qwen-qwen3-32b/manifests/0.0.1").statusCode()).isEqualTo(404);
  }
}
