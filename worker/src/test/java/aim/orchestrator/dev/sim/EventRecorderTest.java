package aim.orchestrator.dev.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {

  static KubernetesClient client;

  @Test
  void writesCoreEventsAndFoldsRepeatsIntoACount() {
    ConfigMap object =
        client
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("subject")
                    .withNamespace("events")
                    .endMetadata()
                    .build())
            .create();
    EventRecorder recorder = new EventRecorder(client);

    recorder.warning(object, "some-controller", "SomethingFailed", "it broke");
    recorder.warning(object, "some-controller", "SomethingFailed", "it broke");
    recorder.warning(object, "some-controller", "SomethingFailed", "it broke differently");
    recorder.normal(object, "some-controller", "SomethingFailed", "it broke");

    List<Event> events = SimEvents.about(client, object);
    assertThat(events).hasSize(3);
    Event folded =
        events.stream()
            .filter(e -> "Warning".equals(e.getType()) && "it broke".equals(e.getMessage()))
            .findFirst()
            .orElseThrow();
    assertThat(folded.getCount()).isEqualTo(2);
    assertThat(folded.getMetadata().getName()).matches("subject\\.[0-9a-f]{16}");
    assertThat(folded.getFirstTimestamp()).isNotBlank();
    assertThat(folded.getLastTimestamp()).isGreaterThanOrEqualTo(folded.getFirstTimestamp());
    assertThat(folded.getSource().getComponent()).isEqualTo("some-controller");
    assertThat(folded.getReportingComponent()).isEqualTo("some-controller");
    assertThat(folded.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
    assertThat(folded.getInvolvedObject().getApiVersion()).isEqualTo("v1");
    assertThat(folded.getInvolvedObject().getNamespace()).isEqualTo("events");
    assertThat(folded.getInvolvedObject().getName()).isEqualTo("subject");
    assertThat(folded.getInvolvedObject().getUid()).isEqualTo(object.getMetadata().getUid());
    assertThat(events).filteredOn(e -> e != folded).extracting(Event::getCount).containsOnly(1);
  }
}
