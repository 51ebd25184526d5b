package aim.orchestrator.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected texts are what Kubernetes' {@code resource.Quantity} marshals to after parsing the input. */
class GoQuantityTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource({
    // Canonical already: kept.
    "1Gi, 1Gi",
    "100Mi, 100Mi",
    "5Ki, 5Ki",
    "100m, 100m",
    "1k, 1k",
    "1200, 1200",
    "1e3, 1e3",
    "-1Ki, -1Ki",
    "0, 0",
    // Canonical-looking on Go's fast path: the original text is kept, quirks included.
    "+1Ki, +1Ki",
    "01Ki, 01Ki",
    "1E3, 1E3",
    "1., 1.",
    // Canonicalised.
    "1024Ki, 1Mi",
    "1024Mi, 1Gi",
    "1536Mi, 1536Mi",
    "2000Ki, 2000Ki",
    "1.5Gi, 1536Mi",
    "0.5Ki, 512",
    "0.5, 500m",
    "1.5, 1500m",
    ".5, 500m",
    "1000m, 1",
    "1000, 1k",
    "12000, 12k",
    "1000000, 1M",
    "0.001, 1m",
    "1000e3, 1e6",
    "12e-10, 2e-9",
    "0.1n, 1n",
    "000, 0",
    "-0, 0",
    "9Ei, 9223372036854775807",
  })
  void marshalsLikeGo(String text, String expected) {
    assertThat(GoQuantity.marshal(text)).isEqualTo(expected);
  }

  @Test
  void absentQuantityIsZero() {
    assertThat(GoQuantity.marshal((Quantity) null)).isEqualTo("0");
    assertThat(GoQuantity.marshal(new Quantity())).isEqualTo("0");
  }

  @Test
  void fabric8QuantitiesAreReadFromAmountAndFormat() {
    assertThat(GoQuantity.marshal(new Quantity("2048", "Ki"))).isEqualTo("2Mi");
    assertThat(GoQuantity.marshal(new Quantity(" 1Gi "))).isEqualTo("1Gi");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "1K", "1Ki5", "1.2.3", "1e", "1m-3", "1Ee3"})
  void rejectsInvalidQuantities(String text) {
    assertThatThrownBy(() -> GoQuantity.marshal(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid Kubernetes quantity");
  }
}
