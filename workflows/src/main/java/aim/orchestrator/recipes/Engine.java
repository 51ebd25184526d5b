package aim.orchestrator.recipes;

import java.util.Locale;
import java.util.Optional;

/** A serving engine a recipe can configure; {@link #section} is its key in a recipe file. */
public enum Engine {
  VLLM("vllm", "vllm_serve"),
  SGLANG("sglang", "sglang_serve");

  private final String id;
  private final String section;

  Engine(String id, String section) {
    this.id = id;
    this.section = section;
  }

  /** The lower-case name used in profile ids and AIM_ENGINE. */
  public String id() {
    return id;
  }

  public String section() {
    return section;
  }

  public static Optional<Engine> byId(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    for (Engine e : values()) {
      if (e.id.equals(wanted)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
