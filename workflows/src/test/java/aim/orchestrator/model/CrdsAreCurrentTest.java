package aim.orchestrator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRDs in k8s/crds are generated from the Java model. This test regenerates them and fails when the committed
 * files differ; run {@code ./mvnw -pl workflows test -Dtest=CrdsAreCurrentTest -Daim.crds.update=true} to rewrite
 * them after a model change.
 */
class CrdsAreCurrentTest {
  private static final Path COMMITTED = Path.of("..", "k8s", "crds");

  @Test
  void committedCrdsMatchTheModel(@TempDir Path out) throws IOException {
    new CRDGenerator()
        .customResourceClasses(AimKinds.ALL)
        .forCRDVersions("v1")
        .withParallelGenerationEnabled(false)
        .inOutputDir(out.toFile())
        .generate();
    List<Path> generated;
    try (Stream<Path> files = Files.list(out)) {
      generated = files.sorted().toList();
    }
    assertThat(generated).hasSize(AimKinds.ALL.size());

    if (Boolean.getBoolean("aim.crds.update")) {
      Files.createDirectories(COMMITTED);
      for (Path file : generated) {
        Files.copy(file, COMMITTED.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (Path file : generated) {
      Path committed = COMMITTED.resolve(file.getFileName());
      assertThat(committed)
          .as("%s is missing or stale; regenerate with -Daim.crds.update=true", committed)
          .exists();
      assertThat(Files.readString(committed)).as(committed.toString()).isEqualTo(Files.readString(file));
    }
    try (Stream<Path> files = Files.list(COMMITTED)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("k8s/crds holds only generated CRDs")
          .containsExactlyInAnyOrderElementsOf(generated.stream().map(p -> p.getFileName().toString()).toList());
    }
  }
}
