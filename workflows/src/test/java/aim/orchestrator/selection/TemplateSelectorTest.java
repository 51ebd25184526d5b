package aim.orchestrator.selection;

import static aim.orchestrator.model.AIMScope.Cluster;
import static aim.orchestrator.model.AIMScope.Namespace;
import static aim.orchestrator.model.ResourceStatusValue.Failed;
import static aim.orchestrator.model.ResourceStatusValue.NotAvailable;
import static aim.orchestrator.model.ResourceStatusValue.Progressing;
import static aim.orchestrator.model.ResourceStatusValue.Ready;
import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.selection.Selection.Outcome;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every stage of auto-selection, with the reference's behaviour (spec §3.5). */
class TemplateSelectorTest {
  private static final Set<String> CLUSTER = Set.of("MI300X", "MI325X");

  static TemplateCandidate t(String name, AIMScope scope, ResourceStatusValue status, String type, String gpu, String metric, String precision) {
    return new TemplateCandidate(name, scope, status, type, gpu, gpu == null ? null : 1, metric, precision);
  }

  static TemplateCandidate ready(String name, String type, String gpu, String metric, String precision) {
    return t(name, Namespace, Ready, type, gpu, metric, precision);
  }

  static SelectionRequest request(boolean allowUnoptimized, TemplateCandidate... candidates) {
    return new SelectionRequest("qwen3", allowUnoptimized, null, null, null, null, CLUSTER, List.of(candidates));
  }

