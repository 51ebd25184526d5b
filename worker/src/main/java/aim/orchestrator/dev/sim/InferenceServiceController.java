package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Plays KServe (RawDeployment mode) plus the Deployment controller and kubelet behind it: an
 * InferenceService gets running predictor Pods and a Ready status.
 *
 * <p>It reacts when an InferenceService appears, when its spec changes ({@code metadata.generation}
 * differs from {@code status.observedGeneration}) or when it is not Ready. A spec change is rolled
 * out like a new ReplicaSet: the predictor Pods carry a hash of {@code spec.predictor} in {@code
 * pod-template-hash} and Pods of an older hash are replaced. The number of Pods is {@code
 * spec.predictor.minReplicas} (default and minimum 1). Pods are owned directly by the
 * InferenceService (no Deployment/ReplicaSet objects). Objects being deleted are not touched.
 *
 * <p>A {@link PredictorGate} can hold the predictor back (unbound claims, unknown images, injected
 * failures): then the Pods show the problem, Events record it and the InferenceService reports
 * {@code Ready=False} with its reason until it goes away; Pods are brought to the state of the
 * moment, so a cleared problem turns them Running.
 */
final class InferenceServiceController extends SimulatedController<GenericKubernetesResource> {

  /** Group, version and plural of KServe's InferenceService; no discovery or CRD is needed. */
  static final ResourceDefinitionContext CONTEXT =
      new ResourceDefinitionContext.Builder()
          .withGroup("serving.kserve.io")
          .withVersion("v1beta1")
          .withKind("InferenceService")
          .withPlural("inferenceservices")
          .withNamespaced(true)
          .build();

  static final String ISVC_LABEL = "serving.kserve.io/inferenceservice";
  static final String POD_TEMPLATE_HASH = "pod-template-hash";
  static final List<String> READY_CONDITIONS = List.of("IngressReady", "PredictorReady", "Ready");

  private static final int DEFAULT_PORT = 8080;

  private final Supplier<String> nodePicker;
  private final PredictorGate gate;

  InferenceServiceController(
      KubernetesClient client,
      Duration reactionDelay,
      Supplier<String> nodePicker,
      PredictorGate gate) {
    super("kserve", client, reactionDelay);
    this.nodePicker = nodePicker;
    this.gate = gate;
  }

  @Override
  protected SharedIndexInformer<GenericKubernetesResource> newInformer() {
    return client.genericKubernetesResources(CONTEXT).inAnyNamespace().runnableInformer(0);
  }

  @Override
  protected boolean needsWork(GenericKubernetesResource isvc) {
    // An injection annotation may break a Ready predictor, so such objects are always looked at.
    return !SimSupport.isDeleting(isvc)
        && (!generationObserved(isvc) || !isReady(isvc) || PredictorGate.hasInjection(isvc));
  }

  private static boolean generationObserved(GenericKubernetesResource isvc) {
    Object observed = isvc.get("status", "observedGeneration");
    Long generation = isvc.getMetadata().getGeneration();
    if (observed == null || generation == null) {
      return observed == null && generation == null && isvc.get("status") != null;
    }
    return observed instanceof Number n && n.longValue() == generation;
  }

