package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Decides whether a simulated InferenceService's predictor can serve, and records the Events of why
 * not.
 *
 * <p>In order:
 *
 * <ol>
 *   <li>an injected failure: annotation {@value #INJECT_ANNOTATION} on the InferenceService, else
 *       on its controller owner (the AIMService, read through the API), with one of {@code
 *       FailedScheduling}, {@code ImagePullBackOff}, {@code CrashLoopBackOff}, {@code OOMKilled},
 *       {@code ServerlessModeRejected} (case-insensitive; other values are ignored with a warning). Injected failures also hit a
 *       predictor that is already serving;
 *   <li>every claim the predictor mounts ({@code spec.predictor.volumes[].persistentVolumeClaim})
 *       must exist and be {@code Bound};
 *   <li>every container image must be known to the simulated registry ({@link
 *       SimulatorOptions#imageKnown()}).
 * </ol>
 *
 * The last two only gate a predictor that is not serving yet: a running Pod keeps its volume and
 * image when the claim is deleted later.
 */
final class PredictorGate {

  /** Annotation that injects a failure into an InferenceService's predictor. */
  static final String INJECT_ANNOTATION = "sim.dev.aim/inject";

  /** The failures {@value #INJECT_ANNOTATION} can inject, by annotation value. */
  enum Injection {
    FAILED_SCHEDULING("FailedScheduling"),
    IMAGE_PULL_BACK_OFF("ImagePullBackOff"),
    CRASH_LOOP_BACK_OFF("CrashLoopBackOff"),
    OOM_KILLED("OOMKilled"),
    SERVERLESS_MODE_REJECTED("ServerlessModeRejected");

    /** The annotation value, named after the Kubernetes reason it produces. */
    final String value;

    Injection(String value) {
      this.value = value;
    }

    static Optional<Injection> parse(String value) {
      return Arrays.stream(values())
          .filter(i -> i.value.equalsIgnoreCase(value.trim()))
          .findFirst();
    }
  }

  /** AIMServices, the usual owners of InferenceServices; watched to notice injections there. */
  static final ResourceDefinitionContext AIM_SERVICES =
      new ResourceDefinitionContext.Builder()
          .withGroup("aim.eai.amd.com")
          .withVersion("v1alpha1")
          .withKind("AIMService")
          .withPlural("aimservices")
          .withNamespaced(true)
          .build();

  private static final SimLog LOG = new SimLog(PredictorGate.class);

  private final KubernetesClient client;
  private final Predicate<String> imageKnown;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  PredictorGate(KubernetesClient client, SimulatorOptions options) {
    this.client = client;
    this.imageKnown = options.imageKnown();
  }

  /** The nodes the cluster has now (nodes can be added and removed at run time). */
  private int liveNodes() {
    return client.nodes().list().getItems().size();
  }

  /** Whether the InferenceService itself carries an injection (of any value). */
  static boolean hasInjection(HasMetadata isvc) {
    return annotation(isvc, INJECT_ANNOTATION).isPresent();
  }

  /**
   * What keeps the predictor from serving, if anything.
   *
   * @param serving whether the predictor already serves the current generation
   */
  Optional<PredictorBlocker> check(GenericKubernetesResource isvc, boolean serving) {
    Optional<Injection> injected = injection(isvc);
    if (injected.isPresent()) {
      return Optional.of(
          switch (injected.get()) {
            case FAILED_SCHEDULING -> PredictorBlocker.failedScheduling(liveNodes());
            case IMAGE_PULL_BACK_OFF -> PredictorBlocker.imagePullBackOff(null);
            case CRASH_LOOP_BACK_OFF -> PredictorBlocker.crashLoopBackOff();
            case OOM_KILLED -> PredictorBlocker.oomKilled();
            case SERVERLESS_MODE_REJECTED -> PredictorBlocker.serverlessModeRejected();
          });
    }
    if (serving) {
      return Optional.empty();
    }
    String namespace = isvc.getMetadata().getNamespace();
    for (String claim : claimNames(isvc)) {
      PersistentVolumeClaim pvc =
          client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
      String phase = pvc == null || pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
      if (pvc == null || !PvcBinder.BOUND.equals(phase)) {
        return Optional.of(
            PredictorBlocker.pvcNotBound(
                claim, pvc == null ? null : Objects.requireNonNullElse(phase, "Pending"), liveNodes()));
      }
    }
    for (String image : images(isvc)) {
      if (!imageKnown.test(image)) {
        return Optional.of(PredictorBlocker.imagePullBackOff(image));
      }
    }
    return Optional.empty();
  }

  private Optional<Injection> injection(GenericKubernetesResource isvc) {
    Optional<String> value = annotation(isvc, INJECT_ANNOTATION);
    String where = "InferenceService " + SimSupport.keyOf(isvc);
    if (value.isEmpty()) {
      Optional<GenericKubernetesResource> owner = controllerOwner(isvc);
      value = owner.flatMap(o -> annotation(o, INJECT_ANNOTATION));
      where = owner.map(o -> o.getKind() + " " + SimSupport.keyOf(o)).orElse(where);
    }
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<Injection> parsed = Injection.parse(value.get());
    if (parsed.isEmpty() && warned.add(where + "=" + value.get())) {
      LOG.warn(
          "{}: ignoring {}={}; known values: {}",
          where,
          INJECT_ANNOTATION,
          value.get(),
          Arrays.stream(Injection.values()).map(i -> i.value).toList());
    }
    return parsed;
  }

  /** The controller owner, read through the API (any namespaced kind; plural = kind + "s"). */
  private Optional<GenericKubernetesResource> controllerOwner(HasMetadata obj) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    for (OwnerReference ref : refs) {
      if (!Boolean.TRUE.equals(ref.getController()) || ref.getApiVersion() == null) {
        continue;
      }
      String[] gv = ref.getApiVersion().split("/", 2);
      ResourceDefinitionContext context =
          new ResourceDefinitionContext.Builder()
              .withGroup(gv.length == 2 ? gv[0] : "")
              .withVersion(gv.length == 2 ? gv[1] : gv[0])
              .withKind(ref.getKind())
              .withPlural(ref.getKind().toLowerCase(Locale.ROOT) + "s")
              .withNamespaced(true)
              .build();
      GenericKubernetesResource owner =
          client
              .genericKubernetesResources(context)
              .inNamespace(obj.getMetadata().getNamespace())
              .withName(ref.getName())
              .get();
      // A leftover owner of the same name is not the owner.
      if (owner != null && Objects.equals(owner.getMetadata().getUid(), ref.getUid())) {
        return Optional.of(owner);
      }
    }
    return Optional.empty();
  }

  /** The claims {@code spec.predictor.volumes[]} mount. */
  static List<String> claimNames(GenericKubernetesResource isvc) {
    List<String> claims = new ArrayList<>();
    for (Map<String, Object> volume :
        SimJson.asMaps(SimJson.asMap(isvc.get("spec", "predictor")).get("volumes"))) {
      SimJson.text(SimJson.asMap(volume.get("persistentVolumeClaim")).get("claimName"))
          .ifPresent(claims::add);
    }
    return claims;
  }

  private static List<String> images(GenericKubernetesResource isvc) {
    List<String> images = new ArrayList<>();
    for (Map<String, Object> c :
        SimJson.asMaps(SimJson.asMap(isvc.get("spec", "predictor")).get("containers"))) {
      SimJson.text(c.get("image")).ifPresent(images::add);
    }
    return images;
  }

  private static Optional<String> annotation(HasMetadata obj, String key) {
    Map<String, String> annotations = obj.getMetadata().getAnnotations();
    return annotations == null
        ? Optional.empty()
        : Optional.ofNullable(annotations.get(key)).filter(v -> !v.isBlank());
  }

  /**
   * Records the Events of {@code blocker} on each Pod and on the InferenceService. Each Event is
   * written once: its name is derived from the object's UID and the Event's content, and a name
   * clash means it exists already (real Events would count repetitions; these do not).
   */
  void recordEvents(GenericKubernetesResource isvc, PredictorBlocker blocker, List<Pod> pods) {
    for (Pod pod : pods) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      for (PredictorBlocker.EventSpec e : blocker.podEvents(pod)) {
        record(pod, e, node);
      }
    }
    record(isvc, blocker.isvcEvent(), null);
  }

  private void record(HasMetadata involved, PredictorBlocker.EventSpec e, String host) {
    String namespace = involved.getMetadata().getNamespace();
    String uid = involved.getMetadata().getUid();
    String name =
        involved.getMetadata().getName()
            + "."
            + SimSupport.shortHash(uid + "|" + e.reason() + "|" + e.message(), 16);
    String now = SimSupport.now();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(SimSupport.SIMULATED_LABEL, "true")
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(involved.getApiVersion())
            .withKind(involved.getKind())
            .withName(involved.getMetadata().getName())
            .withNamespace(namespace)
            .withUid(uid)
            .withResourceVersion(involved.getMetadata().getResourceVersion())
            .withFieldPath(e.fieldPath())
            .endInvolvedObject()
            .withType(e.type())
            .withReason(e.reason())
            .withMessage(e.message())
            .withNewSource()
            .withComponent(e.component())
            .withHost(host)
            .endSource()
            .withReportingComponent(e.component())
            .withReportingInstance(host == null ? e.component() : host)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
      LOG.info(
          "Event {} {} on {} {}/{}: {}",
          e.type(),
          e.reason(),
          involved.getKind(),
          namespace,
          involved.getMetadata().getName(),
          e.message());
    } catch (KubernetesClientException ex) {
      if (ex.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw ex;
      }
    }
  }

  /**
   * The relays that wake the KServe simulation up when something it waits for changes: a
   * PersistentVolumeClaim (bound, created, deleted; following the watch of {@code claims}) and an
   * AIMService (injection annotation added or removed; its own watch).
   */
  List<SimulatedController<?>> triggers(
      InferenceServiceController kserve,
      SimulatedController<PersistentVolumeClaim> claims,
      Duration reactionDelay) {
    return List.of(
        EventRelay.following(
            claims,
            "pvc->kserve",
            client,
            reactionDelay,
            (namespace, claim) ->
                isvcsIn(namespace).stream()
                    .filter(isvc -> claimNames(isvc).contains(claim))
                    .forEach(isvc -> kserve.enqueue(namespace, name(isvc), Duration.ZERO))),
        new EventRelay<GenericKubernetesResource>(
            "aimservice->kserve",
            client,
            reactionDelay,
            c -> c.genericKubernetesResources(AIM_SERVICES).inAnyNamespace().runnableInformer(0),
            (namespace, service) ->
                isvcsIn(namespace).stream()
                    .filter(isvc -> ownedBy(isvc, AIM_SERVICES.getKind(), service))
                    .forEach(isvc -> kserve.enqueue(namespace, name(isvc), Duration.ZERO))));
  }

  private List<GenericKubernetesResource> isvcsIn(String namespace) {
    return client
        .genericKubernetesResources(InferenceServiceController.CONTEXT)
        .inNamespace(namespace)
        .list()
        .getItems();
  }

  private static String name(HasMetadata obj) {
    return obj.getMetadata().getName();
  }

  private static boolean ownedBy(HasMetadata obj, String kind, String name) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream()
            .anyMatch(
                r ->
                    Boolean.TRUE.equals(r.getController())
                        && kind.equals(r.getKind())
                        && name.equals(r.getName()));
  }
}
