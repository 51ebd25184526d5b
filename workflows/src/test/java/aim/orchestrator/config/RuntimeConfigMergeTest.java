package aim.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMRoutingConfig;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMStorageConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeConfigMergeTest {
  @Test
  void namespaceWinsFieldByFieldAndEnvMergesByName() {
    AIMRuntimeConfigCommon cluster = new AIMRuntimeConfigCommon();
    cluster.storage = new AIMStorageConfig();
    cluster.storage.defaultStorageClassName = "cluster-rwx";
    cluster.storage.pvcHeadroomPercent = 20;
    cluster.routing = new AIMRoutingConfig();
    cluster.routing.enabled = true;
    cluster.routing.annotations = Map.of("a", "cluster", "b", "cluster");
    cluster.env = List.of(new EnvVar("HF_HUB_OFFLINE", "0", null), new EnvVar("ONLY_CLUSTER", "x", null));
    AIMRuntimeConfigCommon ns = new AIMRuntimeConfigCommon();
    ns.storage = new AIMStorageConfig();
    ns.storage.pvcHeadroomPercent = 5;
    ns.routing = new AIMRoutingConfig();
    ns.routing.annotations = Map.of("b", "ns");
    ns.env = List.of(new EnvVar("HF_HUB_OFFLINE", "1", null));

    AIMRuntimeConfigCommon merged = RuntimeConfigMerge.merge(cluster, ns);

    assertThat(merged.storage.defaultStorageClassName).isEqualTo("cluster-rwx");
    assertThat(merged.storage.pvcHeadroomPercent).isEqualTo(5);
    assertThat(merged.routing.enabled).isTrue();
    assertThat(merged.routing.annotations).containsEntry("a", "cluster").containsEntry("b", "ns");
    assertThat(merged.env).extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("HF_HUB_OFFLINE", "1"), org.assertj.core.groups.Tuple.tuple("ONLY_CLUSTER", "x"));
  }

  @Test
  void deprecatedTopLevelStorageFieldsAreMigrated() {
    AIMRuntimeConfigCommon old = new AIMRuntimeConfigCommon();
    old.defaultStorageClassName = "legacy";
    old.pvcHeadroomPercent = 15;
    AIMRuntimeConfigCommon merged = RuntimeConfigMerge.merge(old, null);
    assertThat(merged.storage.defaultStorageClassName).isEqualTo("legacy");
    assertThat(merged.storage.pvcHeadroomPercent).isEqualTo(15);
  }

  @Test
  void engineArgsAreDeepMergedAsJson() {
    List<EnvVar> merged =
        RuntimeConfigMerge.mergeEnv(
            List.of(new EnvVar("AIM_ENGINE_ARGS", "{\"max-model-len\": 4096, \"kv\": {\"a\": 1, \"b\": 2}}", null)),
            List.of(new EnvVar("AIM_ENGINE_ARGS", "{\"kv\": {\"b\": 3}, \"swap-space\": 8}", null)));
    assertThat(merged).hasSize(1);
    assertThat(merged.get(0).getValue()).isEqualTo("{\"max-model-len\":4096,\"kv\":{\"a\":1,\"b\":3},\"swap-space\":8}");
  }

  @Test
  void engineArgsThatAreNotJsonObjectsOrComeFromSecretsAreReplaced() {
    EnvVar fromSecret =
        new EnvVarBuilder().withName("AIM_ENGINE_ARGS").withNewValueFrom().withNewSecretKeyRef("k", "s", false).endValueFrom().build();
    assertThat(RuntimeConfigMerge.mergeEnv(List.of(new EnvVar("AIM_ENGINE_ARGS", "{\"a\":1}", null)), List.of(fromSecret)))
        .containsExactly(fromSecret);
    assertThat(RuntimeConfigMerge.mergeEnv(List.of(new EnvVar("AIM_ENGINE_ARGS", "{\"a\":1}", null)), List.of(new EnvVar("AIM_ENGINE_ARGS", "not json", null))))
        .extracting(EnvVar::getValue)
        .containsExactly("not json");
  }
}
