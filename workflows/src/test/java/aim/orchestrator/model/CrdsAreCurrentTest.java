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

  /**
   * The generator sorts printer columns by JSON path; kubectl shows them in list order, and the reference lists
   * Status first. Keep the order in which the model class declares them.
   */
  static io.fabric8.kubernetes.api.model.HasMetadata declaredColumnOrder(
      io.fabric8.kubernetes.api.model.HasMetadata crd, String version) {
    var def = (io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition) crd;
    Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind = AimKinds.byKind(def.getSpec().getNames().getKind());
    List<String> declared =
        java.util.Arrays.stream(kind.getAnnotationsByType(io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.class))
            .map(io.fabric8.crd.generator.annotation.AdditionalPrinterColumn::name)
            .toList();
    for (var v : def.getSpec().getVersions()) {
      if (v.getAdditionalPrinterColumns() != null) {
        v.getAdditionalPrinterColumns().sort(java.util.Comparator.comparingInt(c -> declared.indexOf(c.getName())));
      }
    }
    return crd;
  }

  @Test
  void committedCrdsMatchTheModel(@TempDir Path out) throws IOException {
    new CRDGenerator()
        .customResourceClasses(AimKinds.ALL)
        .withPostProcessor(
            new io.fabric8.crdv2.generator.CRDPostProcessor() {
              @Override
              public io.fabric8.kubernetes.api.model.HasMetadata process(
                  io.fabric8.kubernetes.api.model.HasMetadata crd, String version) {
                return declaredColumnOrder(crd, version);
              }
            })
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
    // k8s/crds/kustomization.yaml lists every CRD, so k8s/deploy (kustomize) can reference the folder.
    String kustomization = Files.readString(COMMITTED.resolve("kustomization.yaml"));
    for (Path file : generated) {
      assertThat(kustomization).as("k8s/crds/kustomization.yaml lists %s", file.getFileName()).contains("- " + file.getFileName());
    }
    try (Stream<Path> files = Files.list(COMMITTED)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")))
          .as("k8s/crds holds only generated CRDs (and their kustomization)")
          .containsExactlyInAnyOrderElementsOf(generated.stream().map(p -> p.getFileName().toString()).toList());
    }
  }
}
