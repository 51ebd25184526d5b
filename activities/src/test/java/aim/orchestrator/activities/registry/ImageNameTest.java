package aim.orchestrator.activities.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageNameTest {
  @ParameterizedTest
  @CsvSource({
    "amdenterpriseai/aim-qwen-qwen3-32b:0.8.5,     docker.io,       amdenterpriseai/aim-qwen-qwen3-32b, 0.8.5",
    "ubuntu,                                       docker.io,       library/ubuntu,                     latest",
    "docker.io/ubuntu:22.04,                       docker.io,       library/ubuntu,                     22.04",
    "index.docker.io/org/x:1,                      docker.io,       org/x,                              1",
    "ghcr.io/org/sub/image:1.0,                    ghcr.io,         org/sub/image,                      1.0",
    "127.0.0.1:5000/aim/qwen,                      127.0.0.1:5000,  aim/qwen,                           latest",
    "localhost/aim/qwen:2,                         localhost,       aim/qwen,                           2",
    "ghcr.io/org/x@sha256:abc,                     ghcr.io,         org/x,                              sha256:abc",
    "ghcr.io/org/x:1.0@sha256:abc,                 ghcr.io,         org/x,                              sha256:abc",
  })
  void parses(String image, String registry, String repository, String reference) throws Exception {
    assertThat(ImageName.parse(image)).isEqualTo(new ImageName(registry, repository, reference));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "https://ghcr.io/x", "ghcr.io/", "org//x", "x:", "x@", "a b"})
  void rejectsMalformedReferences(String image) {
    assertThatThrownBy(() -> ImageName.parse(image))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.INVALID));
  }
}
