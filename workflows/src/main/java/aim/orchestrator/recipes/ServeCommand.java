package aim.orchestrator.recipes;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The command a profile runs, as the AIM container builds it (spec §5.3 step 5, {@code command_generator.py}):
 * {@code python -m vllm.entrypoints.openai.api_server --model <path> <engine_args…> --port <port>
 * --served-model-name <model_id> [<aim_id>]}. Values: true or null ⇒ bare flag, false ⇒ omitted, lists ⇒ the flag
 * repeated once per element, maps ⇒ compact JSON. SGLang gets the same shape with {@code sglang.launch_server},
 * {@code --model-path} and {@code --host 0.0.0.0} (its default host is 127.0.0.1, unreachable in a pod).
 */
public final class ServeCommand {
  /** AIM's default port (AIM_PORT). */
  public static final int DEFAULT_PORT = 8000;

  private ServeCommand() {}

  /**
   * The argument vector.
   *
   * @param modelPath what to load: {@code $AIM_CACHE_PATH/<org>/<model>} when the weights are cached, else the
   *     repository id (which is {@link Profile#modelId()})
   */
  public static List<String> argv(Profile profile, String modelPath, int port) {
    Engine engine = Engine.byId(profile.metadata().engine()).orElseThrow(() -> new IllegalArgumentException("unknown engine " + profile.metadata().engine()));
    String path = modelPath == null || modelPath.isBlank() ? profile.modelId() : modelPath;
    List<String> argv = new ArrayList<>();
    argv.add("python");
    argv.add("-m");
    if (engine == Engine.VLLM) {
      argv.addAll(List.of("vllm.entrypoints.openai.api_server", "--model", path));
    } else {
      argv.addAll(List.of("sglang.launch_server", "--model-path", path, "--host", "0.0.0.0"));
    }
    for (var e : profile.engineArgs().entrySet()) {
      append(argv, "--" + e.getKey(), e.getValue());
    }
    argv.add("--port");
    argv.add(String.valueOf(port));
    argv.add("--served-model-name");
    argv.add(profile.modelId());
    // vLLM accepts several names; AIM adds the AIM_ID when it differs from the loaded repository.
    if (engine == Engine.VLLM && profile.aimId() != null && !profile.aimId().equals(profile.modelId())) {
      argv.add(profile.aimId());
    }
    return List.copyOf(argv);
  }

  public static List<String> argv(Profile profile) {
    return argv(profile, null, DEFAULT_PORT);
  }

  /** The vector as one shell line, single-quoting what needs it. */
  public static String shell(List<String> argv) {
    StringBuilder sb = new StringBuilder();
    for (String a : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }

  private static void append(List<String> argv, String flag, Object value) {
    if (value == null || Boolean.TRUE.equals(value)) {
      argv.add(flag);
    } else if (Boolean.FALSE.equals(value)) {
      return;
    } else if (value instanceof Collection<?> list) {
      for (Object item : list) {
        argv.add(flag);
        argv.add(render(item));
      }
    } else {
      argv.add(flag);
      argv.add(render(value));
    }
  }

  private static String render(Object value) {
    if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
      try {
        return CatalogYaml.JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(e);
      }
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return String.valueOf(value);
  }
}
