package aim.orchestrator.render;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMRuntimeConfigCommon.LabelPropagation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {
  private static LabelPropagation match(String... globs) {
    LabelPropagation p = new LabelPropagation();
    p.enabled = true;
    p.match = List.of(globs);
    return p;
  }

  private static final Map<String, String> PARENT =
      Map.of(
          "aim.eai.amd.com/team-quota", "gold",
          "team", "ML Platform",
          "cost-center", "cc-42",
          "example.com/owner", "jane",
          "env", "prod");

  @Test
  void systemLabelsAlwaysTravelUserLabelsOnlyWhenEnabled() {
    assertThat(Labels.propagated(PARENT, null)).containsOnlyKeys("aim.eai.amd.com/team-quota");
    LabelPropagation off = match("*");
    off.enabled = false;
    assertThat(Labels.propagated(PARENT, off)).containsOnlyKeys("aim.eai.amd.com/team-quota");
  }

  @Test
  void globsFollowFilepathMatch() {
    assertThat(Labels.propagated(PARENT, match("team", "cost-*")))
        .containsOnlyKeys("aim.eai.amd.com/team-quota", "team", "cost-center");
    // "*" does not cross "/": a prefixed key needs its prefix spelled out.
    assertThat(Labels.propagated(PARENT, match("*"))).doesNotContainKey("example.com/owner");
    assertThat(Labels.propagated(PARENT, match("example.com/*"))).containsKey("example.com/owner");
    assertThat(Labels.propagated(PARENT, match("en?"))).containsKey("env");
    assertThat(Labels.propagated(PARENT, match("[ef]nv"))).containsKey("env");
  }

  @Test
  void valuesAreSanitisedAndTheObjectsOwnLabelsWin() {
    assertThat(Labels.propagated(PARENT, match("team"))).containsEntry("team", "ml_platform");
    assertThat(Labels.withPropagated(Map.of("team", "mine"), PARENT, match("team"))).containsEntry("team", "mine");
  }
}
