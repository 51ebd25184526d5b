package aim.orchestrator.convert;

import aim.orchestrator.model.AIMMetric;
import aim.orchestrator.model.AIMPrecision;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Conversions of single values that several kinds share; each reports what it cannot convert. */
final class Values {
  static final ObjectMapper JSON = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  private static final TypeReference<List<EnvVar>> ENV = new TypeReference<>() {};

  private Values() {}

  /** A field copied as it is into a type of the new API; null (and reported) when it does not fit. */
  static <T> T convert(Fields fields, String field, Class<T> type, String what, LegacyDocument doc) {
    JsonNode value = fields.take(field);
    if (value == null) {
      return null;
    }
    try {
      return JSON.convertValue(value, type);
    } catch (IllegalArgumentException e) {
      doc.lost(fields.path(field), "not " + what + ": " + reason(e));
      return null;
    }
  }

  /** A map of strings, such as labels or annotations. */
  static Map<String, String> stringMap(Fields fields, String field, LegacyDocument doc) {
    JsonNode value = fields.take(field);
    if (value == null) {
      return null;
    }
    Map<String, String> map = new LinkedHashMap<>();
    if (value.isObject()) {
      value.properties().forEach(e -> map.put(e.getKey(), e.getValue().isValueNode() && !e.getValue().isNull() ? e.getValue().asText() : null));
    }
    if (!value.isObject() || map.containsValue(null)) {
      doc.lost(fields.path(field), "expected a map of strings, found " + Fields.describe(value));
      return null;
    }
    return map;
  }

