package aim.orchestrator.starter.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pages under {@code docs/} that are generated from the code (the REST reference from the OpenAPI document, the CLI
 * reference from the commands' help). A test renders the page and compares it with the committed file, so the page
 * cannot drift from the code; {@code -Daim.docs.update=true} rewrites it.
 */
public final class GeneratedDocs {
  /** Tests run in the module's folder; the docs are beside it. */
  private static final Path DOCS = Path.of("..", "docs");

  private GeneratedDocs() {}

  public static void check(String page, String rendered) throws IOException {
    Path file = DOCS.resolve(page);
    if (Boolean.getBoolean("aim.docs.update")) {
      Files.writeString(file, rendered);
    }
    assertThat(file).as("docs/%s is missing; write it with -Daim.docs.update=true", page).exists();
    assertThat(Files.readString(file))
        .as("docs/%s is out of date; rewrite it with -Daim.docs.update=true and commit it", page)
        .isEqualTo(rendered);
  }
}
