package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The catalog this project ships: valid, complete, and the same from the classpath as from k8s/catalog. */
class BuiltInCatalogTest {
  @Test
  void builtInCatalogPassesEveryRule() {
    Catalog catalog = Catalog.builtIn();
    assertThat(CatalogValidator.validate(catalog)).isEmpty();
    assertThat(catalog.models()).hasSize(7);
    assertThat(catalog.recipes()).hasSize(catalog.files().size() - catalog.models().size());
  }

  @Test
  void classpathAndDirectoryCatalogsAgree() {
    Catalog fromDir = Catalog.load(Path.of("..", "k8s", "catalog"));
    Catalog fromJar = Catalog.builtIn();
    assertThat(fromJar.models()).isEqualTo(fromDir.models());
    assertThat(fromJar.recipes()).isEqualTo(fromDir.recipes());
  }
}
