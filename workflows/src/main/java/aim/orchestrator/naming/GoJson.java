package aim.orchestrator.naming;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.FileKeySelector;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Encodes hash inputs the way the reference does before hashing them: its values are first normalised (maps become
 * flat key/value lists) and then marshalled by Go's {@code encoding/json}.
 *
 * <p>Supported values and their encoding:
 *
 * <ul>
 *   <li>{@code null}: {@code null}. Java has no typed nil; note that in the reference a nil {@code []any} or nil map
 *       encodes as {@code []}, whereas a nil slice of any other type (such as a nil {@code []EnvVar}) encodes as
 *       {@code null}. Callers that mean an empty map or {@code []any} pass an empty collection.
 *   <li>{@link String}: quoted, with Go's escaping: {@code \"}, {@code \\}, {@code \b}, {@code \f}, {@code \n},
 *       {@code \r}, {@code \t}, other control characters as {@code \}{@code u00xx} (lower-case hex), {@code <},
 *       {@code >} and {@code &} as {@code \}{@code u003c}, {@code \}{@code u003e} and {@code \}{@code u0026},
 *       U+2028 and U+2029 escaped, and unpaired surrogates (invalid UTF-8 in Go) as {@code \}{@code ufffd}.
 *   <li>{@link Boolean}; {@link Byte}, {@link Short}, {@link Integer}, {@link Long} and {@link BigInteger}: as JSON
 *       literals. Floating-point values are rejected because Java and Go print them differently.
 *   <li>{@link Enum}: the string value of its {@link JsonProperty} annotation, else its name (a Go string enum).
 *   <li>{@link Map} with {@link String} keys: a flat array {@code [k1, v1, k2, v2, …]} with the keys in byte order of
 *       their UTF-8 encoding (Go's {@code sort.Strings}) and the values encoded recursively.
 *   <li>{@link Collection} and {@code Object[]}: a JSON array of the encoded elements, in order (not sorted).
 *   <li>{@link EnvVar}: the Go struct {@code corev1.EnvVar} of Kubernetes 1.34, with fields in declaration order and
 *       {@code omitempty} honoured (see {@link #encode(Object)} for the details).
 *   <li>{@link Quantity}: its canonical Kubernetes string, as {@code resource.Quantity} marshals itself.
 * </ul>
 *
 * <p>Anything else is rejected with an {@link IllegalArgumentException} rather than guessed at.
 *
 * <p>Strictly, the reference flattens only {@code map[string]string} and {@code map[string]any} values (at the top
 * level, inside {@code []any} or inside another flattened map); a map of another value type, or one held by a struct
 * or a typed slice, stays a JSON object with sorted keys. Java erases those distinctions, and none of the hash inputs
 * the reference uses holds such a map, so this encoder flattens every map, as spec §3.14 describes.
 */
public final class GoJson {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoJson() {}

  /**
   * Encodes one value compactly (no spaces).
   *
   * <p>An {@link EnvVar} encodes as {@code {"name":…,"value":…,"valueFrom":…}}: {@code name} always (null is
   * {@code ""}), {@code value} only when non-empty, {@code valueFrom} only when non-null. {@code valueFrom} holds, in
   * this order and each only when non-null, {@code fieldRef {apiVersion (omitted when empty), fieldPath}},
   * {@code resourceFieldRef {containerName (omitted when empty), resource, divisor}}, {@code configMapKeyRef} and
   * {@code secretKeyRef {name (omitted when empty), key, optional (omitted when null)}} and
   * {@code fileKeyRef {volumeName, path, key, optional (omitted when null)}}. {@code divisor} is always present:
   * {@code omitempty} has no effect on Go struct fields, and an unset divisor marshals as {@code "0"}. Unknown
   * (additional) properties are dropped, as Go drops unknown fields when decoding.
   *
   * @param value the value
   * @return its JSON text
   * @throws IllegalArgumentException when the value, or something inside it, is of an unsupported type
   */
  public static String encode(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  /**
   * Compares two strings in the byte order of their UTF-8 encodings, which is code point order (Go's string
   * comparison). {@link String#compareTo} compares UTF-16 units and orders supplementary characters before
   * U+E000..U+FFFF.
   */
  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Enum<?> e) {
      writeString(out, enumValue(e));
    } else if (value instanceof EnvVar env) {
      writeEnvVar(out, env);
    } else if (value instanceof Quantity q) {
      writeString(out, GoQuantity.marshal(q));
    } else if (value instanceof Map<?, ?> map) {
      writeMap(out, map);
    } else if (value instanceof Collection<?> collection) {
      writeArray(out, collection);
    } else if (value instanceof Object[] array) {
      writeArray(out, Arrays.asList(array));
    } else {
      throw new IllegalArgumentException(
          "cannot encode a "
              + value.getClass().getName()
              + " as a hash input; use strings, integers, booleans, enums, lists, maps, EnvVar or Quantity");
    }
  }

  private static void writeArray(StringBuilder out, Collection<?> values) {
    out.append('[');
    boolean first = true;
    for (Object element : values) {
      if (!first) {
        out.append(',');
      }
      first = false;
      write(out, element);
    }
    out.append(']');
  }

  private static void writeMap(StringBuilder out, Map<?, ?> map) {
    List<String> keys = new ArrayList<>(map.size());
    for (Object key : map.keySet()) {
      if (!(key instanceof String s)) {
        throw new IllegalArgumentException(
            "cannot encode a map with key " + key + " as a hash input; only string keys are supported");
      }
      keys.add(s);
    }
    keys.sort(GoJson::compareUtf8);
    out.append('[');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      writeString(out, keys.get(i));
      out.append(',');
      write(out, map.get(keys.get(i)));
    }
    out.append(']');
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(out, c);
        default -> {
          if (c < 0x20) {
            unicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(i + 1));
            i++;
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(out, '\ufffd');
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }

  private static String enumValue(Enum<?> e) {
    try {
      JsonProperty property = e.getDeclaringClass().getField(e.name()).getAnnotation(JsonProperty.class);
      if (property != null && !property.value().isEmpty()) {
        return property.value();
      }
    } catch (NoSuchFieldException impossible) {
      // Every enum constant is a public field of its declaring class.
    }
    return e.name();
  }

  private static void writeEnvVar(StringBuilder out, EnvVar env) {
    GoStruct struct = new GoStruct(out);
    struct.string("name", env.getName());
    struct.stringOmitEmpty("value", env.getValue());
    if (env.getValueFrom() != null) {
      struct.key("valueFrom");
      writeEnvVarSource(out, env.getValueFrom());
    }
    struct.end();
  }

  private static void writeEnvVarSource(StringBuilder out, EnvVarSource source) {
    GoStruct struct = new GoStruct(out);
    ObjectFieldSelector fieldRef = source.getFieldRef();
    if (fieldRef != null) {
      struct.key("fieldRef");
      GoStruct inner = new GoStruct(out);
      inner.stringOmitEmpty("apiVersion", fieldRef.getApiVersion());
      inner.string("fieldPath", fieldRef.getFieldPath());
      inner.end();
    }
    ResourceFieldSelector resourceFieldRef = source.getResourceFieldRef();
    if (resourceFieldRef != null) {
      struct.key("resourceFieldRef");
      GoStruct inner = new GoStruct(out);
      inner.stringOmitEmpty("containerName", resourceFieldRef.getContainerName());
      inner.string("resource", resourceFieldRef.getResource());
      inner.string("divisor", GoQuantity.marshal(resourceFieldRef.getDivisor()));
      inner.end();
    }
    ConfigMapKeySelector configMapKeyRef = source.getConfigMapKeyRef();
    if (configMapKeyRef != null) {
      struct.key("configMapKeyRef");
      writeKeySelector(out, configMapKeyRef.getName(), configMapKeyRef.getKey(), configMapKeyRef.getOptional());
    }
    SecretKeySelector secretKeyRef = source.getSecretKeyRef();
    if (secretKeyRef != null) {
      struct.key("secretKeyRef");
      writeKeySelector(out, secretKeyRef.getName(), secretKeyRef.getKey(), secretKeyRef.getOptional());
    }
    FileKeySelector fileKeyRef = source.getFileKeyRef();
    if (fileKeyRef != null) {
      struct.key("fileKeyRef");
      GoStruct inner = new GoStruct(out);
      inner.string("volumeName", fileKeyRef.getVolumeName());
      inner.string("path", fileKeyRef.getPath());
      inner.string("key", fileKeyRef.getKey());
      inner.boolOmitNull("optional", fileKeyRef.getOptional());
      inner.end();
    }
    struct.end();
  }

  /** Writes a ConfigMapKeySelector or SecretKeySelector, whose name comes from an inlined LocalObjectReference. */
  private static void writeKeySelector(StringBuilder out, String name, String key, Boolean optional) {
    GoStruct struct = new GoStruct(out);
    struct.stringOmitEmpty("name", name);
    struct.string("key", key);
    struct.boolOmitNull("optional", optional);
    struct.end();
  }

  /** Writes the fields of one Go struct, in the order they are added, with the separators between them. */
  private static final class GoStruct {
    private final StringBuilder out;
    private boolean empty = true;

    GoStruct(StringBuilder out) {
      this.out = out;
      out.append('{');
    }

    /** Writes a field name; the caller writes the value next. */
    void key(String name) {
      if (!empty) {
        out.append(',');
      }
      empty = false;
      writeString(out, name);
      out.append(':');
    }

    /** Writes a string field without {@code omitempty}; null is Go's zero value {@code ""}. */
    void string(String name, String value) {
      key(name);
      writeString(out, value == null ? "" : value);
    }

    /** Writes a string field with {@code omitempty}. */
    void stringOmitEmpty(String name, String value) {
      if (value != null && !value.isEmpty()) {
        string(name, value);
      }
    }

    /** Writes a {@code *bool} field with {@code omitempty}: only nil is omitted, {@code false} is written. */
    void boolOmitNull(String name, Boolean value) {
      if (value != null) {
        key(name);
        out.append(value.booleanValue());
      }
    }

    void end() {
      out.append('}');
    }
  }
}
