package aim.orchestrator.activities.impl;

import aim.orchestrator.discovery.DiscoveryJobManifest;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installation-wide limit on running discovery Jobs (spec §3.4: at most 10), however many worker processes
 * run.
 *
 * <p>Kubernetes itself is the shared state: a worker takes the Lease {@code aim-discovery-lock} in the operator
 * namespace (an optimistic-concurrency update, so two workers can never both hold it), counts the discovery Jobs
 * that have not finished across all namespaces, creates its Job only when fewer than the limit run, and gives the
 * Lease back. A worker that finds the Lease held, or the limit reached, reports {@link Outcome#WAIT}; the template
 * workflow simply tries again on its next pass — a poll, not a queue that every template funnels through. A Lease
 * left behind by a crashed worker expires after 30 s.
 */
final class DiscoverySlots {
  static final String LEASE_NAME = "aim-discovery-lock";
  static final int LEASE_SECONDS = 30;
  static final int DEFAULT_LIMIT = 10;

  private static final Logger log = LoggerFactory.getLogger(DiscoverySlots.class);

  /** What {@link #tryCreate} did. */
  enum Outcome {
    CREATED,
    ALREADY_EXISTS,
    WAIT
  }

  /** The outcome, with the number of running discovery Jobs when it was counted (-1 when not counted). */
  record Result(Outcome outcome, int running, String reason) {}

  private final KubernetesClient client;
  private final String namespace;
  private final int limit;
  private final Clock clock;
  /** This worker process; each acquisition adds its own suffix, so two activities of one worker exclude each other too. */
  private final String worker = "aim-worker-" + UUID.randomUUID();

  DiscoverySlots(KubernetesClient client, String operatorNamespace, int limit, Clock clock) {
    this.client = client;
    this.namespace = operatorNamespace;
    this.limit = limit;
    this.clock = clock;
  }

  /** Creates {@code job} if a slot is free; never exceeds the limit, whoever else is creating at the same time. */
  Result tryCreate(Job job) {
    Lease held = acquire();
    if (held == null) {
      return new Result(Outcome.WAIT, -1, "another worker is starting a discovery Job");
    }
    try {
      var existing =
          client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName()).get();
      if (existing != null) {
        return new Result(Outcome.ALREADY_EXISTS, -1, "exists");
      }
      int running = running();
      if (running >= limit) {
        return new Result(
            Outcome.WAIT, running, running + " discovery Jobs are running across the installation (limit " + limit + ")");
      }
      try {
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return new Result(Outcome.ALREADY_EXISTS, running, "exists");
        }
        throw e;
      }
      return new Result(Outcome.CREATED, running + 1, "created");
    } finally {
      release(held);
    }
  }

  /** Discovery Jobs that have neither completed nor failed, in every namespace. */
  int running() {
    return (int)
        client.batch().v1().jobs().inAnyNamespace().withLabel("app.kubernetes.io/name", DiscoveryJobManifest.APP_NAME).list().getItems().stream()
            .filter(j -> !finished(j))
            .count();
  }

  static boolean finished(Job job) {
    var status = job.getStatus();
    if (status == null) {
      return false;
    }
    if (status.getConditions() != null) {
      for (var c : status.getConditions()) {
        if (("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Takes the Lease for one acquisition, or returns null when anyone else holds it — another worker, or another
   * activity of this worker (each acquisition has its own identity) — or won the race for it.
   */
  Lease acquire() {
    return acquire(worker + "/" + UUID.randomUUID());
  }

  private Lease acquire(String identity) {
    var leases = client.leases().inNamespace(namespace);
    Lease current = leases.withName(LEASE_NAME).get();
    Instant now = clock.instant();
    ZonedDateTime stamp = ZonedDateTime.ofInstant(now.truncatedTo(ChronoUnit.MICROS), java.time.ZoneOffset.UTC);
    try {
      if (current == null) {
        Lease fresh =
            new LeaseBuilder()
                .withNewMetadata()
                .withName(LEASE_NAME)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(identity)
                .withLeaseDurationSeconds(LEASE_SECONDS)
                .withAcquireTime(stamp)
                .withRenewTime(stamp)
                .endSpec()
                .build();
        return leases.resource(fresh).create();
      }
      var spec = current.getSpec();
      String holder = spec == null ? null : spec.getHolderIdentity();
      if (holder != null && !holder.isEmpty() && !holder.equals(identity) && !expired(spec.getRenewTime(), spec.getLeaseDurationSeconds(), now)) {
        return null;
      }
      if (holder != null && !holder.isEmpty() && !holder.equals(identity)) {
        log.info("discovery lock held by {} expired; taking it over", holder);
      }
      current.getSpec().setHolderIdentity(identity);
      current.getSpec().setLeaseDurationSeconds(LEASE_SECONDS);
      current.getSpec().setAcquireTime(stamp);
      current.getSpec().setRenewTime(stamp);
      // update() sends the resourceVersion we read: a concurrent taker makes this fail with 409.
      return leases.resource(current).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return null;
      }
      throw e;
    }
  }

  void release(Lease held) {
    try {
      held.getSpec().setHolderIdentity(null);
      held.getSpec().setLeaseDurationSeconds(null);
      held.getSpec().setRenewTime(null);
      held.getSpec().setAcquireTime(null);
      client.leases().inNamespace(namespace).resource(held).update();
    } catch (KubernetesClientException e) {
      // Lost the Lease meanwhile (it expired and was taken): nothing to give back; it expires in any case.
      log.debug("could not release the discovery lock: {}", e.getMessage());
    }
  }

  private static boolean expired(ZonedDateTime renewTime, Integer seconds, Instant now) {
    if (renewTime == null) {
      return true;
    }
    return renewTime.toInstant().plusSeconds(seconds == null ? LEASE_SECONDS : seconds).isBefore(now);
  }
}
