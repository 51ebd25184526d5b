package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev model hub holds what it was given: synthetic repositories and folders; anything else is not found. */
class DevModelHubTest {
  @Test
  void servesAddedAndFolderRepositoriesAndNothingElse(@TempDir Path root) throws Exception {
    Path repo = Files.createDirectories(root.resolve("acme/tiny"));
    Files.writeString(repo.resolve("config.json"), "{}");
    Files.writeString(root.resolve("secret.txt"), "not a repository file");
    try (DevModelHub hub = DevModelHub.start(0)) {
      hub.add("acme/synthetic");
      hub.addFolder(root);
      HttpClient http = HttpClient.newHttpClient();

      assertThat(hub.files("acme/tiny")).containsOnlyKeys("config.json");
      assertThat(get(http, hub, "/api/models/acme/tiny").statusCode()).isEqualTo(200);
      assertThat(get(http, hub, "/acme/tiny/resolve/main/config.json").body()).isEqualTo("{}");
      assertThat(get(http, hub, "/api/models/acme/synthetic").body()).contains("model.safetensors");

      HttpResponse<String> missing = get(http, hub, "/api/models/nobody/missing");
      assertThat(missing.statusCode()).isEqualTo(401);
      assertThat(missing.headers().firstValue("X-Error-Code")).hasValue("RepoNotFound");
      assertThat(get(http, hub, "/nobody/missing/resolve/main/config.json").statusCode()).isEqualTo(401);

      // Names that would reach the folder itself or outside it are no repositories.
      assertThat(hub.files("acme/..")).isEmpty();
      assertThat(hub.files("../acme")).isEmpty();
      assertThat(hub.holds(".hub/acme")).isFalse();
      assertThatThrownBy(() -> hub.add("acme/../x")).hasMessageContaining("<org>/<name>");
    }
  }

  private static HttpResponse<String> get(HttpClient http, DevModelHub hub, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(hub.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
