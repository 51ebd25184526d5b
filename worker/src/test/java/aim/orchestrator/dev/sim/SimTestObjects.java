package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders and readers shared by the simulator tests (InferenceServices, claims, Events). */
final class SimTestObjects {

  private SimTestObjects() {}

  /** Registers a dev CRD from {@code worker/src/main/resources/dev/crds/}, as the dev API does. */
  static void registerDevCrd(KubernetesClient client, String file) {
    try (InputStream in = SimTestObjects.class.getResourceAsStream("/dev/crds/" + file)) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      if (client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .get()
          == null) {
        client.resource(crd).create();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MixedOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>> isvcs(
      KubernetesClient client) {
    return client.genericKubernetesResources(InferenceServiceController.CONTEXT);
  }

  /** A mutable InferenceService like the AIM engine renders (autoscaler class {@code none}). */
  static GenericKubernetesResource isvc(String ns, String name, String image) {
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", "kserve-container");
    container.put("image", image);
    container.put("ports", List.of(Map.of("containerPort", 8000, "name", "http")));
    container.put("env", new ArrayList<>());
    Map<String, Object> predictor = new LinkedHashMap<>();
    predictor.put("minReplicas", 1);
    predictor.put("maxReplicas", 1);
    predictor.put("containers", new ArrayList<>(List.of(container)));
    predictor.put("volumes", new ArrayList<>());
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("predictor", predictor);
    GenericKubernetesResource isvc = new GenericKubernetesResource();
    isvc.setApiVersion("serving.kserve.io/v1beta1");
    isvc.setKind("InferenceService");
    isvc.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(ns)
            .addToLabels("aim.eai.amd.com/service", name + "-svc")
            .addToAnnotations("serving.kserve.io/autoscalerClass", "none")
            .build());
    isvc.setAdditionalProperty("spec", spec);
    return isvc;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> predictor(GenericKubernetesResource isvc) {
    return (Map<String, Object>) ((Map<String, Object>) isvc.get("spec")).get("predictor");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> mainContainer(GenericKubernetesResource isvc) {
    return ((List<Map<String, Object>>) predictor(isvc).get("containers")).get(0);
  }

  /** Adds a claim volume (and its mount) to the predictor. */
  @SuppressWarnings("unchecked")
  static GenericKubernetesResource withClaim(GenericKubernetesResource isvc, String claim) {
    ((List<Object>) predictor(isvc).get("volumes"))
        .add(Map.of("name", claim, "persistentVolumeClaim", Map.of("claimName", claim)));
    mainContainer(isvc)
        .put("volumeMounts", List.of(Map.of("name", claim, "mountPath", "/workspace/cache")));
    return isvc;
  }

  static <T extends HasMetadata> T annotate(T obj, String key, String value) {
    Map<String, String> annotations =
        obj.getMetadata().getAnnotations() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(obj.getMetadata().getAnnotations());
    if (value == null) {
      annotations.remove(key);
    } else {
      annotations.put(key, value);
    }
    obj.getMetadata().setAnnotations(annotations);
    return obj;
  }

  static PersistentVolumeClaim claim(String ns, String name) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteMany")
        .withNewResources()
        .addToRequests("storage", new Quantity("10Gi"))
        .endResources()
        .endSpec()
        .build();
  }

  /** The condition {@code type} of an untyped object's {@code status.conditions}. */
  static Optional<Map<String, Object>> condition(GenericKubernetesResource obj, String type) {
    if (obj == null) {
      return Optional.empty();
    }
    return SimJson.asMaps(obj.get("status", "conditions")).stream()
        .filter(c -> type.equals(c.get("type")))
        .findFirst();
  }

  /** Whether the InferenceService reports {@code Ready} with that status for its generation. */
  static boolean readyIs(GenericKubernetesResource isvc, String status) {
    if (isvc == null) {
      return false;
    }
    Object observed = isvc.get("status", "observedGeneration");
    return observed instanceof Number n
        && n.longValue() == isvc.getMetadata().getGeneration()
        && condition(isvc, "Ready").map(c -> status.equals(c.get("status"))).orElse(false);
  }

  static List<Pod> predictorPods(KubernetesClient client, String ns, String isvc) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel(InferenceServiceController.ISVC_LABEL, isvc)
        .list()
        .getItems();
  }

  static List<Event> eventsOf(KubernetesClient client, HasMetadata involved) {
    return client
        .v1()
        .events()
        .inNamespace(involved.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(e -> involved.getMetadata().getName().equals(e.getInvolvedObject().getName()))
        .filter(e -> involved.getKind().equals(e.getInvolvedObject().getKind()))
        .toList();
  }
}
