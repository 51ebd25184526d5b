package aim.orchestrator.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden files under src/test/resources/golden/recipes; {@code -Daim.golden.update=true} rewrites them. */
final class Golden {
  private static final Path DIR = Path.of("src/test/resources/golden/recipes");

  private Golden() {}

  static void check(String name, String actual) throws IOException {
    Path file = DIR.resolve(name);
    if (Boolean.getBoolean("aim.golden.update")) {
      Files.createDirectories(DIR);
      Files.writeString(file, actual);
    }
    assertThat(file).as("%s is missing; write it with -Daim.golden.update=true", file).exists();
    assertThat(actual).isEqualTo(Files.readString(file));
  }
}