  private static boolean isReady(GenericKubernetesResource isvc) {
    Object conditions = isvc.get("status", "conditions");
    if (!(conditions instanceof List<?> list)) {
      return false;
    }
    return list.stream()
        .anyMatch(
            c ->
                c instanceof Map<?, ?> m
                    && "Ready".equals(m.get("type"))
                    && "True".equals(m.get("status")));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    var isvcs = client.genericKubernetesResources(CONTEXT).inNamespace(namespace);
    GenericKubernetesResource isvc = isvcs.withName(name).get();
    if (isvc == null || SimSupport.isDeleting(isvc)) {
      return;
    }
    boolean serving = generationObserved(isvc) && isReady(isvc);
    // Also asked when serving: relays enqueue serving objects whose owner gained an injection.
    Optional<PredictorBlocker> blocker = gate.check(isvc, serving);
    if (serving && blocker.isEmpty()) {
      return;
    }
    Map<String, Object> predictor = asMap(isvc.get("spec", "predictor"));
    int replicas = blocker.map(PredictorBlocker::hasPods).orElse(true) ? replicasOf(predictor) : 0;
    String revision =
        SimSupport.shortHash(client.getKubernetesSerialization().asJson(predictor), 10);
    List<Pod> pods = rollOut(isvc, predictor, replicas, revision, blocker);
    int running = pods.size();
    ensurePredictorService(isvc, predictor);
    if (blocker.isPresent()) {
      gate.recordEvents(isvc, blocker.get(), pods);
    }

    Long generation = isvc.getMetadata().getGeneration();
    var result =
        SimSupport.writeStatus(
            () -> isvcs.withName(name).get(),
            fresh -> {
              if (SimSupport.isDeleting(fresh)
                  || !Objects.equals(fresh.getMetadata().getGeneration(), generation)) {
                // Deleted meanwhile, or the spec moved on: the event for that change brings us
                // back.
                return false;
              }
              if (blocker.isPresent()) {
                Map<String, Object> status = blocker.get().isvcStatus(fresh, running);
                if (SimJson.same(client, status, fresh.get("status"))) {
                  return false;
                }
                fresh.setAdditionalProperty("status", status);
                return true;
              }
              if (generationObserved(fresh) && isReady(fresh)) {
                return false;
              }
              fresh.setAdditionalProperty("status", readyStatus(fresh, running));
              return true;
            },
            fresh -> isvcs.resource(fresh));
    if (result.written() && blocker.isPresent()) {
      log.info(
          "InferenceService {}/{} is not Ready (generation {}, {} predictor Pod(s)): {}",
          namespace,
          name,
          generation,
          running,
          blocker.get());
    } else if (result.written()) {
      log.info(
          "InferenceService {}/{} is Ready (generation {}, {} predictor Pod(s), revision {}, url"
              + " {})",
          namespace,
          name,
          generation,
          running,
          revision,
          url(namespace, name));
    }
  }

  /**
   * Makes the predictor Pods match the current revision and, when {@code blocker} is present, show
   * its problem (else run); returns the Pods.
   */
  private List<Pod> rollOut(
      GenericKubernetesResource isvc,
      Map<String, Object> predictor,
      int replicas,
      String revision,
      Optional<PredictorBlocker> blocker) {
    String namespace = isvc.getMetadata().getNamespace();
    String name = isvc.getMetadata().getName();
    String uid = isvc.getMetadata().getUid();
    var pods = client.pods().inNamespace(namespace);
    boolean schedulable = blocker.map(PredictorBlocker::scheduled).orElse(true);
    List<Pod> current = new ArrayList<>();
    for (Pod pod : pods.withLabel(ISVC_LABEL, name).list().getItems()) {
      boolean ours =
          pod.getMetadata().getOwnerReferences() != null
              && pod.getMetadata().getOwnerReferences().stream()
                  .anyMatch(o -> Objects.equals(o.getUid(), uid));
      boolean sameRevision = revision.equals(pod.getMetadata().getLabels().get(POD_TEMPLATE_HASH));
      if (SimSupport.isDeleting(pod)) {
        continue;
      }
      // A Pod on a node cannot be unscheduled: when Pods must not schedule, it is replaced.
      boolean placeable =
          schedulable || pod.getSpec() == null || pod.getSpec().getNodeName() == null;
      if (ours
          && sameRevision
          && placeable
          && !PodStatuses.isTerminal(pod)
          && current.size() < replicas) {
        current.add(bringTo(pod, blocker));
      } else {
        // An older revision, a surplus replica, or a leftover of an earlier InferenceService of
        // the same name (the mock server has no garbage collector).
        pods.resource(pod).delete();
        log.info(
            "InferenceService {}/{}: removed predictor Pod {}",
            namespace,
            name,
            pod.getMetadata().getName());
      }
    }
    for (int i = current.size(); i < replicas; i++) {
      Pod created = createPredictorPod(isvc, predictor, revision, blocker);
      current.add(created);
      log.info(
          "InferenceService {}/{}: predictor Pod {} {} on {}",
          namespace,
          name,
          created.getMetadata().getName(),
          created.getStatus().getPhase(),
          Objects.requireNonNullElse(created.getSpec().getNodeName(), "no node (unschedulable)"));
    }
    return current;
  }

