package aim.orchestrator.activities.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeychainTest {
  @Test
  void readsDockerConfigJson() {
    Keychain k = Keychain.fromSecrets(List.of(PullSecretFixtures.dockerConfigJson("hub", "ghcr.io", "robot", "s3cret")));

    assertThat(k.forRegistry("ghcr.io")).contains(new Credential("robot", "s3cret"));
    assertThat(k.forRegistry("quay.io")).isEmpty();
  }

  @Test
  void readsLegacyDockerCfgWithAnAuthField() {
    Keychain k = Keychain.fromSecrets(List.of(PullSecretFixtures.dockerCfg("old", "{\"quay.io\":{\"auth\":\"" + PullSecretFixtures.base64("bot:pa:ss") + "\"}}")));

    assertThat(k.forRegistry("quay.io")).contains(new Credential("bot", "pa:ss"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://index.docker.io/v1/", "index.docker.io", "registry-1.docker.io", "docker.io", "DOCKER.IO"})
  void dockerHubAliasesServeDockerIo(String key) {
    Keychain k = Keychain.fromSecrets(List.of(PullSecretFixtures.dockerConfigJson("hub", key, "u", "p")));

    assertThat(k.forRegistry("docker.io")).isPresent();
    assertThat(k.forRegistry("index.docker.io")).isPresent();
  }

  @Test
  void hostsWithPortsAndSchemesMatch() {
    Keychain k = Keychain.fromSecrets(List.of(PullSecretFixtures.dockerConfigJson("local", "http://127.0.0.1:5000/", "u", "p")));

    assertThat(k.forRegistry("127.0.0.1:5000")).isPresent();
    assertThat(k.forRegistry("127.0.0.1")).isEmpty();
  }

  @Test
  void theFirstSecretWins() {
    Keychain k =
        Keychain.fromSecrets(
            List.of(PullSecretFixtures.dockerConfigJson("a", "ghcr.io", "first", "1"), PullSecretFixtures.dockerConfigJson("b", "ghcr.io", "second", "2")));

    assertThat(k.forRegistry("ghcr.io")).map(Credential::username).contains("first");
  }

  @Test
  void otherSecretsAreSkipped() {
    Secret opaque = new SecretBuilder().withNewMetadata().withName("tls").endMetadata().addToData("tls.crt", PullSecretFixtures.base64("x")).build();

    assertThat(Keychain.fromSecrets(List.of(opaque)).forRegistry("docker.io")).isEmpty();
  }

  @Test
  void unreadableSecretsNameTheSecretButNotTheContent() {
    Secret broken =
        new SecretBuilder()
            .withNewMetadata().withName("broken").endMetadata()
            .addToData(".dockerconfigjson", PullSecretFixtures.base64("{not json s3cret"))
            .build();
    Secret badAuth = PullSecretFixtures.dockerCfg("bad-auth", "{\"quay.io\":{\"auth\":\"" + PullSecretFixtures.base64("no-colon-s3cret") + "\"}}");

    assertThatThrownBy(() -> Keychain.fromSecrets(List.of(broken)))
        .hasMessage("image pull secret broken: .dockerconfigjson is not base64-encoded JSON");
    assertThatThrownBy(() -> Keychain.fromSecrets(List.of(badAuth)))
        .hasMessage("image pull secret bad-auth: the auth of quay.io is not user:password");
  }

  @Test
  void credentialsNeverPrintTheirPassword() {
    Credential c = new Credential("robot", "s3cret");

    assertThat(c.toString()).doesNotContain("s3cret").contains("robot");
    assertThat(Keychain.of("ghcr.io", c).toString()).doesNotContain("s3cret").doesNotContain("robot");
  }
}
