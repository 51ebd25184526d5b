package aim.orchestrator.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // image | registry | repository | name | tag
        "amdenterpriseai/aim-qwen-qwen3-32b:0.8.5 | docker-io | amdenterpriseai/aim-qwen-qwen3-32b"
            + " | aim-qwen-qwen3-32b | 0-8-5",
        "nginx | docker-io | nginx | nginx | latest",
        "library/nginx:1.27 | docker-io | library/nginx | nginx | 1-27",
        "ghcr.io/silogen/llama-3-8b:v1.2.0 | ghcr-io | silogen/llama-3-8b | llama-3-8b | v1-2-0",
        "ghcr.io/silogen/llama-3-8b@sha256:abcdef0123456789 | ghcr-io | silogen/llama-3-8b | llama-3-8b | abcdef",
        "repo/name@sha256:abc | docker-io | repo/name | name | abc",
        "repo/name:v1@sha256:0123456789 | docker-io | repo/name:v1 | name-v1 | 012345",
        "localhost:5000/my-image:dev | localhost-5000 | my-image | my-image | dev",
        "localhost/my-image | localhost | my-image | my-image | latest",
        "registry.example.com:5000/team/Model_X:V1.0 | registry-example-com-5000 | team/Model_X | model-x | v1-0",
        "Team/My__Model--X:1.0__RC | docker-io | Team/My__Model--X | my-model-x | 1-0-rc",
        "myhost:5000 | docker-io | myhost | myhost | 5000",
      })
  void splitsReferences(String image, String registry, String repository, String name, String tag) {
    assertThat(ImageReference.parse(image)).isEqualTo(new ImageReference(registry, repository, name, tag));
  }

  @ParameterizedTest
  @NullAndEmptySource
  void rejectsEmptyReferences(String image) {
    assertThatThrownBy(() -> ImageReference.parse(image))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("the reference is empty");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "repo/name:",
        "repo/name@",
        "repo/name@sha256",
        "repo/name@sha256:",
        "ghcr.io/:tag",
        "repo/!!!:tag",
        "repo/name:...",
        ".../name",
      })
  void rejectsMalformedReferences(String image) {
    assertThatThrownBy(() -> ImageReference.parse(image))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid image reference \"" + image + "\": ");
  }
}
