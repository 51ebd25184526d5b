package aim.orchestrator.starter.api;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.starter.api.KubernetesAuth.Question;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TokenReview and SubjectAccessReview answers are reused for a short time, never for longer. */
class KubernetesAuthTest {
  private final FakeReviews reviews = new FakeReviews();
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    reviews.install(server);
    reviews.reset();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void reusesAnswersForTheConfiguredTime() {
    KubernetesAuth auth = new KubernetesAuth(client, new ApiProperties(true, Duration.ofSeconds(30), "", Duration.ofSeconds(3)));

    Caller admin = auth.authenticate(FakeReviews.ADMIN_TOKEN).orElseThrow();
    assertThat(auth.authenticate(FakeReviews.ADMIN_TOKEN)).contains(admin);
    assertThat(auth.authenticate("unknown")).isEmpty();
    assertThat(auth.authenticate("unknown")).isEmpty();
    Question q = new Question("get", "aimservices", "ml", "chat");
    assertThat(auth.authorize(admin, q).allowed()).isTrue();
    assertThat(auth.authorize(admin, q).allowed()).isTrue();
    assertThat(auth.authorize(admin, new Question("delete", "aimservices", "ml", "chat")).allowed()).isTrue();

    assertThat(reviews.tokenReviews).hasSize(2);
    assertThat(reviews.accessReviews).hasSize(2);
    assertThat(admin.username()).isEqualTo("admin");
  }

  @Test
  void cacheEntriesExpire() {
    AtomicInteger loads = new AtomicInteger();
    MutableClock clock = new MutableClock();
    ExpiringCache<String, Integer> cache = new ExpiringCache<>(Duration.ofSeconds(30), 2, clock);

    assertThat(cache.get("a", k -> loads.incrementAndGet())).isEqualTo(1);
    clock.now = clock.now.plusSeconds(29);
    assertThat(cache.get("a", k -> loads.incrementAndGet())).isEqualTo(1);
    clock.now = clock.now.plusSeconds(2);
    assertThat(cache.get("a", k -> loads.incrementAndGet())).isEqualTo(2);
    cache.get("b", k -> 0);
    cache.get("c", k -> 0);
    assertThat(cache.size()).isLessThanOrEqualTo(2);
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
