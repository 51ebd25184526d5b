package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Plays KServe's KEDA integration and KEDA itself for InferenceServices annotated {@value
 * #AUTOSCALER_CLASS}{@code : keda}.
 *
 * <p>KServe's part: a ScaledObject {@code <isvc>-predictor} (owned by the InferenceService, with
 * its labels) with {@code minReplicaCount}/{@code maxReplicaCount} from {@code
 * spec.predictor.minReplicas}/{@code maxReplicas} (default 1; max never below min), {@code
 * scaleTargetRef.name <isvc>-predictor} and one trigger per {@code
 * spec.predictor.autoScaling.metrics[]} entry, converted as KServe does:
 *
 * <ul>
 *   <li>{@code Resource} (cpu/memory) ⇒ trigger type {@code cpu}/{@code memory}, {@code metricType}
 *       from the target type, {@code metadata.value};
 *   <li>{@code External} (prometheus, graphite…) ⇒ trigger type = backend, {@code metadata} {@code
 *       serverAddress}, {@code query}, {@code threshold};
 *   <li>{@code PodMetric} with backend {@code opentelemetry} ⇒ trigger type {@code external} for
 *       the kedify OTel add-on's external scaler: {@code metadata.scalerAddress} (the metric's
 *       {@code serverAddress}, default {@value #OTEL_SCALER}), {@code metricQuery} {@code
 *       sum(<query>{namespace="<ns>", deployment="<isvc>-predictor"})}, {@code targetValue} and
 *       {@code operationOverTime}.
 * </ul>
 *
 * <p>KEDA's part: the ScaledObject's status, and an autoscaling/v2 HorizontalPodAutoscaler {@code
 * keda-hpa-<isvc>-predictor} owned by the ScaledObject, carrying its labels plus KEDA's own, with
 * the same min/max, one metric per trigger, {@code currentReplicas = desiredReplicas = min} and the
 * conditions a real HPA shows: {@code AbleToScale=True ReadyForNewScale}; {@code ScalingActive}
 * False {@code FailedGetExternalMetric} (or {@code FailedGetResourceMetric}) until the
 * InferenceService is Ready, then True {@code ValidMetricFound}; {@code ScalingLimited} False
 * {@code DesiredWithinRange} while there is no metric, then True {@code TooFewReplicas} (an idle
 * simulated service recommends 0 replicas, which the minimum overrides). A ScaledObject without
 * triggers, which real KEDA rejects, still gets an HPA here so that autoscaled services can run in
 * dev mode.
 *
 * <p>Any other autoscaler class removes the ScaledObject and HPA the simulator made. Changes of
 * {@code minReplicas}/{@code maxReplicas}/metrics propagate to both.
 */
final class KedaController extends SimulatedController<GenericKubernetesResource> {

  static final String AUTOSCALER_CLASS = "serving.kserve.io/autoscalerClass";
  static final String SCALED_OBJECT_LABEL = "scaledobject.keda.sh/name";
  static final String SERVICE_LABEL = "aim.eai.amd.com/service";

  /** Default endpoint of the kedify OTel add-on's external scaler (KServe's default). */
  static final String OTEL_SCALER = "keda-otel-scaler.keda.svc:4318";

  /** KEDA's ScaledObject, addressed without discovery, like the InferenceService. */
  static final ResourceDefinitionContext SCALED_OBJECTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("keda.sh")
          .withVersion("v1alpha1")
          .withKind("ScaledObject")
          .withPlural("scaledobjects")
          .withNamespaced(true)
          .build();

  private static final String KEDA_VERSION = "2.16.0";

  private KedaController(KubernetesClient client, Duration reactionDelay) {
    super("keda", client, reactionDelay);
  }

  /**
   * Follows {@code kserve}'s watch on InferenceServices: every change (spec, annotation, readiness)
   * may matter to the ScaledObject or the HPA, and the reconcile is cheap and idempotent.
   */
  KedaController(
      KubernetesClient client, Duration reactionDelay, InferenceServiceController kserve) {
    this(client, reactionDelay);
    kserve.addFollower((namespace, name) -> enqueue(namespace, name, reactionDelay));
  }

  @Override
  protected SharedIndexInformer<GenericKubernetesResource> newInformer() {
    // Fed by the KServe simulation's watch, see the constructor.
    return null;
  }

