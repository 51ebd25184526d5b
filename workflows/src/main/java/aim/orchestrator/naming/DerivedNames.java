package aim.orchestrator.naming;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The names of derived objects, computed exactly as the reference AIM Engine computes them (spec §3.14, naming
 * helper {@code GenerateDerivedName}).
 *
 * <p>A derived name is {@code part1-part2-…-hash}. Each part is made RFC 1123 compliant ({@link #rfc1123(String)};
 * a part that ends up empty becomes {@code part}). The hash is the lower-case hex SHA-256 of the hash inputs, each
 * encoded with {@link GoJson} and joined with {@code |}, cut to the requested length. While the name is longer than
 * the maximum length, the longest part (the first one on ties) loses its last character and any {@code -} it then
 * ends with.
 *
 * <p>All methods are pure and deterministic and may be called from workflow code.
 */
public final class DerivedNames {

  /** Length of the hash suffix unless a caller asks for another. */
  public static final int DEFAULT_HASH_LENGTH = 8;

  /** Longest Kubernetes object name (and DNS label) the helper produces. */
  public static final int MAX_NAME_LENGTH = 63;

  /**
   * Longest namespace for which an InferenceService name still fits: KServe builds the host label
   * {@code <isvc>-predictor-<namespace>}, which must stay within 63 characters, and the shortest derived name (one
   * character, a dash and eight hash characters) is ten characters long.
   */
  public static final int MAX_INFERENCE_SERVICE_NAMESPACE_LENGTH = 42;

  private static final String PREDICTOR_INFIX = "-predictor-";
  private static final int ARTIFACT_HASH_LENGTH = 10;
  private static final int SHA256_HEX_LENGTH = 64;
  private static final String EMPTY_PART = "part";

  private DerivedNames() {}

  /**
   * Builds a derived name, exactly as the reference's {@code GenerateDerivedName(parts, hashInputs, hashLen,
   * maxLen)}.
   *
   * <p>Without hash inputs, or with {@code hashLen} zero, the name has no hash suffix. When even one-character parts
   * do not fit, the shortening stops and the name is returned longer than {@code maxLen}, as in the reference.
   *
   * @param parts the visible parts, at least one; each is sanitised with {@link #rfc1123(String)}
   * @param hashInputs the values hashed into the suffix, encoded with {@link GoJson#encode(Object)}; may be empty
   * @param hashLen how many hex characters of the SHA-256 to keep, 0 to 64
   * @param maxLen the longest allowed name, 1 to 63
   * @return the derived name
   * @throws IllegalArgumentException when {@code parts} is empty or holds null, when a length is out of range, or
   *     when a hash input cannot be encoded
   */
  public static String derive(List<String> parts, List<?> hashInputs, int hashLen, int maxLen) {
    Objects.requireNonNull(parts, "parts");
    Objects.requireNonNull(hashInputs, "hashInputs");
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a derived name needs at least one part");
    }
    if (maxLen < 1 || maxLen > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "maxLen must be between 1 and " + MAX_NAME_LENGTH + ", got " + maxLen);
    }
    if (hashLen < 0 || hashLen > SHA256_HEX_LENGTH) {
      throw new IllegalArgumentException(
          "hashLen must be between 0 and " + SHA256_HEX_LENGTH + ", got " + hashLen);
    }

    String[] sanitized = new String[parts.size()];
    for (int i = 0; i < sanitized.length; i++) {
      String part = parts.get(i);
      if (part == null) {
        throw new IllegalArgumentException("part " + i + " of a derived name is null");
      }
      String clean = rfc1123(part);
      sanitized[i] = clean.isEmpty() ? EMPTY_PART : clean;
    }

    String hash = "";
    if (hashLen > 0 && !hashInputs.isEmpty()) {
      hash = hashHex(hashInputs).substring(0, hashLen);
    }

    while (length(sanitized, hash) > maxLen) {
      int longest = 0;
      for (int i = 1; i < sanitized.length; i++) {
        if (sanitized[i].length() > sanitized[longest].length()) {
          longest = i;
        }
      }
      String part = sanitized[longest];
      if (part.length() <= 1) {
        break;
      }
      sanitized[longest] = trimEnd(part.substring(0, part.length() - 1), "-");
    }

    String name = String.join("-", sanitized);
    return hash.isEmpty() ? name : name + "-" + hash;
  }

  /**
   * Builds a derived name with an eight-character hash and at most 63 characters.
   *
   * <p>Each argument after {@code parts} is one hash input; a single list argument is one input (encoded as a JSON
   * array), not a list of inputs. Calling this with no hash inputs gives a name without hash suffix.
   *
   * @param parts the visible parts, at least one
   * @param hashInputs the values hashed into the suffix
   * @return the derived name
   * @throws IllegalArgumentException as {@link #derive(List, List, int, int)}
   */
  public static String derive(List<String> parts, Object... hashInputs) {
    Objects.requireNonNull(hashInputs, "hashInputs (pass (Object) null to hash a single null)");
    return derive(parts, Arrays.asList(hashInputs), DEFAULT_HASH_LENGTH, MAX_NAME_LENGTH);
  }

  /**
   * Name of the AIMModel created for an image ({@code GenerateModelName}): parts {@code [name, tag]} of the image
   * reference, hashed over the image string.
   *
   * <p>{@code amdenterpriseai/aim-qwen-qwen3-32b:0.8.5} gives {@code aim-qwen-qwen3-32b-0-8-5-cdc1fb22}. The
   * caller trims the image first, as the reference does with {@code spec.model.image}.
   *
   * @param image the container image reference
   * @return the model name
   * @throws IllegalArgumentException when the image reference is invalid (reason {@code InvalidImageReference})
   */
  public static String modelForImage(String image) {
    ImageReference reference = ImageReference.parse(image);
    return derive(List.of(reference.name(), reference.tag()), image);
  }

  /**
   * Name of the InferenceService of an AIMService: part {@code [service]}, hashed over the namespace, at most
   * {@code 63 - len("-predictor-") - len(namespace)} characters so that KServe's host label
   * {@code <isvc>-predictor-<namespace>} fits in 63.
   *
   * <p>{@code qwen3-chat} in {@code ml-team} gives {@code qwen3-chat-a04542d9}.
   *
   * @param service the AIMService name
   * @param namespace its namespace
   * @return the InferenceService name
   * @throws IllegalArgumentException when the namespace is longer than {@value
   *     #MAX_INFERENCE_SERVICE_NAMESPACE_LENGTH} characters
   */
  public static String inferenceService(String service, String namespace) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.length() > MAX_INFERENCE_SERVICE_NAMESPACE_LENGTH) {
      throw new IllegalArgumentException(
          "namespace \""
              + namespace
              + "\" is too long ("
              + namespace.length()
              + " characters, at most "
              + MAX_INFERENCE_SERVICE_NAMESPACE_LENGTH
              + "): the KServe host label <isvc>-predictor-<namespace> would exceed 63 characters");
    }
    int maxLen = MAX_NAME_LENGTH - PREDICTOR_INFIX.length() - namespace.length();
    return derive(List.of(service), List.of(namespace), DEFAULT_HASH_LENGTH, maxLen);
  }

  /**
   * Name of the HTTPRoute of an AIMService: part {@code [service]}, hashed over the namespace, at most 63
   * characters.
   *
   * <p>This is the InferenceService name whenever that one needed no shortening, which covers every service name of
   * up to {@code 43 - len(namespace)} characters. For longer service names the reference shortens the route name
   * only to 63 characters, not to the InferenceService limit, so the two differ; this method reproduces that.
   *
   * @param service the AIMService name
   * @param namespace its namespace
   * @return the HTTPRoute name
   */
  public static String httpRoute(String service, String namespace) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(namespace, "namespace");
    return derive(List.of(service), namespace);
  }

  /**
   * Name of a Shared AIMTemplateCache: part {@code [template]}, hashed over the namespace.
   *
   * @param template the template name
   * @param namespace the namespace of the cache
   * @return the template cache name
   */
  public static String sharedTemplateCache(String template, String namespace) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(namespace, "namespace");
    return derive(List.of(template), namespace);
  }

  /**
   * Name of a Dedicated AIMTemplateCache: parts {@code [template, service]}, hashed over the service UID so that a
   * service deleted and created again under the same name gets a new cache.
   *
   * @param template the template name
   * @param service the AIMService name
   * @param serviceUid the AIMService {@code metadata.uid}
   * @return the template cache name
   */
  public static String dedicatedTemplateCache(String template, String service, String serviceUid) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(serviceUid, "serviceUid");
    return derive(List.of(template, service), serviceUid);
  }

  /**
   * Name of an AIMArtifact created by a template cache: part {@code [sourceUri with "." replaced by "-"]}, hashed
   * (ten hex characters) over {@code (sourceUri, env, storageClass)}, followed by {@code ("dedicated", cacheName)}
   * for a Dedicated cache.
   *
   * <p>{@code env} is the merged environment (cache env, then the model source's env). A merge that yields nothing
   * is a nil slice in the reference and encodes as {@code null}; callers pass either null or an empty list and both
   * give {@code null}. The reference builds the merged list by iterating a Go map, so with two or more variables its
   * order, and therefore its name, is not even stable between reconciles; this method sorts the variables by name so
   * that the result is one of the names the reference can produce and does not depend on how the caller merged.
   *
   * <p>{@code hf://Qwen/Qwen3-32B} with no env, no storage class and a Shared cache gives
   * {@code hf---qwen-qwen3-32b-c00b812b59}.
   *
   * @param sourceUri the model source URI, for example {@code hf://Qwen/Qwen3-32B}
   * @param env the merged environment, null or empty when there is none
   * @param storageClass the cache's storage class name; null is the empty string
   * @param dedicatedCacheName the name of the Dedicated template cache, or null for a Shared cache
   * @return the artifact name
   */
  public static String artifact(
      String sourceUri, List<EnvVar> env, String storageClass, String dedicatedCacheName) {
    Objects.requireNonNull(sourceUri, "sourceUri");
    List<EnvVar> sortedEnv = null;
    if (env != null && !env.isEmpty()) {
      sortedEnv = new ArrayList<>(env);
      sortedEnv.sort(Comparator.comparing(e -> e.getName() == null ? "" : e.getName(), GoJson::compareUtf8));
    }
    List<Object> inputs = new ArrayList<>();
    inputs.add(sourceUri);
    inputs.add(sortedEnv);
    inputs.add(storageClass == null ? "" : storageClass);
    if (dedicatedCacheName != null) {
      inputs.add("dedicated");
      inputs.add(dedicatedCacheName);
    }
    return derive(List.of(sourceUri.replace(".", "-")), inputs, ARTIFACT_HASH_LENGTH, MAX_NAME_LENGTH);
  }

  /**
   * Name of the PVC of an artifact: parts {@code [artifact, "cache"]}, hashed over the artifact UID.
   *
   * @param artifact the AIMArtifact name
   * @param artifactUid the AIMArtifact {@code metadata.uid}
   * @return the PVC name
   */
  public static String artifactPvc(String artifact, String artifactUid) {
    return artifactChild(artifact, "cache", artifactUid);
  }

  /**
   * Name of the download Job of an artifact: parts {@code [artifact, "download"]}, hashed over the artifact UID.
   *
   * @param artifact the AIMArtifact name
   * @param artifactUid the AIMArtifact {@code metadata.uid}
   * @return the Job name
   */
  public static String artifactDownloadJob(String artifact, String artifactUid) {
    return artifactChild(artifact, "download", artifactUid);
  }

  /**
   * Name of the verify Job cache warming runs on an artifact: parts {@code [artifact, "verify"]}, hashed over the
   * artifact UID (this project's own; the reference has no such Job).
   *
   * @param artifact the AIMArtifact name
   * @param artifactUid the AIMArtifact {@code metadata.uid}
   * @return the Job name
   */
  public static String artifactVerifyJob(String artifact, String artifactUid) {
    return artifactChild(artifact, "verify", artifactUid);
  }

  /**
   * Name of the size-check Job of an artifact: parts {@code [artifact, "check-size"]}, hashed over the artifact UID.
   *
   * @param artifact the AIMArtifact name
   * @param artifactUid the AIMArtifact {@code metadata.uid}
   * @return the Job name
   */
  public static String artifactCheckSizeJob(String artifact, String artifactUid) {
    return artifactChild(artifact, "check-size", artifactUid);
  }

  /**
   * Name of the AIMModel created for an AIMService's {@code model.custom} ({@code GenerateCustomModelName}): parts
   * {@code [modelSources[0].modelId]}, hashed over the base image and, per source, its model id, source URI and
   * {@code AWS_ENDPOINT_URL} value when it has one — so two services with identical custom models share one model.
   *
   * @param baseImage the base AIM image
   * @param sources the model sources, at least one
   * @return the model name
   */
  public static String customModel(String baseImage, List<aim.orchestrator.model.AIMModelSource> sources) {
    List<Object> inputs = new ArrayList<>();
    inputs.add(baseImage);
    for (var source : sources) {
      inputs.add(source.modelId);
      inputs.add(source.sourceUri);
      String endpoint = endpointOf(source);
      if (endpoint != null) {
        inputs.add(endpoint);
      }
    }
    return derive(List.of(sources.get(0).modelId), inputs, DEFAULT_HASH_LENGTH, MAX_NAME_LENGTH);
  }

  /** The {@code AWS_ENDPOINT_URL} a model source sets in its env, or null. */
  public static String endpointOf(aim.orchestrator.model.AIMModelSource source) {
    if (source.env == null) {
      return null;
    }
    for (EnvVar e : source.env) {
      if ("AWS_ENDPOINT_URL".equals(e.getName())) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * Name of a template created for a custom model: parts {@code [model, "custom", alias?, precision?, gpu?]},
   * hashed over {@code (modelName, index, alias, precision, metric, gpuRequests, gpuModel)}.
   */
  public static String customTemplate(
      String model, int index, String alias, String precision, String metric, Integer gpuRequests, String gpuModel) {
    List<String> parts = new ArrayList<>(List.of(model, "custom"));
    for (String p : new String[] {alias, precision, gpuModel}) {
      if (p != null && !p.isEmpty()) {
        parts.add(p);
      }
    }
    List<Object> inputs = new ArrayList<>();
    inputs.add(model);
    inputs.add(index);
    inputs.add(alias == null ? "" : alias);
    inputs.add(precision == null ? "" : precision);
    inputs.add(metric == null ? "" : metric);
    inputs.add(gpuRequests == null ? 0 : gpuRequests);
    inputs.add(gpuModel == null ? "" : gpuModel);
    return derive(parts, inputs, DEFAULT_HASH_LENGTH, MAX_NAME_LENGTH);
  }

  /**
   * Name of a template created from one of an image's recommended deployments ({@code GenerateTemplateName}): parts
   * {@code [<image name>, "<count>x-<gpu>-<lat|thr>-<precision>"]} (absent facts left out), with a four-character
   * hash over {@code <model>-<image>-<gpu>-x<count>-<metric>-<precision>}.
   *
   * <p>{@code aim-qwen-qwen3-32b} image, 1 × MI300X, latency, fp8 gives {@code aim-qwen-qwen3-32b-1x-mi300x-lat-fp8-<4 hex>}.
   */
  public static String autoTemplate(
      String model, String image, Integer gpuCount, String gpuModel, String metric, String precision) {
    String imageName = ImageReference.parse(image).name();
    List<String> facts = new ArrayList<>();
    if (gpuCount != null && gpuCount > 0) {
      facts.add(gpuCount + "x");
    }
    if (gpuModel != null && !gpuModel.isEmpty()) {
      facts.add(gpuModel);
    }
    if (metric != null && !metric.isEmpty()) {
      facts.add(metric.startsWith("thr") ? "thr" : metric.startsWith("lat") ? "lat" : metric);
    }
    if (precision != null && !precision.isEmpty()) {
      facts.add(precision);
    }
    List<String> parts = new ArrayList<>(List.of(imageName));
    if (!facts.isEmpty()) {
      parts.add(String.join("-", facts));
    }
    String hashInput =
        String.join(
            "-",
            model,
            image,
            gpuModel == null ? "" : gpuModel,
            "x" + (gpuCount == null ? 0 : gpuCount),
            metric == null ? "" : metric,
            precision == null ? "" : precision);
    return derive(parts, List.of(hashInput), 4, MAX_NAME_LENGTH);
  }

  /**
   * Sanitises a label value as the reference does for propagated and generated labels: lower case, every run of
   * characters outside {@code [a-z0-9._-]} becomes one {@code _}, leading and trailing {@code _ . -} are removed,
   * and the result is cut to 63 characters (trailing {@code _ . -} removed again).
   *
   * <p>The result can be empty; the reference reports that as an error that its callers ignore, leaving an empty
   * label value, which Kubernetes accepts.
   *
   * @param value the raw value
   * @return a valid label value, possibly empty
   */
  public static String labelValue(String value) {
    Objects.requireNonNull(value, "value");
    String lower = lowerCase(value);
    StringBuilder out = new StringBuilder(lower.length());
    boolean inRun = false;
    for (int i = 0; i < lower.length(); ) {
      int c = lower.codePointAt(i);
      i += Character.charCount(c);
      boolean valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (valid) {
        out.append((char) c);
        inRun = false;
      } else if (!inRun) {
        out.append('_');
        inRun = true;
      }
    }
    String result = trim(out.toString(), "_.-");
    if (result.length() > MAX_NAME_LENGTH) {
      result = trimEnd(result.substring(0, MAX_NAME_LENGTH), "_.-");
    }
    return result;
  }

  /**
   * Makes a value an RFC 1123 label: lower case, every character outside {@code [a-z0-9-]} becomes {@code -} (runs
   * are not collapsed), leading and trailing {@code -} are removed, and the result is cut to 63 characters (trailing
   * {@code -} removed again). The result can be empty.
   *
   * @param value the raw value
   * @return the label, possibly empty
   */
  public static String rfc1123(String value) {
    Objects.requireNonNull(value, "value");
    String lower = lowerCase(value);
    StringBuilder out = new StringBuilder(lower.length());
    lower
        .codePoints()
        .forEach(c -> out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? (char) c : '-'));
    String result = trim(out.toString(), "-");
    if (result.length() > MAX_NAME_LENGTH) {
      result = trimEnd(result.substring(0, MAX_NAME_LENGTH), "-");
    }
    return result;
  }

  /**
   * The full lower-case hex SHA-256 of the hash inputs, each encoded with {@link GoJson} and joined with {@code |}.
   */
  static String hashHex(List<?> hashInputs) {
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < hashInputs.size(); i++) {
      if (i > 0) {
        joined.append('|');
      }
      joined.append(GoJson.encode(hashInputs.get(i)));
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest(joined.toString().getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(SHA256_HEX_LENGTH);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * Lower-cases code point by code point with the simple Unicode mapping, as Go's {@code strings.ToLower} does, so
   * that one input character never turns into two (unlike {@link String#toLowerCase}, which maps U+0130 to two
   * characters).
   */
  static String lowerCase(String value) {
    StringBuilder out = new StringBuilder(value.length());
    value.codePoints().forEach(c -> out.appendCodePoint(Character.toLowerCase(c)));
    return out.toString();
  }

  /** Removes leading and trailing characters that appear in {@code chars}. */
  static String trim(String value, String chars) {
    int start = 0;
    while (start < value.length() && chars.indexOf(value.charAt(start)) >= 0) {
      start++;
    }
    return trimEnd(value.substring(start), chars);
  }

  private static String trimEnd(String value, String chars) {
    int end = value.length();
    while (end > 0 && chars.indexOf(value.charAt(end - 1)) >= 0) {
      end--;
    }
    return value.substring(0, end);
  }

  private static int length(String[] parts, String hash) {
    int total = 0;
    for (String part : parts) {
      total += part.length() + 1;
    }
    return hash.isEmpty() ? total - 1 : total + hash.length();
  }

  private static String artifactChild(String artifact, String suffix, String artifactUid) {
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(artifactUid, "artifactUid");
    return derive(List.of(artifact, suffix), artifactUid);
  }
}
