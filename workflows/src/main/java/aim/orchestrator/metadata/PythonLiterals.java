package aim.orchestrator.metadata;

/**
 * Turns Python literal notation ({@code {'gpuModel': 'MI300X', 'hf': True}}) into JSON: single-quoted strings become
 * double-quoted ones and the bare words {@code True}, {@code False} and {@code None} become {@code true},
 * {@code false} and {@code null}. Text that already is JSON passes through unchanged.
 *
 * <p>The reference replaces every {@code '} with {@code "}, which also turns an apostrophe inside a description into
 * a broken string. Tokenizing instead keeps such text intact and accepts everything the reference accepts.
 */
final class PythonLiterals {
  private PythonLiterals() {}

  /**
   * Converts the value.
   *
   * @throws IllegalArgumentException when a string is not terminated
   */
  static String toJson(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '\'' || c == '"') {
        i = string(value, i, out);
      } else if (Character.isLetter(c) || c == '_') {
        int end = i;
        while (end < value.length() && (Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '_')) {
          end++;
        }
        out.append(word(value.substring(i, end)));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String word(String word) {
    return switch (word) {
      case "True" -> "true";
      case "False" -> "false";
      case "None" -> "null";
      default -> word;
    };
  }

  /** Copies the string literal starting at {@code start} as a JSON string; returns the index after its end. */
  private static int string(String value, int start, StringBuilder out) {
    char quote = value.charAt(start);
    out.append('"');
    int i = start + 1;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        char next = value.charAt(i + 1);
        if (next == '\'') {
          out.append('\'');
        } else {
          out.append(c).append(next);
        }
        i += 2;
      } else if (c == quote) {
        out.append('"');
        return i + 1;
      } else {
        if (c == '"') {
          out.append('\\');
        }
        out.append(c);
        i++;
      }
    }
    throw new IllegalArgumentException("the string starting at offset " + start + " is not terminated");
  }
}
