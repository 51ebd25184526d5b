package aim.orchestrator.activities.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistrySettingsTest {
  @ParameterizedTest
  @CsvSource({
    "docker.io,                         https://registry-1.docker.io",
    "index.docker.io,                   https://registry-1.docker.io",
    "ghcr.io,                           https://ghcr.io",
    "registry.example.com:8443,         https://registry.example.com:8443",
    "localhost:5000,                    http://localhost:5000",
    "127.0.0.1:5000,                    http://127.0.0.1:5000",
    "[::1]:5000,                        http://[::1]:5000",
    "insecure.example.com,              http://insecure.example.com",
    "mirrored.example.com,              http://127.0.0.1:9999/prefix",
  })
  void endpoints(String registry, String endpoint) {
    RegistrySettings settings =
        new RegistrySettings(
            Set.of("Insecure.Example.com"), Map.of("mirrored.example.com", "http://127.0.0.1:9999/prefix/"), null, null, null, null);

    assertThat(settings.endpoint(registry)).isEqualTo(endpoint);
  }

  @Test
  void aDockerHubMirrorServesEveryAlias() {
    RegistrySettings settings = RegistrySettings.defaults().withMirror("index.docker.io", "http://127.0.0.1:5000");

    assertThat(settings.endpoint("docker.io")).isEqualTo("http://127.0.0.1:5000");
    assertThat(settings.endpoint("registry-1.docker.io")).isEqualTo("http://127.0.0.1:5000");
  }

  @Test
  void defaults() {
    RegistrySettings d = RegistrySettings.defaults();

    assertThat(d.operatorNamespace()).isEqualTo("aim-system");
    assertThat(d.dockerHubApi()).hasToString("https://hub.docker.com");
    assertThat(d.githubApi()).hasToString("https://api.github.com");
    assertThat(d.timeout()).isPositive();
  }
}
