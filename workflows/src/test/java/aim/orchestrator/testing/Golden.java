package aim.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under src/test/resources/golden: a manifest is rendered to YAML (keys sorted) and compared with its
 * file. Rewrite the files with {@code -Daim.golden.update=true} after checking the diff.
 */
public final class Golden {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private Golden() {}

  /** Compares {@code manifest}, as YAML, with {@code golden/<scenario>.yaml}. */
  public static void check(String scenario, Object manifest) throws IOException {
    checkText(scenario + ".yaml", YAML.writeValueAsString(YAML.convertValue(manifest, Object.class)));
  }

  /** Compares {@code actual} with the file {@code golden/<file>} (a path with its extension) as it is. */
  public static void checkText(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("aim.golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual);
    }
    assertThat(file).as("%s is missing; write it with -Daim.golden.update=true", file).exists();
    assertThat(actual).isEqualTo(Files.readString(file));
  }
}
