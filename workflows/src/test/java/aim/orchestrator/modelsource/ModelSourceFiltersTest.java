package aim.orchestrator.modelsource;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMClusterModelSourceSpec;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelSourceFiltersTest {
  static AIMClusterModelSourceSpec.Filter filter(String image, List<String> exclude, List<String> versions) {
    AIMClusterModelSourceSpec.Filter f = new AIMClusterModelSourceSpec.Filter();
    f.image = image;
    f.exclude = exclude;
    f.versions = versions;
    return f;
  }

  static RegistryImage image(String repository, String tag) {
    return new RegistryImage("docker.io", repository, tag);
  }

  @ParameterizedTest
  @CsvSource({
    "aim-*,            aim-qwen,             true",
    "aim-*,            aim-,                 true",
    "aim-*,            xaim-qwen,            false",
    "*-qwen,           aim-qwen,             true",
    "a*b*c,            abc,                  true",
    "a*b*c,            aXbYc,                true",
    "a*b*c,            acb,                  false",
    "ab*ba,            aba,                  false",
    "org/*,            org/sub/repo,         true",
    "*,                anything/at/all,      true",
    "exact,            exact,                true",
    "exact,            exactly,              false",
  })
  void wildcards(String pattern, String value, boolean expected) {
    assertThat(ModelSourceFilters.matchesWildcard(pattern, value)).isEqualTo(expected);
  }

  @Nested
  class Matching {
    @Test
    void anExactTagMatchesOnlyThatTag() {
      var f = filter("amdenterpriseai/aim-qwen:0.8.5", null, List.of(">=1.0"));

      assertThat(ModelSourceFilters.matches(image("amdenterpriseai/aim-qwen", "0.8.5"), f, List.of())).isTrue();
      assertThat(ModelSourceFilters.matches(image("amdenterpriseai/aim-qwen", "0.8.6"), f, List.of())).isFalse();
    }

    @Test
    void withoutConstraintsEveryTagMatches() {
      var f = filter("amdenterpriseai/aim-*", null, null);

      assertThat(ModelSourceFilters.matches(image("amdenterpriseai/aim-qwen", "latest"), f, null)).isTrue();
    }

    @Test
    void exclusionsAreExactRepositories() {
      var f = filter("amdenterpriseai/aim-*", List.of("amdenterpriseai/aim-base"), null);

      assertThat(ModelSourceFilters.matches(image("amdenterpriseai/aim-base", "1.0.0"), f, null)).isFalse();
      assertThat(ModelSourceFilters.matches(image("amdenterpriseai/aim-base-2", "1.0.0"), f, null)).isTrue();
    }

    @Test
    void filterVersionsWinOverGlobalVersions() {
      var own = filter("aim/*", null, List.of("<1.0"));
      var none = filter("aim/*", null, null);
      List<String> global = List.of(">=1.0");

      assertThat(ModelSourceFilters.matches(image("aim/x", "0.9.0"), own, global)).isTrue();
      assertThat(ModelSourceFilters.matches(image("aim/x", "0.9.0"), none, global)).isFalse();
      assertThat(ModelSourceFilters.matches(image("aim/x", "1.2.0"), none, global)).isTrue();
    }

    @Test
    void withConstraintsNonSemverTagsAreSkipped() {
      var f = filter("aim/*", null, List.of(">=0.1"));

      assertThat(ModelSourceFilters.matches(image("aim/x", "latest"), f, null)).isFalse();
      assertThat(ModelSourceFilters.matches(image("aim/x", "0.8"), f, null)).isFalse();
      assertThat(ModelSourceFilters.matches(image("aim/x", "0.8.0-dev"), f, null)).isTrue();
    }
  }

  @ParameterizedTest(name = "{0} against {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "0.9.0      ; >=0.9               ; true",
        "0.8.5      ; >=0.9               ; false",
        "v0.9.0     ; >=0.9               ; true",
        "1.0.0      ; >=0.9 <1.0          ; false",
        "0.9.5      ; >=0.9, <1.0         ; true",
        "0.9.5      ; >= 0.9, < 1.0       ; true",
        "0.8.5      ; ^0.8                ; true",
        "0.9.0      ; ^0.8                ; false",
        "0.9.1      ; ~0.9.0              ; true",
        "0.10.0     ; ~0.9.0              ; false",
        "0.8.7      ; 0.8.x               ; true",
        "2.0.0      ; 1.0 - 1.4 || >=2    ; true",
        "1.5.0      ; 1.0 - 1.4 || >=2    ; false",
        "0.8.5      ; !=0.8.5             ; false",
        "0.8.6      ; >=0.8 !=0.8.5       ; true",
        "1.0.0-rc1  ; >=0.9               ; true",
        "1.0.0+b7   ; =1.0.0              ; true",
      })
  void semverConstraints(String tag, String constraint, boolean expected) {
    assertThat(ModelSourceFilters.satisfiesAll(tag, List.of(constraint))).isEqualTo(expected);
  }

  @Test
  void everyConstraintMustHold() {
    assertThat(ModelSourceFilters.satisfiesAll("0.9.5", List.of(">=0.9", "<0.9.3"))).isFalse();
    assertThat(ModelSourceFilters.satisfiesAll("0.9.1", List.of(">=0.9", "<0.9.3"))).isTrue();
  }

  @Test
  void unparsableConstraintsAreSkippedAsInTheReference() {
    assertThat(ModelSourceFilters.satisfiesAll("0.9.5", List.of("not a range", ">=0.9"))).isTrue();
    assertThat(ModelSourceFilters.satisfiesAll("0.9.5", List.of(">=foo"))).isTrue();
    assertThat(ModelSourceFilters.satisfiesAll("0.9.5", List.of("", "||"))).isTrue();
    assertThat(ModelSourceFilters.satisfiesAll("latest", List.of("not a range"))).isFalse();
  }
}
