package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SimSupportTest {

  static KubernetesClient client;

  @Test
  @SuppressWarnings("unchecked")
  void statusWriteRereadsAfterConflict() {
    var claims = client.persistentVolumeClaims().inNamespace("support");
    claims
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("raced")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .create();
    // The CRUD mock does not check resourceVersion on /status writes, so the 409 a real API
    // server sends when somebody wrote in between is staged here.
    Resource<PersistentVolumeClaim> conflicting = mock(Resource.class);
    when(conflicting.updateStatus())
        .thenThrow(new KubernetesClientException("the object has been modified", 409, null));
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger writes = new AtomicInteger();

    var result =
        SimSupport.writeStatus(
            () -> {
              reads.incrementAndGet();
              return claims.withName("raced").get();
            },
            p -> {
              PersistentVolumeClaimStatus status = new PersistentVolumeClaimStatus();
              status.setPhase("Bound");
              p.setStatus(status);
              return true;
            },
            p -> writes.getAndIncrement() == 0 ? conflicting : claims.resource(p));

    assertThat(result.written()).isTrue();
    assertThat(reads).hasValue(2);
    assertThat(claims.withName("raced").get().getStatus().getPhase()).isEqualTo("Bound");
  }

  @Test
  void statusWriteOfMissingObjectReportsItGone() {
    var claims = client.persistentVolumeClaims().inNamespace("support");
    var result =
        SimSupport.writeStatus(() -> claims.withName("absent").get(), p -> true, claims::resource);
    assertThat(result.object()).isNull();
    assertThat(result.written()).isFalse();
  }
}