  /**
   * Moves a kept Pod to the state of the moment, as scheduler and kubelet would: binds it to a node
   * if it now schedules, then rewrites its status if it shows another state.
   */
  private Pod bringTo(Pod pod, Optional<PredictorBlocker> blocker) {
    String wanted = blocker.map(PredictorBlocker::podState).orElse(PredictorBlocker.RUNNING_STATE);
    if (wanted.equals(PredictorBlocker.stateOf(pod))) {
      return pod;
    }
    var pods = client.pods().inNamespace(pod.getMetadata().getNamespace());
    String podName = pod.getMetadata().getName();
    boolean scheduled = blocker.map(PredictorBlocker::scheduled).orElse(true);
    Pod current = pod;
    if (scheduled && pod.getSpec().getNodeName() == null) {
      String node = nodePicker.get();
      current =
          pods.withName(podName)
              .edit(
                  p -> {
                    p.getSpec().setNodeName(node);
                    return p;
                  });
    }
    var result =
        SimSupport.writeStatus(
            () -> pods.withName(podName).get(),
            p -> {
              if (wanted.equals(PredictorBlocker.stateOf(p))) {
                return false;
              }
              p.setStatus(
                  blocker.isPresent()
                      ? blocker.get().podStatus(p)
                      : PodStatuses.running(p, PodStatuses.nextPodIp()));
              return true;
            },
            p -> pods.resource(p));
    if (result.written()) {
      log.info(
          "predictor Pod {}/{} is now {}",
          pod.getMetadata().getNamespace(),
          podName,
          blocker.map(PredictorBlocker::reason).orElse(PodStatuses.RUNNING));
    }
    return result.object() == null ? current : result.object();
  }

  private Pod createPredictorPod(
      GenericKubernetesResource isvc,
      Map<String, Object> predictor,
      String revision,
      Optional<PredictorBlocker> blocker) {
    String name = isvc.getMetadata().getName();
    // KServe's predictor spec inlines the PodSpec fields next to its own (minReplicas, model…);
    // the latter end up as unknown properties here and are dropped.
    PodSpec spec = client.getKubernetesSerialization().convertValue(predictor, PodSpec.class);
    spec.getAdditionalProperties().clear();
    if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
      spec.setContainers(
          new ArrayList<>(
              List.of(
                  new ContainerBuilder()
                      .withName("kserve-container")
                      .withImage("dev.aim/simulated-model-server")
                      .build())));
    }
    boolean scheduled = blocker.map(PredictorBlocker::scheduled).orElse(true);
    if (spec.getNodeName() == null && scheduled) {
      spec.setNodeName(nodePicker.get());
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (isvc.getMetadata().getLabels() != null) {
      labels.putAll(isvc.getMetadata().getLabels());
    }
    labels.put(ISVC_LABEL, name);
    labels.put("component", "predictor");
    labels.put("app", appLabel(name));
    labels.put(POD_TEMPLATE_HASH, revision);
    labels.put(SimSupport.SIMULATED_LABEL, "true");
    Pod pod = new Pod();
    pod.setMetadata(
        new ObjectMetaBuilder()
            .withLabels(labels)
            .withOwnerReferences(SimSupport.controllerRef(isvc))
            .build());
    pod.setSpec(spec);
    return PodStatuses.create(
        client,
        isvc.getMetadata().getNamespace(),
        name + "-predictor-" + revision + "-",
        pod,
        p ->
            blocker.isPresent()
                ? blocker.get().podStatus(p)
                : PodStatuses.running(p, PodStatuses.nextPodIp()));
  }

