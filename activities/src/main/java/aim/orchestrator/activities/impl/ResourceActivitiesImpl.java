package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activities.kube.RuntimeConfigs;
import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.ResourceActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.StatusWrite;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.AimKinds;
import aim.orchestrator.workflow.ErrorTypes;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ResourceRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kind-independent steps: observe, finalizers, runtime config, status writes. */
public class ResourceActivitiesImpl implements ResourceActivities {
  private static final Logger log = LoggerFactory.getLogger(ResourceActivitiesImpl.class);

  private final Kube kube;
  private final RuntimeConfigs runtimeConfigs;
  private final Clock clock;
  private final KubernetesSerialization json;
  private final ConditionEvents events;

  public ResourceActivitiesImpl(Kube kube, Clock clock) {
    this.kube = kube;
    this.runtimeConfigs = new RuntimeConfigs(kube);
    this.clock = clock;
    this.json = kube.client().getKubernetesSerialization();
    this.events = new ConditionEvents(kube.client(), clock);
  }

  @Override
  public Observation observe(ResourceRef ref) {
    return Kube.call(
        () -> {
          HasMetadata obj = kube.get(ref);
          if (obj == null) {
            return Observation.gone();
          }
          var md = obj.getMetadata();
          boolean paused =
              md.getAnnotations() != null && "true".equals(md.getAnnotations().get(Aim.ANNOTATION_PAUSED));
          return new Observation(
              true,
              md.getUid(),
              md.getGeneration() == null ? 0 : md.getGeneration(),
              md.getDeletionTimestamp() != null,
              paused,
              md.getFinalizers() == null ? List.of() : List.copyOf(md.getFinalizers()),
              compensatedGeneration(obj));
        });
  }

  /** The {@code observedGeneration} of a {@code Compensated=True} condition, if the object has one. */
  private Long compensatedGeneration(HasMetadata obj) {
    for (JsonNode c : json.convertValue(obj, ObjectNode.class).path("status").path("conditions")) {
      if (Aim.CONDITION_COMPENSATED.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return c.hasNonNull("observedGeneration") ? c.get("observedGeneration").asLong() : null;
      }
    }
    return null;
  }

