package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactSpec;
import aim.orchestrator.model.AIMArtifactStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Status messages with non-ASCII characters ("—", "ü") in objects of every size reach a fabric8 watch intact. Before
 * the dev API escaped them, a multi-byte character at an unlucky offset made the event unparseable (a NUL in a
 * string) and the watch stopped — so the watch bridge went deaf for that kind.
 */
class DevKubernetesApiUnicodeWatchTest {
  @Test
  void nonAsciiTextInLargeObjectsKeepsTheWatchAlive() {
    try (DevKubernetesApi api = DevKubernetesApi.start(0); var client = api.newClient()) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("u").endMetadata().build()).create();
      AIMArtifact a = new AIMArtifact();
      a.getMetadata().setName("a");
      a.getMetadata().setNamespace("u");
      a.setSpec(new AIMArtifactSpec());
      a.getSpec().sourceUri = "hf://a/b";
      client.resource(a).create();
      List<String> messages = new CopyOnWriteArrayList<>();
      List<WatcherException> closed = new CopyOnWriteArrayList<>();
      try (var watch =
          client.resources(AIMArtifact.class).inNamespace("u").watch(new Watcher<AIMArtifact>() {
            @Override
            public void eventReceived(Action action, AIMArtifact r) {
              if (r.getStatus() != null && r.getStatus().download != null) {
                messages.add(r.getStatus().download.message);
              }
            }

            @Override
            public void onClose(WatcherException e) {
              closed.add(e);
            }
          })) {
        String last = null;
        for (int n = 0; n < 20; n++) {
          AIMArtifact current = client.resources(AIMArtifact.class).inNamespace("u").withName("a").get();
          current.setStatus(new AIMArtifactStatus());
          current.getStatus().download = new AIMArtifactStatus.Download();
          last = "x".repeat(n * 150) + " — fix the cause — Grüße " + n;
          current.getStatus().download.message = last;
          client.resource(current).updateStatus();
        }
        String expected = last;
        await().atMost(Duration.ofSeconds(10)).until(() -> messages.contains(expected));
        assertThat(closed).isEmpty();
        assertThat(messages).hasSize(20);
      }
    }
  }
}
