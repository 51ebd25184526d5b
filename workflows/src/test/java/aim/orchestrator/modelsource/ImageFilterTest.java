package aim.orchestrator.modelsource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageFilterTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      nullValues = "-",
      value = {
        // image,                                   registry,        repository,                          tag,   wildcard, exactImage, namespace
        "amdenterpriseai/aim-qwen-qwen3-32b:0.8.5,  -,               amdenterpriseai/aim-qwen-qwen3-32b,  0.8.5, false,    true,       amdenterpriseai",
        "amdenterpriseai/aim-qwen-qwen3-32b,        -,               amdenterpriseai/aim-qwen-qwen3-32b,  -,     false,    false,      amdenterpriseai",
        "amdenterpriseai/aim-*,                     -,               amdenterpriseai/aim-*,               -,     true,     false,      amdenterpriseai",
        "docker.io/amdenterpriseai/aim-*,           -,               amdenterpriseai/aim-*,               -,     true,     false,      amdenterpriseai",
        "index.docker.io/amdenterpriseai/x:1,       -,               amdenterpriseai/x,                   1,     false,    true,       amdenterpriseai",
        "ghcr.io/silogen/aim-llama:1.0.0,           ghcr.io,         silogen/aim-llama,                   1.0.0, false,    true,       silogen",
        "ghcr.io/silogen/*,                         ghcr.io,         silogen/*,                           -,     true,     false,      silogen",
        "127.0.0.1:5000/aim/qwen,                   127.0.0.1:5000,  aim/qwen,                            -,     false,    false,      aim",
        "localhost/aim/*:1.0,                       localhost,       aim/*:1.0,                           -,     true,     false,      aim",
        "*,                                         -,               *,                                   -,     true,     false,      -",
        "*/aim-*,                                   -,               */aim-*,                             -,     true,     false,      -",
        "ubuntu:22.04,                              -,               library/ubuntu,                      22.04, false,    true,       library",
        "aim/qwen@sha256:abcdef,                    -,               aim/qwen,                            -,     false,    false,      aim",
        "aim/qwen:,                                 -,               aim/qwen,                            -,     false,    false,      aim",
      })
  void parses(
      String image, String registry, String repository, String tag, boolean wildcard, boolean exactImage, String namespace) {
    ImageFilter f = ImageFilter.parse(image);

    assertThat(f.registry()).isEqualTo(registry);
    assertThat(f.repository()).isEqualTo(repository);
    assertThat(f.tag()).isEqualTo(tag);
    assertThat(f.wildcard()).isEqualTo(wildcard);
    assertThat(f.exactImage()).isEqualTo(exactImage);
    assertThat(f.namespace()).isEqualTo(namespace);
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      value = {"aim/x, -, docker.io", "aim/x, '', docker.io", "aim/x, ghcr.io, ghcr.io", "quay.io/aim/x, ghcr.io, quay.io"})
  void theRegistryDefaultsToTheSourcesThenDockerHub(String image, String sourceRegistry, String expected) {
    assertThat(ImageFilter.parse(image).registryOr(sourceRegistry)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"docker.io, aim/x, 1.0, aim/x:1.0", "'', aim/x, 1.0, aim/x:1.0", "ghcr.io, aim/x, 1.0, ghcr.io/aim/x:1.0"})
  void dockerHubImagesHaveNoRegistryPrefix(String registry, String repository, String tag, String uri) {
    assertThat(new RegistryImage(registry, repository, tag).uri()).isEqualTo(uri);
  }
}
