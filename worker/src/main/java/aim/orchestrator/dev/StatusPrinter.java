package aim.orchestrator.dev;

import aim.orchestrator.model.AimKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Prints each AIM resource's status transitions as they happen (dev mode). */
final class StatusPrinter {
  private final KubernetesClient client;
  private final Map<String, String> last = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  StatusPrinter(KubernetesClient client) {
    this.client = client;
  }

  StatusPrinter start() {
    for (Class<? extends HasMetadata> kind : AimKinds.ALL) {
      informers.add(inform(kind));
    }
    return this;
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(Class<T> kind) {
    ResourceEventHandler<T> h =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            show(obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            show(newObj);
          }

          @Override
          public void onDelete(T obj, boolean unknown) {
            System.out.printf("%s  %-26s %-45s deleted%n", now(), obj.getKind(), key(obj));
          }
        };
    var op = client.resources(kind);
    return AimKinds.namespaced(kind) ? op.inAnyNamespace().inform(h, 0) : op.inform(h, 0);
  }

  private void show(HasMetadata obj) {
    var node = client.getKubernetesSerialization().convertValue(obj, com.fasterxml.jackson.databind.JsonNode.class);
    String status = node.path("status").path("status").asText("");
    if (status.isEmpty()) {
      return;
    }
    String why = "";
    for (var c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        why = c.path("reason").asText("") + (c.path("message").asText("").isEmpty() ? "" : ": " + c.path("message").asText());
      }
    }
    String k = obj.getKind() + "/" + key(obj);
    String line = status + "  " + why;
    if (!Objects.equals(last.put(k, line), line)) {
      System.out.printf("%s  %-26s %-45s %-12s %s%n", now(), obj.getKind(), key(obj), status, why);
      synchronized (last) {
        last.notifyAll();
      }
    }
  }

  /** Waits until the service ({@code namespace/name}) shows Running. */
  boolean awaitRunning(String service, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (last) {
      while (true) {
        String line = last.get("AIMService/" + service);
        if (line != null && line.startsWith("Running")) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          last.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  private static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() == null ? o.getMetadata().getName() : o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static String now() {
    return LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