  @Override
  protected boolean needsWork(GenericKubernetesResource isvc) {
    return !SimSupport.isDeleting(isvc);
  }

  static String scaledObjectName(String isvc) {
    return isvc + "-predictor";
  }

  static String hpaName(String isvc) {
    return "keda-hpa-" + scaledObjectName(isvc);
  }

  @Override
  protected void reconcile(String namespace, String name) {
    GenericKubernetesResource isvc =
        client
            .genericKubernetesResources(InferenceServiceController.CONTEXT)
            .inNamespace(namespace)
            .withName(name)
            .get();
    if (isvc == null || SimSupport.isDeleting(isvc)) {
      return;
    }
    String autoscaler =
        isvc.getMetadata().getAnnotations() == null
            ? null
            : isvc.getMetadata().getAnnotations().get(AUTOSCALER_CLASS);
    if (!"keda".equals(autoscaler)) {
      removeOurs(namespace, name);
      return;
    }
    GenericKubernetesResource scaledObject = ensureScaledObject(isvc);
    ensureHpa(isvc, scaledObject);
  }

  // ---------------------------------------------------------------- KServe: the ScaledObject

  private GenericKubernetesResource ensureScaledObject(GenericKubernetesResource isvc) {
    String namespace = isvc.getMetadata().getNamespace();
    String soName = scaledObjectName(isvc.getMetadata().getName());
    var scaledObjects = client.genericKubernetesResources(SCALED_OBJECTS).inNamespace(namespace);
    Map<String, Object> predictor = SimJson.asMap(isvc.get("spec", "predictor"));
    int min = minReplicas(predictor);
    int max = Math.max(min, intOr(predictor.get("maxReplicas"), min));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("scaleTargetRef", Map.of("name", soName));
    spec.put("minReplicaCount", min);
    spec.put("maxReplicaCount", max);
    spec.put("triggers", triggers(isvc, predictor));
    Map<String, String> labels = new LinkedHashMap<>(labelsOf(isvc));
    labels.put(InferenceServiceController.ISVC_LABEL, isvc.getMetadata().getName());
    labels.put("component", "predictor");
    labels.put(SCALED_OBJECT_LABEL, soName);
    labels.put(SimSupport.SIMULATED_LABEL, "true");
    OwnerReference owner = SimSupport.controllerRef(isvc);

    GenericKubernetesResource current = scaledObjects.withName(soName).get();
    if (current == null) {
      GenericKubernetesResource so = new GenericKubernetesResource();
      so.setApiVersion("keda.sh/v1alpha1");
      so.setKind("ScaledObject");
      so.setMetadata(
          new ObjectMetaBuilder()
              .withName(soName)
              .withNamespace(namespace)
              .withLabels(labels)
              .withOwnerReferences(owner)
              .build());
      so.setAdditionalProperty("spec", spec);
      current =
          createOrGet(
              () -> scaledObjects.resource(so).create(), scaledObjects.withName(soName)::get);
      log.info(
          "created ScaledObject {}/{} (min {}, max {}, {} trigger(s)) for InferenceService {}",
          namespace,
          soName,
          min,
          max,
          ((List<?>) spec.get("triggers")).size(),
          isvc.getMetadata().getName());
    } else if (!SimJson.same(client, spec, current.get("spec"))
        || !Objects.equals(labels, current.getMetadata().getLabels())
        || !Objects.equals(List.of(owner), current.getMetadata().getOwnerReferences())) {
      current.setAdditionalProperty("spec", spec);
      current.getMetadata().setLabels(labels);
      current.getMetadata().setOwnerReferences(new ArrayList<>(List.of(owner)));
      current = scaledObjects.resource(current).update();
      log.info("updated ScaledObject {}/{} (min {}, max {})", namespace, soName, min, max);
    }
    writeScaledObjectStatus(current, isvc, min);
    return scaledObjects.withName(soName).get();
  }

