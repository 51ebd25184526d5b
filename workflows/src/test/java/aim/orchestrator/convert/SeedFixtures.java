package aim.orchestrator.convert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The example manifests of seeds 000 and 001, one per file under {@code src/test/resources/convert/seed00N/}, named
 * {@code seed00N/<file>} as {@code aim convert seed000/*.yaml seed001/*.yaml} run from that folder would name them.
 */
final class SeedFixtures {
  static final Path DIR = Path.of("src/test/resources/convert");

  private SeedFixtures() {}

  static List<SourceFile> seed(String seed) {
    try (Stream<Path> files = Files.list(DIR.resolve(seed))) {
      List<SourceFile> sources = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        sources.add(new SourceFile(seed + "/" + file.getFileName(), Files.readString(file)));
      }
      return sources;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Both seeds, 000 first: the batch the golden files are made from. */
  static List<SourceFile> both() {
    List<SourceFile> all = new ArrayList<>(seed("seed000"));
    all.addAll(seed("seed001"));
    return all;
  }
}
