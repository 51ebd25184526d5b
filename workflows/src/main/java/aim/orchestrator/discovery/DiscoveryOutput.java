package aim.orchestrator.discovery;

import aim.orchestrator.model.AIMModelSource;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what an AIM container's {@code dry-run --format=json} printed (spec §3.4, §5.4): a JSON array whose first
 * element holds the selected profile and the models it loads.
 *
 * <p>The log may carry noise around the JSON (a warning a library printed despite {@code AIM_LOG_LEVEL=CRITICAL}):
 * when the whole log is not one array, the last {@code [ … ]} block that parses as a non-empty array is used. An
 * empty array is the container's way of saying that no profile fits the requested GPU, precision and metric; it is
 * reported as {@link Problem#NO_COMPATIBLE_PROFILE}, a clear failure rather than silence.
 */
public final class DiscoveryOutput {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final BigDecimal GIB = BigDecimal.valueOf(1024L * 1024 * 1024);
  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private DiscoveryOutput() {}

  /** Why an output could not be used. */
  public enum Problem {
    /** The container printed {@code []}: nothing in the image fits the template. */
    NO_COMPATIBLE_PROFILE("NoCompatibleProfile"),
    /** The log holds no JSON array, or the array's first element lacks a profile. */
    INVALID_OUTPUT("InvalidDiscoveryOutput");

    private final String reason;

    Problem(String reason) {
      this.reason = reason;
    }

    /** The condition reason for this problem. */
    public String reason() {
      return reason;
    }
  }

  /** A discovery output that cannot be used, with the reason and a message for the template's status. */
  public static final class InvalidOutputException extends Exception {
    private final Problem problem;

    InvalidOutputException(Problem problem, String message) {
      super(message);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  /** The profile and the model sources a discovery reported. */
  public record Result(AIMServiceTemplateStatus.Profile profile, List<AIMModelSource> modelSources) {}

  /** Parses a discovery log. */
  public static Result parse(String log) throws InvalidOutputException {
    JsonNode array = findArray(log == null ? "" : log);
    if (array == null) {
      throw new InvalidOutputException(
          Problem.INVALID_OUTPUT, "the discovery output holds no JSON array: " + excerpt(log));
    }
    if (array.isEmpty()) {
      throw new InvalidOutputException(
          Problem.NO_COMPATIBLE_PROFILE,
          "the AIM image has no profile compatible with this template's GPU, precision and metric (dry-run printed [])");
    }
    JsonNode first = array.get(0);
    JsonNode profileNode = first.get("profile");
    if (profileNode == null || !profileNode.isObject()) {
      throw new InvalidOutputException(Problem.INVALID_OUTPUT, "the first discovery entry has no \"profile\" object");
    }
    AIMServiceTemplateStatus.Profile profile = new AIMServiceTemplateStatus.Profile();
    profile.engineArgs = profileNode.has("engine_args") ? profileNode.get("engine_args") : null;
    JsonNode env = profileNode.get("env_vars");
    if (env != null && env.isObject()) {
      Map<String, String> vars = new LinkedHashMap<>();
      env.fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
      profile.envVars = vars;
    }
    JsonNode md = profileNode.get("metadata");
    if (md != null && md.isObject()) {
      AIMServiceTemplateStatus.ProfileMetadata metadata = new AIMServiceTemplateStatus.ProfileMetadata();
      metadata.engine = text(md, "engine");
      metadata.gpu = text(md, "gpu");
      metadata.gpuCount = md.hasNonNull("gpu_count") ? md.get("gpu_count").asInt() : null;
      metadata.metric = text(md, "metric");
      metadata.precision = text(md, "precision");
      metadata.type = text(md, "type");
      profile.metadata = metadata;
    }
    List<AIMModelSource> sources = new ArrayList<>();
    JsonNode models = first.get("models");
    if (models != null && models.isArray()) {
      for (JsonNode m : models) {
        AIMModelSource s = new AIMModelSource();
        s.modelId = text(m, "name");
        s.sourceUri = text(m, "source");
        if (m.hasNonNull("size_gb") && m.get("size_gb").isNumber()) {
          s.size = sizeFromGb(m.get("size_gb").decimalValue());
        }
        if (s.modelId == null) {
          throw new InvalidOutputException(Problem.INVALID_OUTPUT, "a discovered model has no \"name\"");
        }
        sources.add(s);
      }
    }
    return new Result(profile, sources);
  }

  /**
   * {@code size_gb} in bytes ({@code int64(size_gb × 1024³)}) as the canonical binary-SI quantity Kubernetes would
   * print: 0.5 gives {@code 512Mi}; a byte count that no binary suffix divides is written plain.
   */
  public static Quantity sizeFromGb(BigDecimal sizeGb) {
    long bytes = sizeGb.multiply(GIB).longValue();
    if (bytes == 0) {
      return new Quantity("0");
    }
    int power = 0;
    long value = bytes;
    while (power < BINARY_SUFFIXES.length - 1 && value % 1024 == 0) {
      value /= 1024;
      power++;
    }
    return new Quantity(value + BINARY_SUFFIXES[power]);
  }

  private static JsonNode findArray(String log) {
    String trimmed = log.trim();
    JsonNode whole = tryArray(trimmed);
    if (whole != null) {
      return whole;
    }
    // Scan backwards: every ']' that could close the output, with every '[' before it that could open it.
    for (int end = log.lastIndexOf(']'); end >= 0; end = log.lastIndexOf(']', end - 1)) {
      for (int start = log.lastIndexOf('[', end); start >= 0; start = start == 0 ? -1 : log.lastIndexOf('[', start - 1)) {
        JsonNode candidate = tryArray(log.substring(start, end + 1));
        if (candidate != null && !candidate.isEmpty() && candidate.get(0).isObject()) {
          return candidate;
        }
      }
      if (end == 0) {
        break;
      }
    }
    return null;
  }

  private static JsonNode tryArray(String text) {
    if (!text.startsWith("[")) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && node.isArray() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String excerpt(String log) {
    if (log == null || log.isBlank()) {
      return "(empty log)";
    }
    String oneLine = log.strip().replaceAll("\\s+", " ");
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
  }
}