  /** KServe's conversion of {@code autoScaling.metrics[]} into KEDA triggers. */
  private static List<Map<String, Object>> triggers(
      GenericKubernetesResource isvc, Map<String, Object> predictor) {
    List<Map<String, Object>> triggers = new ArrayList<>();
    String deployment = scaledObjectName(isvc.getMetadata().getName());
    for (Map<String, Object> metric :
        SimJson.asMaps(SimJson.asMap(predictor.get("autoScaling")).get("metrics"))) {
      String type = SimJson.text(metric.get("type")).orElse("");
      Map<String, Object> trigger = new LinkedHashMap<>();
      Map<String, Object> metadata = new LinkedHashMap<>();
      switch (type) {
        case "Resource" -> {
          Map<String, Object> resource = SimJson.asMap(metric.get("resource"));
          Map<String, Object> target = SimJson.asMap(resource.get("target"));
          String targetType = SimJson.text(target.get("type")).orElse("Utilization");
          trigger.put("type", SimJson.text(resource.get("name")).orElse("cpu"));
          trigger.put("metricType", targetType);
          String value =
              switch (targetType) {
                case "AverageValue" -> SimJson.text(target.get("averageValue")).orElse("0");
                case "Value" -> SimJson.text(target.get("value")).orElse("0");
                default -> SimJson.text(target.get("averageUtilization")).orElse("80");
              };
          metadata.put("value", value);
        }
        case "External" -> {
          Map<String, Object> external = SimJson.asMap(metric.get("external"));
          Map<String, Object> source = SimJson.asMap(external.get("metric"));
          trigger.put("type", SimJson.text(source.get("backend")).orElse("prometheus"));
          metadata.put("serverAddress", SimJson.text(source.get("serverAddress")).orElse(""));
          metadata.put("query", SimJson.text(source.get("query")).orElse(""));
          metadata.put("threshold", decimal(SimJson.asMap(external.get("target")).get("value")));
          SimJson.text(source.get("namespace")).ifPresent(ns -> metadata.put("namespace", ns));
        }
        case "PodMetric" -> {
          // KServe's JSON name is "podmetric"; accept the camel-case spelling too.
          Map<String, Object> pod =
              SimJson.asMap(
                  metric.get("podmetric") != null
                      ? metric.get("podmetric")
                      : metric.get("podMetric"));
          Map<String, Object> source = SimJson.asMap(pod.get("metric"));
          String backend = SimJson.text(source.get("backend")).orElse("opentelemetry");
          trigger.put("type", "opentelemetry".equals(backend) ? "external" : backend);
          metadata.put(
              "scalerAddress", SimJson.text(source.get("serverAddress")).orElse(OTEL_SCALER));
          metadata.put(
              "metricQuery",
              "sum("
                  + SimJson.text(source.get("query")).orElse("")
                  + "{namespace=\""
                  + isvc.getMetadata().getNamespace()
                  + "\", deployment=\""
                  + deployment
                  + "\"})");
          metadata.put("targetValue", decimal(SimJson.asMap(pod.get("target")).get("value")));
          SimJson.text(source.get("operationOverTime"))
              .ifPresent(op -> metadata.put("operationOverTime", op));
        }
        default -> {
          continue;
        }
      }
      trigger.put("metadata", metadata);
      triggers.add(trigger);
    }
    return triggers;
  }

  /** KServe writes thresholds as {@code %f} of the quantity ("1" ⇒ "1.000000"). */
  private static String decimal(Object value) {
    String text = SimJson.text(value).orElse("0");
    try {
      double d = Quantity.getAmountInBytes(new Quantity(text)).doubleValue();
      return String.format(Locale.ROOT, "%f", d);
    } catch (RuntimeException e) {
      return text;
    }
  }

