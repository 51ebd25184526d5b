package aim.orchestrator.starter.api;

import aim.orchestrator.crd.AimCrdValidator;
import aim.orchestrator.crd.FieldError;
import aim.orchestrator.crd.JsonMergePatch;
import aim.orchestrator.model.Aim;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * AIM objects in Kubernetes, read and written for the REST API. Writes are checked first against the kind's CRD
 * (schema and CEL rules, {@link AimCrdValidator}) so a caller gets every problem at once, listed by field; then
 * Kubernetes, the source of truth, stores them (and checks them again). Objects pass through as JSON, unchanged by
 * the Java model.
 */
@Service
public class AimResources {
  /** kube-apiserver's rule for object names (a DNS-1123 subdomain). */
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final KubernetesClient kubernetes;
  private final AimCrdValidator validator;
  private final ObjectMapper mapper;

  AimResources(KubernetesClient kubernetes, AimCrdValidator validator, ObjectMapper mapper) {
    this.kubernetes = kubernetes;
    this.validator = validator;
    this.mapper = mapper;
  }

  public GenericKubernetesResource create(AimResourceType type, String namespace, JsonNode body) {
    ObjectNode object = requireObject(body).deepCopy();
    object.remove("status"); // the status subresource: a create never sets it
    List<FieldError> errors = new ArrayList<>(typeMeta(type, namespace, object));
    errors.addAll(validator.validate(type.kind(), object, null));
    String name = object.path("metadata").path("name").asText(object.path("metadata").path("generateName").asText(""));
    throwIfInvalid(type, name, errors);
    GenericKubernetesResource resource = mapper.convertValue(object, GenericKubernetesResource.class);
    return collection(type, namespace).resource(resource).create();
  }

  public GenericKubernetesResource get(AimResourceType type, String namespace, String name) {
    GenericKubernetesResource resource = one(type, namespace, name).get();
    if (resource == null) {
      throw notFound(type, name);
    }
    return resource;
  }

  /**
   * One page of a list. {@code limit} and {@code continueToken} go to Kubernetes unchanged; the answer's
   * {@code metadata.continue} fetches the next page.
   *
   * @param namespace null lists across all namespaces (or a cluster-scoped kind)
   */
  public GenericKubernetesResourceList list(
      AimResourceType type, String namespace, String labelSelector, Long limit, String continueToken) {
    var options =
        new ListOptionsBuilder()
            .withLabelSelector(blankToNull(labelSelector))
            .withLimit(limit)
            .withContinue(blankToNull(continueToken))
            .build();
    var op = kubernetes.genericKubernetesResources(type.context());
    return type.namespaced() && namespace == null ? op.inAnyNamespace().list(options) : collection(type, namespace).list(options);
  }

  /** Applies a JSON merge patch after checking the patched object against the CRD (transition rules included). */
  public GenericKubernetesResource patch(AimResourceType type, String namespace, String name, JsonNode patch) {
    requireObject(patch);
    GenericKubernetesResource existing = get(type, namespace, name);
    ObjectNode old = mapper.valueToTree(existing);
    old.remove("status");
    ObjectNode patched = (ObjectNode) JsonMergePatch.apply(old.deepCopy(), patch);
    patched.remove("status");
    throwIfInvalid(type, name, validator.validate(type.kind(), patched, old));
    try {
      return one(type, namespace, name).patch(PatchContext.of(PatchType.JSON_MERGE), mapper.writeValueAsString(patch));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes (background propagation); finalizers may keep the object while its workflow tears down. */
  public void delete(AimResourceType type, String namespace, String name) {
    List<StatusDetails> deleted = one(type, namespace, name).delete();
    if (deleted.isEmpty()) {
      throw notFound(type, name);
    }
  }

  Resource<GenericKubernetesResource> one(AimResourceType type, String namespace, String name) {
    return collection(type, namespace).withName(name);
  }

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> collection(
      AimResourceType type, String namespace) {
    MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op =
        kubernetes.genericKubernetesResources(type.context());
    return type.namespaced() ? op.inNamespace(namespace) : op;
  }

  /** apiVersion, kind and metadata, which kube-apiserver checks before the schema. */
  private static List<FieldError> typeMeta(AimResourceType type, String namespace, ObjectNode object) {
    List<FieldError> errors = new ArrayList<>();
    String apiVersion = object.path("apiVersion").asText("");
    if (apiVersion.isEmpty()) {
      object.put("apiVersion", Aim.API_VERSION);
    } else if (!apiVersion.equals(Aim.API_VERSION)) {
      errors.add(invalid("apiVersion", apiVersion, "must be " + Aim.API_VERSION));
    }
    String kind = object.path("kind").asText("");
    if (kind.isEmpty()) {
      object.put("kind", type.kind());
    } else if (!kind.equals(type.kind())) {
      errors.add(invalid("kind", kind, "must be " + type.kind() + " for " + type.plural()));
    }
    ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    String name = metadata.path("name").asText("");
    String generateName = metadata.path("generateName").asText("");
    if (name.isEmpty() && generateName.isEmpty()) {
      errors.add(new FieldError("FieldValueRequired", "metadata.name", "Required value: name or generateName is required"));
    } else if (!name.isEmpty() && (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches())) {
      errors.add(
          invalid(
              "metadata.name",
              name,
              "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must"
                  + " start and end with an alphanumeric character (at most 253 characters)"));
    }
    String objectNamespace = metadata.path("namespace").asText("");
    if (!type.namespaced()) {
      metadata.remove("namespace");
    } else if (objectNamespace.isEmpty()) {
      metadata.put("namespace", namespace);
    } else if (!objectNamespace.equals(namespace)) {
      errors.add(invalid("metadata.namespace", objectNamespace, "does not match the namespace in the URL (" + namespace + ")"));
    }
    return errors;
  }

  private static FieldError invalid(String field, String value, String why) {
    return new FieldError("FieldValueInvalid", field, "Invalid value: \"" + value + "\": " + why);
  }

  private static void throwIfInvalid(AimResourceType type, String name, List<FieldError> errors) {
    if (errors.isEmpty()) {
      return;
    }
    String what = type.kind() + (name.isEmpty() ? "" : " \"" + name + "\"");
    throw new ApiException(
            ProblemType.VALIDATION,
            what + " is invalid: " + errors.size() + (errors.size() == 1 ? " problem" : " problems"))
        .with("errors", errors);
  }

  private static ObjectNode requireObject(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new ApiException(ProblemType.BAD_REQUEST, "The request body must be a JSON object");
    }
    return (ObjectNode) body;
  }

  static ApiException notFound(AimResourceType type, String name) {
    return ApiException.notFound(type.plural() + " \"" + name + "\" not found");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
