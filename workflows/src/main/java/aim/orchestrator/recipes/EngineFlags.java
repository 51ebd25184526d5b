package aim.orchestrator.recipes;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The command-line flags of one version of each engine, vendored as resource files
 * ({@code recipes/engines/<engine>-<version>.txt}, one flag per line). Every flag a recipe produces must be in the
 * list of its engine; a boolean flag {@code --x} also exists as {@code --no-x} in vLLM.
 */
public final class EngineFlags {
  /** The engine versions the flag lists describe. */
  public static final Map<Engine, String> VERSIONS = Map.of(Engine.VLLM, "0.10.1", Engine.SGLANG, "0.5");

  private static final EngineFlags BUILT_IN = load();

  private final Map<Engine, Set<String>> flags;

  private EngineFlags(Map<Engine, Set<String>> flags) {
    this.flags = flags;
  }

  public static EngineFlags builtIn() {
    return BUILT_IN;
  }

  public String version(Engine engine) {
    return VERSIONS.get(engine);
  }

  /** The resource the list of this engine comes from. */
  public static String resource(Engine engine) {
    return "recipes/engines/" + engine.id() + "-" + VERSIONS.get(engine) + ".txt";
  }

  public Set<String> flags(Engine engine) {
    return flags.get(engine);
  }

  /** Whether {@code flag} (with its dashes) is one of the engine's flags. */
  public boolean known(Engine engine, String flag) {
    Set<String> set = flags.get(engine);
    if (set.contains(flag)) {
      return true;
    }
    // vLLM's boolean options are argparse BooleanOptionalActions: --no-<flag> negates.
    return engine == Engine.VLLM && flag.startsWith("--no-") && set.contains("--" + flag.substring(5));
  }

  private static EngineFlags load() {
    Map<Engine, Set<String>> map = new EnumMap<>(Engine.class);
    for (Engine engine : Engine.values()) {
      String text = Catalog.readResource(EngineFlags.class.getClassLoader(), resource(engine));
      Set<String> set = new LinkedHashSet<>();
      for (String line : text.split("\n")) {
        String flag = line.trim();
        if (!flag.isEmpty() && !flag.startsWith("#")) {
          set.add(flag);
        }
      }
      map.put(engine, Collections.unmodifiableSet(set));
    }
    return new EngineFlags(map);
  }
}
