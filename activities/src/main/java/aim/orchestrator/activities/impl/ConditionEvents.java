package aim.orchestrator.activities.impl;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One core/v1 Event per condition transition (type Normal when the condition turns True, Warning otherwise), so
 * {@code kubectl describe} shows the history. Repeats of the same transition bump the Event's count instead of
 * adding Events. Best effort: an Event that cannot be written never fails the status write.
 */
final class ConditionEvents {
  private static final Logger log = LoggerFactory.getLogger(ConditionEvents.class);
  static final String COMPONENT = "aim-orchestrator";

  private final KubernetesClient client;
  private final Clock clock;

  ConditionEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void conditionTransitions(HasMetadata obj, List<Condition> before, List<Condition> after) {
    for (Condition c : after) {
      Condition old = before.stream().filter(b -> b.getType().equals(c.getType())).findFirst().orElse(null);
      if (old != null && Objects.equals(old.getStatus(), c.getStatus()) && Objects.equals(old.getReason(), c.getReason())) {
        continue;
      }
      if (old == null && "True".equals(c.getStatus()) && !"Ready".equals(c.getType())) {
        // A component that is fine from the start is not news; its failures and recoveries are.
        continue;
      }
      record(obj, "True".equals(c.getStatus()) ? "Normal" : "Warning", c.getReason(), c.getType() + ": " + c.getMessage());
    }
  }

  void record(HasMetadata obj, String type, String reason, String message) {
    String ns = obj.getMetadata().getNamespace() == null ? "default" : obj.getMetadata().getNamespace();
    String name = obj.getMetadata().getName() + "." + hash(obj.getMetadata().getUid() + "|" + type + "|" + reason + "|" + message);
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      Event existing = client.v1().events().inNamespace(ns).withName(name).get();
      if (existing != null) {
        existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
        existing.setLastTimestamp(now);
        client.resource(existing).update();
        return;
      }
      client
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(obj.getApiVersion())
                  .withKind(obj.getKind())
                  .withName(obj.getMetadata().getName())
                  .withNamespace(obj.getMetadata().getNamespace())
                  .withUid(obj.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      log.debug("could not record event {} on {}: {}", reason, obj.getMetadata().getName(), e.getMessage());
    }
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
