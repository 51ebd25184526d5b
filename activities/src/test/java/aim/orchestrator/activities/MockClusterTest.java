package aim.orchestrator.activities;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSpec;
import aim.orchestrator.model.AIMModelStatus;
import aim.orchestrator.model.ResourceStatusValue;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test cluster behaves like an API server where the activities' tests rely on it. */
class MockClusterTest {
  @RegisterExtension static final MockCluster cluster = new MockCluster();

  static AIMModel model(String image, String... env) {
    AIMModel m = new AIMModel();
    m.getMetadata().setName("m");
    m.getMetadata().setNamespace("ns");
    m.setSpec(new AIMModelSpec());
    m.getSpec().image = image;
    m.getSpec().env = Arrays.stream(env).map(n -> new EnvVar(n, "v", null)).toList();
    return m;
  }

  @Test
  void applyingTheSameObjectTwiceLeavesItUnchanged() {
    AIMModel first = cluster.kube().apply(model("img:1", "A", "B"));
    AIMModel second = cluster.kube().apply(model("img:1", "A", "B"));

    assertThat(second.getSpec().env).extracting(EnvVar::getName).containsExactly("A", "B");
    assertThat(second.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    assertThat(second.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void applyReplacesListsAndBumpsTheGenerationOnSpecChanges() {
    cluster.kube().apply(model("img:1", "A", "B"));
    AIMModel second = cluster.kube().apply(model("img:2", "C"));

    assertThat(second.getSpec().image).isEqualTo("img:2");
    assertThat(second.getSpec().env).extracting(EnvVar::getName).containsExactly("C");
    assertThat(second.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void createDropsStatusAndApplyKeepsIt() {
    AIMModel withStatus = model("img:1");
    withStatus.setStatus(new AIMModelStatus());
    withStatus.getStatus().status = ResourceStatusValue.Ready;

    assertThat(cluster.client().resource(withStatus).create().getStatus()).isNull();
    cluster.setStatus(withStatus, withStatus.getStatus());
    AIMModel applied = cluster.kube().apply(model("img:2"));

    assertThat(applied.getStatus().status).isEqualTo(ResourceStatusValue.Ready);
  }

  @Test
  void everyTestStartsWithAnEmptyStoreAndTheCrdsInstalled() {
    assertThat(cluster.client().resources(AIMModel.class).inAnyNamespace().list().getItems())
        .isEmpty();
    assertThat(cluster.client().apiextensions().v1().customResourceDefinitions().list().getItems())
        .hasSize(11);
  }
}
