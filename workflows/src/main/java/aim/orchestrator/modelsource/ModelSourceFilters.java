package aim.orchestrator.modelsource;

import aim.orchestrator.model.AIMClusterModelSourceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Which listed images a filter keeps (spec §3.13): the repository must match the pattern, must not be excluded, and
 * the tag must be the filter's exact tag or satisfy the version constraints — the filter's own {@code versions},
 * else the source's global {@code versions}. With constraints, tags that are not semantic versions are skipped.
 *
 * <p>Pure and deterministic.
 */
public final class ModelSourceFilters {
  private static final String PART = "(?:0|[1-9]\\d*|[xX*])";
  /** One comparator: an optional operator, a (partial) version with optional v, pre-release and build; or the "-" of a hyphen range. */
  private static final Pattern COMPARATOR =
      Pattern.compile(
          "-|(?:>=|<=|!=|>|<|=|\\^|~)?v?" + PART + "(?:\\." + PART + "){0,2}(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?");
  private static final Pattern OPERATOR_SPACE = Pattern.compile("(>=|<=|!=|>|<|=|\\^|~)\\s+");

  private ModelSourceFilters() {}

  /** True when the filter keeps the image. */
  public static boolean matches(RegistryImage image, AIMClusterModelSourceSpec.Filter filter, List<String> globalVersions) {
    ImageFilter parsed = ImageFilter.parse(filter.image);
    if (!matchesWildcard(parsed.repository(), image.repository())) {
      return false;
    }
    if (filter.exclude != null && filter.exclude.contains(image.repository())) {
      return false;
    }
    if (parsed.tag() != null) {
      return parsed.tag().equals(image.tag());
    }
    List<String> constraints = filter.versions != null && !filter.versions.isEmpty() ? filter.versions : globalVersions;
    return constraints == null || constraints.isEmpty() || satisfiesAll(image.tag(), constraints);
  }

  /** {@code *} matches any run of characters ({@code /} included); everything else matches itself. */
  public static boolean matchesWildcard(String pattern, String value) {
    String[] parts = pattern.split("\\*", -1);
    if (parts.length == 1) {
      return pattern.equals(value);
    }
    if (!value.startsWith(parts[0]) || !value.endsWith(parts[parts.length - 1])) {
      return false;
    }
    int from = parts[0].length();
    int to = value.length() - parts[parts.length - 1].length();
    if (to < from) {
      return false;
    }
    for (int i = 1; i < parts.length - 1; i++) {
      int at = value.indexOf(parts[i], from);
      if (at < 0 || at + parts[i].length() > to) {
        return false;
      }
      from = at + parts[i].length();
    }
    return true;
  }

  /**
   * True when the tag (a leading {@code v} allowed) is a semantic version that satisfies every constraint. A
   * constraint that cannot be parsed is skipped, as in the reference. Constraints use npm range syntax
   * ({@code >=1.2 <2}, {@code ^0.8}, {@code ~0.8.1}, {@code 0.8.x}, {@code 1.0 - 1.4}, {@code ||}) plus {@code !=}; a
   * comma between comparators also means "and". Pre-release versions are compared like any other.
   */
  public static boolean satisfiesAll(String tag, List<String> constraints) {
    Semver version = Semver.parse(tag.startsWith("v") ? tag.substring(1) : tag);
    if (version == null) {
      return false;
    }
    for (String constraint : constraints) {
      Boolean ok = satisfies(version, constraint);
      if (ok != null && !ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether the version satisfies the constraint; null when the constraint cannot be parsed. */
  static Boolean satisfies(Semver version, String constraint) {
    String normalized = constraint == null ? "" : OPERATOR_SPACE.matcher(constraint.replace(',', ' ')).replaceAll("$1").trim();
    if (normalized.isEmpty()) {
      return null;
    }
    boolean any = false;
    for (String alternative : normalized.split("\\|\\|", -1)) {
      String[] comparators = alternative.trim().split("\\s+");
      List<String> ranges = new ArrayList<>();
      boolean excluded = false;
      for (String comparator : comparators) {
        if (!COMPARATOR.matcher(comparator).matches()) {
          return null;
        }
        if (comparator.startsWith("!=")) {
          // semver4j has no "!=", which the reference's library (blang/semver) has.
          Semver unwanted = Semver.coerce(comparator.substring(2));
          excluded |= unwanted != null && version.isEqualTo(unwanted);
        } else {
          ranges.add(comparator);
        }
      }
      any |= !excluded && (ranges.isEmpty() || version.satisfies(String.join(" ", ranges), true));
    }
    return any;
  }
}