  private void writeScaledObjectStatus(
      GenericKubernetesResource so, GenericKubernetesResource isvc, int min) {
    var scaledObjects =
        client
            .genericKubernetesResources(SCALED_OBJECTS)
            .inNamespace(so.getMetadata().getNamespace());
    String soName = so.getMetadata().getName();
    SimSupport.writeStatus(
        () -> scaledObjects.withName(soName).get(),
        fresh -> {
          Map<String, Object> old = SimJson.asMap(fresh.get("status"));
          Object oldConditions = old.get("conditions");
          String now = SimSupport.now();
          Map<String, Object> status = new LinkedHashMap<>(old);
          status.put("scaleTargetKind", "apps/v1.Deployment");
          status.put(
              "scaleTargetGVKR",
              Map.of(
                  "group",
                  "apps",
                  "version",
                  "v1",
                  "kind",
                  "Deployment",
                  "resource",
                  "deployments"));
          status.putIfAbsent("originalReplicaCount", min);
          List<String> external = new ArrayList<>();
          List<String> resource = new ArrayList<>();
          List<Map<String, Object>> triggers =
              SimJson.asMaps(SimJson.asMap(fresh.get("spec")).get("triggers"));
          for (int i = 0; i < triggers.size(); i++) {
            String type = String.valueOf(triggers.get(i).get("type"));
            if (isResourceTrigger(type)) {
              resource.add(type);
            } else {
              external.add(metricName(i, triggers.get(i)));
            }
          }
          status.put("externalMetricNames", external);
          status.put("resourceMetricNames", resource);
          status.put("hpaName", hpaName(isvc.getMetadata().getName()));
          status.put(
              "conditions",
              List.of(
                  soCondition(
                      oldConditions,
                      "Ready",
                      "True",
                      "ScaledObjectReady",
                      "ScaledObject is defined correctly and is ready for scaling",
                      now),
                  soCondition(
                      oldConditions,
                      "Active",
                      "False",
                      "ScalerNotActive",
                      "Scaling is not performed because triggers are not active",
                      now),
                  soCondition(
                      oldConditions,
                      "Fallback",
                      "False",
                      "NoFallbackFound",
                      "No fallbacks are active on this scaled object",
                      now)));
          if (SimJson.same(client, status, fresh.get("status"))) {
            return false;
          }
          fresh.setAdditionalProperty("status", status);
          return true;
        },
        fresh -> scaledObjects.resource(fresh));
  }

