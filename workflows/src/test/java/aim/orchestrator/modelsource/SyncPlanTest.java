package aim.orchestrator.modelsource;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterModelSource;
import aim.orchestrator.model.AIMClusterModelSourceSpec;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyncPlanTest {
  static RegistryImage img(String repo, String tag) {
    return new RegistryImage("docker.io", repo, tag);
  }

  static ComponentHealth component(SyncPlan plan, String name) {
    return plan.components().stream().filter(c -> c.component().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void createsWhatIsMissingAndNeverTouchesWhatExists() {
    SyncPlan plan =
        SyncPlan.plan(
            List.of("aim/a:1.0.0", "aim/gone:0.1.0"),
            List.of(FilterOutcome.found("aim/*", List.of(img("aim/a", "1.0.0"), img("aim/b", "1.0.0")))),
            100);

    assertThat(plan.newImages()).containsExactly(img("aim/b", "1.0.0"));
    assertThat(plan.available()).isEqualTo(2);
    assertThat(plan.discovered()).isEqualTo(3);
    assertThat(plan.limitReached()).isFalse();
    assertThat(plan.limitCondition())
        .extracting(c -> c.type(), c -> c.status(), c -> c.reason())
        .containsExactly("MaxModelsLimitReached", "False", "WithinLimit");
    assertThat(plan.components()).extracting(ComponentHealth::component).containsExactly("ExistingModels", "Filters");
    assertThat(component(plan, "ExistingModels").reason()).isEqualTo("Listed");
  }

  @Test
  void stopsAtMaxModelsCountingExistingOnes() {
    SyncPlan plan =
        SyncPlan.plan(
            List.of("aim/a:1"),
            List.of(FilterOutcome.found("aim/*", List.of(img("aim/a", "1"), img("aim/a", "2"), img("aim/a", "3"), img("aim/a", "4")))),
            3);

    assertThat(plan.newImages()).containsExactly(img("aim/a", "2"), img("aim/a", "3"));
    assertThat(plan.discovered()).isEqualTo(3);
    assertThat(plan.available()).isEqualTo(4);
    assertThat(plan.limitReached()).isTrue();
    assertThat(plan.limitCondition())
        .extracting(c -> c.status(), c -> c.reason(), c -> c.message())
        .containsExactly("True", "LimitReached", "Limit reached: 3 created, 4 available");
  }

  @Test
  void anImageTwoFiltersFindCountsOnce() {
    SyncPlan plan =
        SyncPlan.plan(
            List.of(),
            List.of(
                FilterOutcome.found("aim/a:1", List.of(img("aim/a", "1"))),
                FilterOutcome.found("aim/*", List.of(img("aim/a", "1"), img("aim/b", "1")))),
            100);

    assertThat(plan.newImages()).containsExactly(img("aim/a", "1"), img("aim/b", "1"));
    assertThat(plan.available()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource({"0, 2, Ready, AllFiltersSucceeded", "1, 2, Degraded, SomeFiltersFailed", "2, 2, Failed, AllFiltersFailed"})
  void filterHealth(int failing, int total, AIMStatus state, String reason) {
    List<FilterOutcome> outcomes = new java.util.ArrayList<>();
    for (int i = 0; i < total; i++) {
      outcomes.add(i < failing ? FilterOutcome.failed("f" + i, "registry unreachable") : FilterOutcome.found("f" + i, List.of()));
    }

    ComponentHealth filters = component(SyncPlan.plan(List.of(), outcomes, 10), "Filters");

    assertThat(filters.state()).isEqualTo(state);
    assertThat(filters.reason()).isEqualTo(reason);
    if (failing > 0) {
      assertThat(filters.message()).contains("f0: registry unreachable");
    }
  }

  @Test
  void noFiltersIsProgressing() {
    assertThat(component(SyncPlan.plan(List.of(), List.of(), 10), "Filters"))
        .extracting(ComponentHealth::state, ComponentHealth::reason)
        .containsExactly(AIMStatus.Progressing, "NoFilters");
  }

  @ParameterizedTest
  @CsvSource({
    // Computed outside Java (Python port of the naming helper, spec §3.14).
    "docker.io,      amdenterpriseai/aim-qwen-qwen3-32b, 0.8.5, amdenterpriseai-aim-qwen-qwen3-32b-0-8-5-72f726",
    "127.0.0.1:5000, aim/qwen,                           1.0.0, aim-qwen-1-0-0-801df2",
    "ghcr.io, amdenterpriseai/aim-meta-llama-llama-3-1-405b-instruct-with-a-long-name, 0.10.0-rc1,"
        + " amdenterpriseai-aim-meta-llama-llama-3-1-405b-0-10-0-rc1-085d70",
  })
  void modelNames(String registry, String repository, String tag, String expected) {
    assertThat(SyncPlan.modelName(new RegistryImage(registry, repository, tag))).isEqualTo(expected);
  }

  @Test
  void theModelCarriesSourceLabelsAnnotationsAndOwner() {
    AIMClusterModelSource source = new AIMClusterModelSource();
    source.getMetadata().setName("amd-models");
    source.getMetadata().setUid("uid-1");
    source.setSpec(new AIMClusterModelSourceSpec());
    source.getSpec().imagePullSecrets = List.of(new LocalObjectReference("hub"));

    AIMClusterModel model = SyncPlan.clusterModel(source, new RegistryImage("ghcr.io", "silogen/aim-llama", "1.0.0"));

    assertThat(model.getMetadata().getName()).isEqualTo(SyncPlan.modelName(new RegistryImage("ghcr.io", "silogen/aim-llama", "1.0.0")));
    assertThat(model.getMetadata().getLabels())
        .isEqualTo(Map.of("aim.eai.amd.com/model-source", "amd-models", "aim.eai.amd.com/origin", "auto-generated"));
    assertThat(model.getMetadata().getAnnotations())
        .isEqualTo(
            Map.of(
                "aim.eai.amd.com/source-registry", "ghcr.io",
                "aim.eai.amd.com/source-repository", "silogen/aim-llama",
                "aim.eai.amd.com/source-tag", "1.0.0"));
    assertThat(model.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> {
          assertThat(o.getKind()).isEqualTo("AIMClusterModelSource");
          assertThat(o.getApiVersion()).isEqualTo("aim.eai.amd.com/v1alpha1");
          assertThat(o.getUid()).isEqualTo("uid-1");
          assertThat(o.getController()).isNull();
          assertThat(o.getBlockOwnerDeletion()).isFalse();
        });
    assertThat(model.getSpec().image).isEqualTo("ghcr.io/silogen/aim-llama:1.0.0");
    assertThat(model.getSpec().imagePullSecrets).extracting(LocalObjectReference::getName).containsExactly("hub");
  }
}