  /** A list of Kubernetes EnvVars, copied as they are. */
  static List<EnvVar> env(Fields fields, String field, LegacyDocument doc) {
    JsonNode value = fields.take(field);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      doc.lost(fields.path(field), "expected a list of environment variables, found " + Fields.describe(value));
      return null;
    }
    try {
      return JSON.convertValue(value, ENV);
    } catch (IllegalArgumentException e) {
      doc.lost(fields.path(field), "not a list of Kubernetes environment variables: " + reason(e));
      return null;
    }
  }

  /** Jackson's message without the location it appends (the finding's field says where). */
  private static String reason(IllegalArgumentException e) {
    return e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException cause ? cause.getOriginalMessage() : e.getMessage();
  }

  /** Image pull secrets given as {@code [{name: x}]} (Kubernetes) or {@code [x]} (seed 000's namespace config). */
  static List<LocalObjectReference> pullSecrets(Fields fields, String field, LegacyDocument doc) {
    JsonNode value = fields.take(field);
    if (value == null) {
      return null;
    }
    List<LocalObjectReference> secrets = pullSecrets(value);
    if (secrets == null) {
      doc.lost(fields.path(field), "expected a list of secret names or of {name: ...}, found " + Fields.describe(value));
    }
    return secrets;
  }

  /** The secrets of a pull-secret list, or null when it is not one. */
  static List<LocalObjectReference> pullSecrets(JsonNode value) {
    if (!value.isArray()) {
      return null;
    }
    List<LocalObjectReference> secrets = new ArrayList<>();
    for (JsonNode item : value) {
      String name = item.isTextual() ? item.asText() : item.path("name").isTextual() && item.size() == 1 ? item.get("name").asText() : null;
      if (name == null || name.isEmpty()) {
        return null;
      }
      secrets.add(new LocalObjectReference(name));
    }
    return secrets;
  }

  /** {@code own} followed by those of {@code extra} it does not name yet; null when both are empty. */
  static List<LocalObjectReference> mergePullSecrets(List<LocalObjectReference> own, List<LocalObjectReference> extra) {
    List<LocalObjectReference> merged = new ArrayList<>(own == null ? List.of() : own);
    for (LocalObjectReference secret : extra) {
      if (merged.stream().noneMatch(s -> s.getName().equals(secret.getName()))) {
        merged.add(secret);
      }
    }
    return merged.isEmpty() ? null : merged;
  }

  static ResourceRequirements resources(Fields fields, String field, LegacyDocument doc) {
    JsonNode value = fields.take(field);
    if (value == null) {
      return null;
    }
    try {
      ResourceRequirements resources = JSON.convertValue(value, ResourceRequirements.class);
      if (!resources.getAdditionalProperties().isEmpty()) {
        doc.lost(fields.path(field), "not container resources: unknown fields " + resources.getAdditionalProperties().keySet());
        return null;
      }
      return resources;
    } catch (IllegalArgumentException e) {
      doc.lost(fields.path(field), "not container resources: " + reason(e));
      return null;
    }
  }

  /** {@code latency} or {@code throughput}, in any case. */
  static AIMMetric metric(Fields fields, String field, LegacyDocument doc) {
    String value = fields.text(field);
    if (value == null) {
      return null;
    }
    for (AIMMetric metric : AIMMetric.values()) {
      if (metric.name().equalsIgnoreCase(value)) {
        return metric;
      }
    }
    doc.lost(fields.path(field), "\"" + value + "\" is not a metric of the new API (latency, throughput)");
    return null;
  }

  /** A precision of the new API's enum, in any case. */
  static AIMPrecision precision(Fields fields, String field, LegacyDocument doc) {
    String value = fields.text(field);
    if (value == null) {
      return null;
    }
    for (AIMPrecision precision : AIMPrecision.values()) {
      if (precision.name().equalsIgnoreCase(value)) {
        return precision;
      }
    }
    String allowed = Arrays.stream(AIMPrecision.values()).map(Enum::name).collect(Collectors.joining(", "));
    doc.lost(fields.path(field), "\"" + value + "\" is not a precision of the new API (" + allowed + ")");
    return null;
  }

  /** A Kubernetes quantity such as {@code 600Gi}. */
  static Quantity quantity(Fields fields, String field, LegacyDocument doc) {
    String value = fields.text(field);
    if (value == null) {
      return null;
    }
    try {
      Quantity quantity = new Quantity(value);
      quantity.getNumericalAmount(); // throws on a malformed amount or unit
      return quantity;
    } catch (IllegalArgumentException | ArithmeticException e) {
      doc.lost(fields.path(field), "\"" + value + "\" is not a Kubernetes quantity");
      return null;
    }
  }

  /**
   * An env var {@code envName} read from the secret a legacy credential names ({@code {secretName, secretKey}}, or
   * {@code {name, key}}). An inline value is never copied: secrets stay in Secrets.
   */
  static EnvVar secretEnv(String envName, Fields ref, LegacyDocument doc) {
    if (ref.has("value")) {
      ref.take("value");
      doc.lost(ref.path("value"), "an inline secret value is never converted: store it in a Secret and name it with secretName/secretKey");
    }
    String secret = ref.has("secretName") ? ref.text("secretName") : ref.text("name");
    String key = ref.has("secretKey") ? ref.text("secretKey") : ref.text("key");
    if (secret == null || key == null) {
      doc.lost(ref.path(secret == null ? "secretName" : "secretKey"), "required to read " + envName + " from a Secret; " + envName + " not set");
      return null;
    }
    return new EnvVarBuilder().withName(envName).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom().build();
  }

  static EnvVar plainEnv(String envName, String value) {
    return new EnvVarBuilder().withName(envName).withValue(value).build();
  }

  /** A namespace for messages; the empty one (not given) is kubectl's current namespace. */
  static String displayNamespace(String namespace) {
    return namespace.isEmpty() ? "(default namespace)" : namespace;
  }

  /**
   * An object name derived from a legacy model id when the batch has no catalog entry for it: lower case, runs of other
   * characters as one dash, at most 63 characters ({@code meta/llama-3-8b:1.1+20240915} ⇒
   * {@code meta-llama-3-8b-1-1-20240915}).
   */
  static String nameFromModelId(String modelId) {
    String name = modelId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (name.length() > 63) {
      name = name.substring(0, 63).replaceAll("-+$", "");
    }
    return name.isEmpty() ? "model" : name;
  }
}