  private static Map<String, Object> soCondition(
      Object old, String type, String status, String reason, String message, String now) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", type);
    c.put("status", status);
    c.put("reason", reason);
    c.put("message", message);
    c.put("lastTransitionTime", SimJson.since(old, type, status, now));
    return c;
  }

  private static boolean isResourceTrigger(String type) {
    return "cpu".equals(type) || "memory".equals(type);
  }

  /** KEDA's external metric name: {@code s<index>-<name>}, normalised like KEDA does. */
  private static String metricName(int index, Map<String, Object> trigger) {
    Map<String, Object> metadata = SimJson.asMap(trigger.get("metadata"));
    String raw =
        SimJson.text(metadata.get("query"))
            .or(() -> SimJson.text(metadata.get("metricQuery")))
            .orElse(String.valueOf(trigger.get("type")));
    // The OTel query is wrapped in sum(…{labels}); its metric is the interesting part.
    int brace = raw.indexOf('{');
    if (raw.startsWith("sum(") && brace > 4) {
      raw = raw.substring(4, brace);
    }
    String normalised = raw.replaceAll("[/.:%]", "-").replaceAll("[^A-Za-z0-9_-]", "");
    return "s" + index + "-" + (normalised.isEmpty() ? trigger.get("type") : normalised);
  }

  // ---------------------------------------------------------------- KEDA: the HPA

  private void ensureHpa(GenericKubernetesResource isvc, GenericKubernetesResource so) {
    if (so == null) {
      return;
    }
    String namespace = isvc.getMetadata().getNamespace();
    String soName = so.getMetadata().getName();
    String name = hpaName(isvc.getMetadata().getName());
    var hpas = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace);
    Map<String, Object> soSpec = SimJson.asMap(so.get("spec"));
    int min = intOr(soSpec.get("minReplicaCount"), 1);
    int max = intOr(soSpec.get("maxReplicaCount"), min);
    List<Map<String, Object>> triggers = SimJson.asMaps(soSpec.get("triggers"));
    List<MetricSpec> metrics = new ArrayList<>();
    for (int i = 0; i < triggers.size(); i++) {
      metrics.add(metricSpec(i, triggers.get(i), soName));
    }
    Map<String, String> labels = new LinkedHashMap<>(labelsOf(so));
    labels.put("app.kubernetes.io/managed-by", "keda-operator");
    labels.put("app.kubernetes.io/name", name);
    labels.put("app.kubernetes.io/part-of", soName);
    labels.put("app.kubernetes.io/version", KEDA_VERSION);
    labels.put(SCALED_OBJECT_LABEL, soName);
    labelsOf(isvc).entrySet().stream()
        .filter(e -> e.getKey().equals(SERVICE_LABEL))
        .forEach(e -> labels.put(e.getKey(), e.getValue()));
    labels.put(SimSupport.SIMULATED_LABEL, "true");
    OwnerReference owner = SimSupport.controllerRef(so);

    HorizontalPodAutoscaler desired =
        new HorizontalPodAutoscalerBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(name)
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .withOwnerReferences(owner)
                    .build())
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName(
                SimJson.text(SimJson.asMap(soSpec.get("scaleTargetRef")).get("name"))
                    .orElse(soName))
            .endScaleTargetRef()
            .withMinReplicas(min)
            .withMaxReplicas(max)
            .withMetrics(metrics)
            .endSpec()
            .build();
    HorizontalPodAutoscaler current = hpas.withName(name).get();
    if (current == null) {
      current = createOrGet(() -> hpas.resource(desired).create(), hpas.withName(name)::get);
      log.info(
          "created HorizontalPodAutoscaler {}/{} (min {}, max {}) for ScaledObject {}",
          namespace,
          name,
          min,
          max,
          soName);
    } else if (!SimJson.same(client, desired.getSpec(), current.getSpec())
        || !Objects.equals(labels, current.getMetadata().getLabels())
        || !Objects.equals(List.of(owner), current.getMetadata().getOwnerReferences())) {
      current.setSpec(desired.getSpec());
      current.getMetadata().setLabels(labels);
      current.getMetadata().setOwnerReferences(new ArrayList<>(List.of(owner)));
      current = hpas.resource(current).update();
      log.info("updated HorizontalPodAutoscaler {}/{} (min {}, max {})", namespace, name, min, max);
    }
    boolean metricsAvailable = isReady(isvc);
    boolean resourceOnly =
        !triggers.isEmpty()
            && triggers.stream().allMatch(t -> isResourceTrigger(String.valueOf(t.get("type"))));
    var result =
        SimSupport.writeStatus(
            () -> hpas.withName(name).get(),
            fresh -> {
              HorizontalPodAutoscalerStatus status =
                  hpaStatus(fresh, min, metricsAvailable, resourceOnly);
              if (SimJson.same(client, status, fresh.getStatus())) {
                return false;
              }
              fresh.setStatus(status);
              return true;
            },
            fresh -> hpas.resource(fresh));
    if (result.written()) {
      log.info(
          "HorizontalPodAutoscaler {}/{}: {} replica(s), ScalingActive={}",
          namespace,
          name,
          min,
          metricsAvailable);
    }
  }

  private static MetricSpec metricSpec(int index, Map<String, Object> trigger, String soName) {
    String type = String.valueOf(trigger.get("type"));
    Map<String, Object> metadata = SimJson.asMap(trigger.get("metadata"));
    if (isResourceTrigger(type)) {
      String metricType = SimJson.text(trigger.get("metricType")).orElse("Utilization");
      String value = SimJson.text(metadata.get("value")).orElse("0");
      MetricTarget target = new MetricTarget();
      target.setType(metricType);
      if ("Utilization".equals(metricType)) {
        target.setAverageUtilization(intOr(value, 80));
      } else if ("Value".equals(metricType)) {
        target.setValue(new Quantity(value));
      } else {
        target.setAverageValue(new Quantity(value));
      }
      return new MetricSpecBuilder()
          .withType("Resource")
          .withNewResource()
          .withName(type)
          .withTarget(target)
          .endResource()
          .build();
    }
    String threshold =
        SimJson.text(metadata.get("targetValue"))
            .or(() -> SimJson.text(metadata.get("threshold")))
            .orElse("1");
    return new MetricSpecBuilder()
        .withType("External")
        .withNewExternal()
        .withNewMetric()
        .withName(metricName(index, trigger))
        .withNewSelector()
        .addToMatchLabels(SCALED_OBJECT_LABEL, soName)
        .endSelector()
        .endMetric()
        .withNewTarget()
        .withType("AverageValue")
        .withAverageValue(quantity(threshold))
        .endTarget()
        .endExternal()
        .build();
  }

  /** "1.000000" ⇒ 1, "0.500000" ⇒ 500m: the canonical form a real API server would store. */
  private static Quantity quantity(String decimal) {
    try {
      BigDecimal d = new BigDecimal(decimal).stripTrailingZeros();
      if (d.scale() <= 0) {
        return new Quantity(d.toBigInteger().toString());
      }
      return new Quantity(d.movePointRight(3).stripTrailingZeros().toPlainString() + "m");
    } catch (NumberFormatException e) {
      return new Quantity(decimal);
    }
  }

  private static HorizontalPodAutoscalerStatus hpaStatus(
      HorizontalPodAutoscaler hpa, int min, boolean metricsAvailable, boolean resourceOnly) {
    List<HorizontalPodAutoscalerCondition> old =
        hpa.getStatus() == null || hpa.getStatus().getConditions() == null
            ? List.of()
            : hpa.getStatus().getConditions();
    String now = SimSupport.now();
    List<HorizontalPodAutoscalerCondition> conditions = new ArrayList<>();
    conditions.add(
        hpaCondition(
            old,
            "AbleToScale",
            "True",
            "ReadyForNewScale",
            "recommended size matches current size",
            now));
    if (metricsAvailable) {
      conditions.add(
          hpaCondition(
              old,
              "ScalingActive",
              "True",
              "ValidMetricFound",
              "the HPA was able to successfully calculate a replica count from "
                  + (resourceOnly ? "resource metrics" : "external metrics")
                  + " (simulated: idle)",
              now));
      conditions.add(
          hpaCondition(
              old,
              "ScalingLimited",
              "True",
              "TooFewReplicas",
              "the desired replica count is less than the minimum replica count",
              now));
    } else {
      conditions.add(
          hpaCondition(
              old,
              "ScalingActive",
              "False",
              resourceOnly ? "FailedGetResourceMetric" : "FailedGetExternalMetric",
              "the HPA was unable to compute the replica count: no metrics returned yet (the"
                  + " InferenceService is not Ready)",
              now));
      conditions.add(
          hpaCondition(
              old,
              "ScalingLimited",
              "False",
              "DesiredWithinRange",
              "the desired count is within the acceptable range",
              now));
    }
    HorizontalPodAutoscalerStatus status = new HorizontalPodAutoscalerStatus();
    status.setCurrentReplicas(min);
    status.setDesiredReplicas(min);
    status.setConditions(conditions);
    status.setObservedGeneration(hpa.getMetadata().getGeneration());
    return status;
  }

  private static HorizontalPodAutoscalerCondition hpaCondition(
      List<HorizontalPodAutoscalerCondition> old,
      String type,
      String status,
      String reason,
      String message,
      String now) {
    String since =
        old.stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
            .map(HorizontalPodAutoscalerCondition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now);
    return new HorizontalPodAutoscalerConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since)
        .build();
  }

  // ---------------------------------------------------------------- autoscaler class != keda

  private void removeOurs(String namespace, String isvc) {
    var hpas = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace);
    HorizontalPodAutoscaler hpa = hpas.withName(hpaName(isvc)).get();
    if (hpa != null && simulated(hpa.getMetadata())) {
      hpas.resource(hpa).delete();
      log.info(
          "deleted HorizontalPodAutoscaler {}/{}: autoscaler class is not keda",
          namespace,
          hpaName(isvc));
    }
    var scaledObjects = client.genericKubernetesResources(SCALED_OBJECTS).inNamespace(namespace);
    GenericKubernetesResource so = scaledObjects.withName(scaledObjectName(isvc)).get();
    if (so != null && simulated(so.getMetadata())) {
      scaledObjects.resource(so).delete();
      log.info(
          "deleted ScaledObject {}/{}: autoscaler class is not keda",
          namespace,
          scaledObjectName(isvc));
    }
  }

  private static boolean simulated(ObjectMeta meta) {
    return meta.getLabels() != null
        && "true".equals(meta.getLabels().get(SimSupport.SIMULATED_LABEL));
  }

  // ---------------------------------------------------------------- helpers

  private static <T> T createOrGet(Supplier<T> create, Supplier<T> get) {
    try {
      return create.get();
    } catch (KubernetesClientException e) {
      // Created meanwhile (e.g. by a previous attempt whose response was lost): use that one.
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return Optional.ofNullable(get.get()).orElseThrow(() -> e);
    }
  }

  private static Map<String, String> labelsOf(HasMetadata obj) {
    return obj.getMetadata().getLabels() == null ? Map.of() : obj.getMetadata().getLabels();
  }

  private static int minReplicas(Map<String, Object> predictor) {
    return Math.max(0, intOr(predictor.get("minReplicas"), 1));
  }

  private static int intOr(Object value, int fallback) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return value == null ? fallback : Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static boolean isReady(GenericKubernetesResource isvc) {
    return SimJson.asMaps(isvc.get("status", "conditions")).stream()
        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
  }
}
