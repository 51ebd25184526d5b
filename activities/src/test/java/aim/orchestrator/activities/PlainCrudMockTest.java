package aim.orchestrator.activities;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMModel;
import io.fabric8.kubernetes.api.model.EnvVar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Why {@link MockCluster} applies merge patches itself: fabric8's CRUD mock appends list items on a
 * JSON merge patch, where RFC 7386 and kube-apiserver replace the list. If this test starts
 * failing, fabric8 fixed it.
 */
class PlainCrudMockTest {
  @RegisterExtension static final MockCluster plainMock = new MockCluster(false);

  @Test
  void mergePatchOfThePlainMockAppendsListItems() {
    plainMock.kube().apply(MockClusterTest.model("img:1", "A", "B"));
    AIMModel second = plainMock.kube().apply(MockClusterTest.model("img:1", "A", "B"));

    assertThat(second.getSpec().env)
        .extracting(EnvVar::getName)
        .containsExactly("A", "B", "A", "B");
  }
}