  /** Creates the {@code <isvc>-predictor} Service KServe puts in front of the Pods, if missing. */
  private void ensurePredictorService(
      GenericKubernetesResource isvc, Map<String, Object> predictor) {
    String namespace = isvc.getMetadata().getNamespace();
    String name = isvc.getMetadata().getName();
    var services = client.services().inNamespace(namespace);
    if (services.withName(predictorName(name)).get() != null) {
      return;
    }
    Service service =
        new ServiceBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(predictorName(name))
                    .addToLabels(ISVC_LABEL, name)
                    .addToLabels("component", "predictor")
                    .addToLabels(SimSupport.SIMULATED_LABEL, "true")
                    .withOwnerReferences(SimSupport.controllerRef(isvc))
                    .build())
            .withNewSpec()
            .withType("ClusterIP")
            .addToSelector("app", appLabel(name))
            .addNewPort()
            .withName("http")
            .withProtocol("TCP")
            .withPort(80)
            .withTargetPort(new IntOrString(targetPort(predictor)))
            .endPort()
            .endSpec()
            .build();
    try {
      services.resource(service).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  private int targetPort(Map<String, Object> predictor) {
    PodSpec spec = client.getKubernetesSerialization().convertValue(predictor, PodSpec.class);
    if (spec.getContainers() != null) {
      for (Container c : spec.getContainers()) {
        if (c.getPorts() != null) {
          for (ContainerPort p : c.getPorts()) {
            if (p.getContainerPort() != null) {
              return p.getContainerPort();
            }
          }
        }
      }
    }
    return DEFAULT_PORT;
  }

  /** The status KServe reports for a ready RawDeployment InferenceService. */
  private static Map<String, Object> readyStatus(GenericKubernetesResource isvc, int replicas) {
    String namespace = isvc.getMetadata().getNamespace();
    String name = isvc.getMetadata().getName();
    Map<String, Object> status = new LinkedHashMap<>(asMap(isvc.get("status")));
    String now = SimSupport.now();
    String predictorUrl = "http://" + predictorName(name) + "." + namespace + ".svc.cluster.local";

    List<Map<String, Object>> conditions = new ArrayList<>();
    Object existing = status.get("conditions");
    if (existing instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m && !READY_CONDITIONS.contains(m.get("type"))) {
          conditions.add(asMap(m));
        }
      }
    }
    for (String type : READY_CONDITIONS) {
      Map<String, Object> condition = new LinkedHashMap<>();
      condition.put("type", type);
      condition.put("status", "True");
      // Keep the transition time when the condition was already True: nothing transitioned.
      condition.put("lastTransitionTime", previousTrueTransition(existing, type).orElse(now));
      conditions.add(condition);
    }
    status.put("conditions", conditions);
    status.put("observedGeneration", isvc.getMetadata().getGeneration());
    status.put("url", url(namespace, name));
    status.put("address", Map.of("url", predictorUrl));
    status.put("deploymentMode", "RawDeployment");
    Map<String, Object> predictorComponent = new LinkedHashMap<>();
    predictorComponent.put("url", predictorUrl);
    predictorComponent.put("address", Map.of("url", predictorUrl));
    status.put("components", Map.of("predictor", predictorComponent));
    Map<String, Object> modelStatus = new LinkedHashMap<>();
    modelStatus.put("states", Map.of("activeModelState", "Loaded", "targetModelState", "Loaded"));
    modelStatus.put("transitionStatus", "UpToDate");
    modelStatus.put("copies", Map.of("failedCopies", 0, "totalCopies", replicas));
    status.put("modelStatus", modelStatus);
    return status;
  }

  private static Optional<String> previousTrueTransition(Object conditions, String type) {
    if (!(conditions instanceof List<?> list)) {
      return Optional.empty();
    }
    return list.stream()
        .filter(c -> c instanceof Map<?, ?> m && type.equals(m.get("type")))
        .map(c -> (Map<?, ?>) c)
        .filter(m -> "True".equals(m.get("status")) && m.get("lastTransitionTime") != null)
        .map(m -> m.get("lastTransitionTime").toString())
        .findFirst();
  }

  static String url(String namespace, String name) {
    return "http://" + name + "." + namespace + ".svc.cluster.local";
  }

  private static String predictorName(String isvc) {
    return isvc + "-predictor";
  }

  private static String appLabel(String isvc) {
    return "isvc." + predictorName(isvc);
  }

  private static int replicasOf(Map<String, Object> predictor) {
    Object min = predictor.get("minReplicas");
    int replicas = min instanceof Number n ? n.intValue() : 1;
    // minReplicas 0 means scale-to-zero under an autoscaler; a ready service still has a Pod.
    return Math.max(1, replicas);
  }

  private static Map<String, Object> asMap(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return copy;
    }
    return new LinkedHashMap<>();
  }
}
