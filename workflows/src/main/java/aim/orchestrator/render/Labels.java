package aim.orchestrator.render;

import aim.orchestrator.model.AIMRuntimeConfigCommon.LabelPropagation;
import aim.orchestrator.model.Aim;
import aim.orchestrator.naming.DerivedNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which labels of a parent an object made for it carries (spec §3.0 step 5): the parent's AIM system labels
 * ({@code aim.eai.amd.com/*}) always; its other labels only when the runtime config's {@code labelPropagation} is
 * enabled and the key matches one of its globs ({@code filepath.Match} semantics: {@code *} and {@code ?} stop at
 * {@code /}). Values are sanitised as label values.
 */
public final class Labels {
  private Labels() {}

  public static Map<String, String> propagated(Map<String, String> parent, LabelPropagation propagation) {
    Map<String, String> out = new TreeMap<>();
    if (parent == null) {
      return out;
    }
    boolean enabled = propagation != null && Boolean.TRUE.equals(propagation.enabled) && propagation.match != null;
    for (var e : parent.entrySet()) {
      boolean system = e.getKey().startsWith(Aim.LABEL_PREFIX);
      boolean matched = enabled && propagation.match.stream().anyMatch(glob -> glob(glob).matcher(e.getKey()).matches());
      if (system || matched) {
        out.put(e.getKey(), DerivedNames.labelValue(e.getValue()));
      }
    }
    return out;
  }

  /** {@code labels} with every propagated label added where the object does not set the key itself. */
  public static Map<String, String> withPropagated(
      Map<String, String> labels, Map<String, String> parent, LabelPropagation propagation) {
    Map<String, String> out = new LinkedHashMap<>();
    propagated(parent, propagation).forEach(out::put);
    if (labels != null) {
      out.putAll(labels);
    }
    return out;
  }

  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            re.append("\\[");
          } else {
            String cls = glob.substring(i + 1, end);
            re.append('[').append(cls.startsWith("^") ? "^" + Pattern.quote(cls.substring(1)) : Pattern.quote(cls)).append(']');
            i = end;
          }
        }
        case '\\' -> {
          if (i + 1 < glob.length()) {
            re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