  @Override
  public boolean createIfAbsent(ResourceRef ref) {
    return Kube.call(
        () -> {
          if (kube.get(ref) != null) {
            return false;
          }
          Map<String, Object> metadata = new LinkedHashMap<>();
          metadata.put("name", ref.name());
          if (!ref.clusterScoped()) {
            metadata.put("namespace", ref.namespace());
          }
          if (ref.labels() != null && !ref.labels().isEmpty()) {
            metadata.put("labels", ref.labels());
          }
          Map<String, Object> manifest = new LinkedHashMap<>();
          manifest.put("apiVersion", Aim.API_VERSION);
          manifest.put("kind", ref.kind());
          manifest.put("metadata", metadata);
          manifest.put("spec", ref.spec());
          HasMetadata object;
          try {
            object = json.convertValue(manifest, AimKinds.byKind(ref.kind()));
          } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailure(
                "the spec is not a valid " + ref.kind() + " spec: " + e.getMessage(), ErrorTypes.InvalidSpec.name());
          }
          try {
            kube.client().resource(object).create();
          } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
              return false; // created concurrently (the watch bridge or a user): theirs wins
            }
            if (e.getCode() == 404) {
              // Only the namespace can be missing here; a retry will not create it.
              throw ApplicationFailure.newNonRetryableFailure(
                  Kube.shortMessage(e), ErrorTypes.ReferenceNotFound.name());
            }
            throw e;
          }
          log.info("{} created from a workflow input", ref);
          return true;
        });
  }

  @Override
  public void addFinalizer(ResourceRef ref, String finalizer) {
    Kube.run(
        () -> {
          HasMetadata obj = kube.current(ref, HasMetadata.class);
          if (obj.getMetadata().getFinalizers() != null && obj.getMetadata().getFinalizers().contains(finalizer)) {
            return;
          }
          kube.resource(ref)
              .edit(
                  o -> {
                    if (!o.getMetadata().getFinalizers().contains(finalizer)) {
                      o.getMetadata().getFinalizers().add(finalizer);
                    }
                    return o;
                  });
        });
  }

  @Override
  public void removeFinalizer(ResourceRef ref, String finalizer) {
    Kube.run(
        () -> {
          HasMetadata obj = kube.get(ref);
          if (obj == null
              || !Objects.equals(ref.uid(), obj.getMetadata().getUid())
              || obj.getMetadata().getFinalizers() == null
              || !obj.getMetadata().getFinalizers().contains(finalizer)) {
            return;
          }
          kube.resource(ref)
              .edit(
                  o -> {
                    o.getMetadata().getFinalizers().remove(finalizer);
                    return o;
                  });
        });
  }

  @Override
  public StageResult runtimeConfig(ResourceRef ref) {
    return Kube.stage(
        "RuntimeConfig",
        DependencyType.UPSTREAM,
        () -> {
          HasMetadata obj = kube.current(ref, HasMetadata.class);
          JsonNode spec = json.convertValue(obj, ObjectNode.class).path("spec");
          String name = spec.path("runtimeConfigName").asText("");
          RuntimeConfigs.Resolved rc = runtimeConfigs.resolve(name, ref.namespace());
          if (rc.missingButRequired()) {
            return StageResult.of(
                ComponentHealth.error(
                    "RuntimeConfig",
                    ErrorCategory.MISSING_UPSTREAM,
                    "ConfigNotFound",
                    "AIMRuntimeConfig or AIMClusterRuntimeConfig \"" + rc.name() + "\" not found",
                    DependencyType.UPSTREAM));
          }
          if (!rc.found()) {
            return StageResult.none();
          }
          // AIMArtifact's status has no resolvedRuntimeConfig field (as in the reference); the others do.
          Map<String, Object> fields =
              "AIMArtifact".equals(ref.kind()) ? Map.of() : Map.of("resolvedRuntimeConfig", rc.reference());
          return new StageResult(
              List.of(
                  ComponentHealth.ready(
                      "RuntimeConfig", "Resolved", "Using runtime config " + rc.name(), DependencyType.UPSTREAM)),
              fields,
              rc.reference(),
              null);
        });
  }

  /** JSON equality where numbers compare by value: 5 (int, from a workflow payload) equals 5 (long, stored). */
  static boolean sameJson(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(
        (x, y) -> x.isNumber() && y.isNumber() ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1,
        b);
  }

  @Override
  public boolean writeStatus(StatusWrite write) {
    return Kube.call(
        () -> {
          HasMetadata obj = kube.current(write.ref(), HasMetadata.class);
          ObjectNode node = json.convertValue(obj, ObjectNode.class);
          ObjectNode status = node.has("status") && node.get("status").isObject() ? (ObjectNode) node.get("status") : node.putObject("status");
          List<Condition> existing = new ArrayList<>();
          for (JsonNode c : status.path("conditions")) {
            existing.add(json.convertValue(c, Condition.class));
          }
          String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
          List<Condition> merged = Conditions.merge(existing, write.conditions(), write.observedGeneration(), now);
          boolean changed =
              !Conditions.sameContent(existing, merged)
                  || !write.status().equals(status.path("status").asText(null))
                  || status.path("observedGeneration").asLong(-1) != write.observedGeneration();
          for (var e : write.fields().entrySet()) {
            JsonNode value = e.getValue() == null ? null : json.convertValue(e.getValue(), JsonNode.class);
            if (!sameJson(value, status.get(e.getKey()))) {
              changed = true;
              if (value == null) {
                status.remove(e.getKey());
              } else {
                status.set(e.getKey(), value);
              }
            }
          }
          if (!changed) {
            return false;
          }
          status.put("status", write.status());
          status.put("observedGeneration", write.observedGeneration());
          status.set("conditions", json.convertValue(merged, JsonNode.class));
          HasMetadata updated = json.convertValue(node, obj.getClass());
          kube.client().resource(updated).updateStatus();
          log.info("{} status {} (generation {})", write.ref(), write.status(), write.observedGeneration());
          events.conditionTransitions(obj, existing, merged);
          return true;
        });
  }
}