  static Stream<Arguments> scoring() {
    return Stream.of(
        Arguments.of(
            "profile type beats GPU tier",
            request(true, ready("opt-mi300x", "optimized", "MI300X", "latency", "fp16"), ready("prev-mi325x", "preview", "MI325X", "latency", "fp16")),
            "opt-mi300x"),
        Arguments.of(
            "GPU tier beats metric",
            request(false, ready("mi325x-thr", "optimized", "MI325X", "throughput", "fp16"), ready("mi300x-lat", "optimized", "MI300X", "latency", "fp16")),
            "mi325x-thr"),
        Arguments.of(
            "metric beats precision",
            request(false, ready("lat-fp16", "optimized", "MI300X", "latency", "fp16"), ready("thr-fp8", "optimized", "MI300X", "throughput", "fp8")),
            "lat-fp16"),
        Arguments.of(
            "precision: fp8 over fp16",
            request(false, ready("fp16", "optimized", "MI300X", "latency", "fp16"), ready("fp8", "optimized", "MI300X", "latency", "fp8")),
            "fp8"),
        Arguments.of(
            "precision: fp4 over int4 over fp8",
            request(false, ready("int4", "optimized", "MI300X", "latency", "int4"), ready("fp4", "optimized", "MI300X", "latency", "fp4"), ready("fp8", "optimized", "MI300X", "latency", "fp8")),
            "fp4"),
        Arguments.of(
            "known GPU beats unknown GPU",
            new SelectionRequest("qwen3", false, null, null, null, null, Set.of("MI300X", "MI355X"), List.of(ready("mi355x", "optimized", "MI355X", "latency", "fp8"), ready("mi300x", "optimized", "MI300X", "latency", "fp8"))),
            "mi300x"),
        Arguments.of(
            "namespace beats cluster even with a worse score",
            request(false, t("cluster-fp8", Cluster, Ready, "optimized", "MI325X", "latency", "fp8"), t("ns-fp16", Namespace, Ready, "optimized", "MI300X", "latency", "fp16")),
            "ns-fp16"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoring")
  void scoring(String name, SelectionRequest request, String expected) {
    Selection s = TemplateSelector.select(request);
    assertThat(s.outcome()).isEqualTo(Outcome.Selected);
    assertThat(s.chosen()).isEqualTo(expected);
    assertThat(s.candidates()).anySatisfy(c -> {
      assertThat(c.name()).isEqualTo(expected);
      assertThat(c.result()).isEqualTo("Selected");
    });
  }

  @Test
  void identicalScoresAreAmbiguous() {
    Selection s =
        TemplateSelector.select(
            request(false, ready("a", "optimized", "MI300X", "latency", "fp16"), ready("b", "optimized", "MI300X", "latency", "fp16")));
    assertThat(s.outcome()).isEqualTo(Outcome.TemplateSelectionAmbiguous);
    assertThat(s.chosen()).isNull();
    assertThat(s.message()).contains("Multiple templates (2)");
    assertThat(s.candidates()).extracting(Selection.CandidateResult::result).containsExactly("Tied", "Tied");
  }

  @Test
  void unoptimizedAndPreviewAreFilteredUnlessAllowed() {
    var preview = ready("preview", "preview", "MI300X", "latency", "fp16");
    var unopt = ready("unopt", "unoptimized", "MI300X", "latency", "fp16");
    var noProfile = ready("no-profile", null, "MI300X", "latency", "fp16");
    Selection denied = TemplateSelector.select(request(false, preview, unopt, noProfile));
    assertThat(denied.outcome()).isEqualTo(Outcome.UnoptimizedFiltered);
    assertThat(denied.message()).contains("3 unoptimized template(s) filtered out").contains("allowUnoptimized");
    assertThat(denied.candidates()).allSatisfy(c -> assertThat(c.stage()).isEqualTo("Optimization"));

    Selection allowed = TemplateSelector.select(request(true, preview, unopt));
    assertThat(allowed.chosen()).isEqualTo("preview");
  }

  @Test
  void availabilityRejectsEveryNonReadyTemplateWithItsStatus() {
    Selection s =
        TemplateSelector.select(
            request(false, t("p", Namespace, Progressing, "optimized", "MI300X", "latency", "fp16"), t("f", Namespace, Failed, "optimized", "MI300X", "latency", "fp16"), t("n", Namespace, NotAvailable, "optimized", "MI300X", "latency", "fp16"), t("x", Namespace, null, "optimized", "MI300X", "latency", "fp16")));
    assertThat(s.outcome()).isEqualTo(Outcome.TemplatesExistButNotReady);
    assertThat(s.candidates())
        .extracting(Selection.CandidateResult::name, Selection.CandidateResult::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("f", "TemplateFailed"),
            org.assertj.core.groups.Tuple.tuple("n", "TemplateNotAvailable"),
            org.assertj.core.groups.Tuple.tuple("p", "TemplateProgressing"),
            org.assertj.core.groups.Tuple.tuple("x", "TemplateNotReady"));
  }

  @Test
  void overridesFilterByMetricPrecisionAndGpu() {
    var lat = ready("lat", "optimized", "MI300X", "latency", "fp16");
    var thr = ready("thr", "optimized", "MI300X", "throughput", "fp16");
    var thr325 = ready("thr-325", "optimized", "MI325X", "throughput", "fp8");
    Selection byMetric =
        TemplateSelector.select(new SelectionRequest("qwen3", false, "throughput", null, "mi300x", null, CLUSTER, List.of(lat, thr, thr325)));
    assertThat(byMetric.chosen()).isEqualTo("thr");
    assertThat(byMetric.candidates())
        .filteredOn(c -> c.stage().equals("Overrides"))
        .extracting(Selection.CandidateResult::name, Selection.CandidateResult::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("lat", "MetricMismatch"), org.assertj.core.groups.Tuple.tuple("thr-325", "GPUModelMismatch"));

    Selection none =
        TemplateSelector.select(new SelectionRequest("qwen3", false, null, "bf16", null, null, CLUSTER, List.of(lat, thr)));
    assertThat(none.outcome()).isEqualTo(Outcome.ServiceOverridesNotMatched);

    Selection count =
        TemplateSelector.select(new SelectionRequest("qwen3", false, null, null, null, 2, CLUSTER, List.of(lat)));
    assertThat(count.outcome()).isEqualTo(Outcome.ServiceOverridesNotMatched);
    assertThat(count.candidates().get(0).reason()).isEqualTo("GPUCountMismatch");
  }

  @Test
  void templatesWhoseGpuIsNotInTheClusterAreRejected() {
    Selection s =
        TemplateSelector.select(
            new SelectionRequest("qwen3", false, null, null, null, null, Set.of("MI300X"), List.of(ready("mi355x", "optimized", "MI355X", "latency", "fp8"))));
    assertThat(s.outcome()).isEqualTo(Outcome.RequiredGPUNotInCluster);
    assertThat(s.candidates().get(0).stage()).isEqualTo("GPU");

    Selection cpu =
        TemplateSelector.select(
            new SelectionRequest("qwen3", false, null, null, null, null, Set.of(), List.of(ready("cpu", "optimized", null, "latency", "fp32"))));
    assertThat(cpu.chosen()).isEqualTo("cpu");
  }

  @Test
  void noCandidates() {
    assertThat(TemplateSelector.select(request(false)).outcome()).isEqualTo(Outcome.NoCandidates);
  }
}
