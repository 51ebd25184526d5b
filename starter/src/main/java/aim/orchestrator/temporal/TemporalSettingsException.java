package aim.orchestrator.temporal;

import java.util.List;

/**
 * The {@code aim.temporal.*} settings are wrong: each problem names its property. Thrown at startup, before any
 * connection is made; never carries a key, a token or a file's content.
 */
public class TemporalSettingsException extends IllegalArgumentException {
  private final List<String> problems;

  public TemporalSettingsException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  public TemporalSettingsException(String problem) {
    this(List.of(problem));
  }

  /** One line per problem, each starting with the property it is about. */
  public List<String> problems() {
    return problems;
  }

  private static String message(List<String> problems) {
    return problems.size() == 1
        ? "Invalid Temporal settings: " + problems.get(0)
        : "Invalid Temporal settings:\n  - " + String.join("\n  - ", problems);
  }
}
