package aim.orchestrator.activities.kube;

import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AimKinds;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ErrorTypes;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * The one way activities talk to Kubernetes: typed access to AIM kinds, the apply strategy, and the mapping of API
 * errors to retryable infrastructure failures or to component health.
 */
public final class Kube {
  public static final String FIELD_MANAGER = "aim-orchestrator";
  public static final ResourceDefinitionContext INFERENCE_SERVICES =
      new ResourceDefinitionContext.Builder()
          .withGroup("serving.kserve.io")
          .withVersion("v1beta1")
          .withKind("InferenceService")
          .withPlural("inferenceservices")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;
  private final ApplyMode applyMode;

  public Kube(KubernetesClient client, ApplyMode applyMode) {
    this.client = client;
    this.applyMode = applyMode;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Typed operations for an AIM kind. */
  public <T extends HasMetadata> MixedOperation<T, KubernetesResourceList<T>, Resource<T>> aim(Class<T> kind) {
    return client.resources(kind);
  }

  /** The typed resource a reference names (namespaced or not). */
  @SuppressWarnings("unchecked")
  public Resource<HasMetadata> resource(ResourceRef ref) {
    Class<HasMetadata> kind = (Class<HasMetadata>) AimKinds.byKind(ref.kind());
    var op = client.resources(kind);
    return ref.clusterScoped() ? op.withName(ref.name()) : op.inNamespace(ref.namespace()).withName(ref.name());
  }

  /** Reads the object a reference names, or null. */
  public HasMetadata get(ResourceRef ref) {
    return resource(ref).get();
  }

  /**
   * Reads the object and checks it is the one the workflow owns. A different UID means it was deleted and
   * re-created: the workflow must start over for the new object.
   */
  public <T extends HasMetadata> T current(ResourceRef ref, Class<T> type) {
    HasMetadata obj = get(ref);
    if (obj == null) {
      throw ApplicationFailure.newNonRetryableFailure(ref + " no longer exists", ErrorTypes.ResourceReplaced.name());
    }
    if (ref.uid() != null && !ref.uid().equals(obj.getMetadata().getUid())) {
      throw ApplicationFailure.newNonRetryableFailure(
          ref + " was replaced by UID " + obj.getMetadata().getUid(), ErrorTypes.ResourceReplaced.name());
    }
    return type.cast(obj);
  }

  /** Creates or updates an object we own (typed kinds). */
  public <T extends HasMetadata> T apply(T desired) {
    var r = client.resource(desired);
    if (applyMode == ApplyMode.SERVER_SIDE) {
      return r.fieldManager(FIELD_MANAGER).serverSideApply();
    }
    return r.createOr(existing -> existing.patch(PatchContext.of(PatchType.JSON_MERGE)));
  }

  /** Creates or updates an InferenceService (no typed model class exists for KServe). */
  public GenericKubernetesResource applyInferenceService(GenericKubernetesResource desired) {
    var r =
        client
            .genericKubernetesResources(INFERENCE_SERVICES)
            .inNamespace(desired.getMetadata().getNamespace())
            .resource(desired);
    if (applyMode == ApplyMode.SERVER_SIDE) {
      return r.fieldManager(FIELD_MANAGER).serverSideApply();
    }
    return r.createOr(existing -> existing.patch(PatchContext.of(PatchType.JSON_MERGE)));
  }

  public Resource<GenericKubernetesResource> inferenceService(String namespace, String name) {
    return client.genericKubernetesResources(INFERENCE_SERVICES).inNamespace(namespace).withName(name);
  }

  /**
   * Runs one stage and maps Kubernetes errors: infrastructure errors (5xx, 429, conflicts, timeouts, network) are
   * thrown as retryable {@code Infrastructure} failures; auth and invalid-spec errors become the component's
   * health, so they show in status instead of being retried.
   */
  public static StageResult stage(String component, DependencyType dependency, Supplier<StageResult> body) {
    try {
      return body.get();
    } catch (KubernetesClientException e) {
      ErrorCategory category = ErrorCategory.fromHttpStatus(e.getCode());
      if (category == ErrorCategory.INFRASTRUCTURE || category == ErrorCategory.MISSING_DOWNSTREAM) {
        throw infrastructure(e);
      }
      String reason = category == ErrorCategory.AUTH ? "AuthError" : "InvalidSpec";
      return StageResult.of(ComponentHealth.error(component, category, reason, shortMessage(e), dependency));
    }
  }

  /** Runs an action, turning Kubernetes errors into retryable (infrastructure) or final failures. */
  public static <T> T call(Supplier<T> body) {
    try {
      return body.get();
    } catch (KubernetesClientException e) {
      ErrorCategory category = ErrorCategory.fromHttpStatus(e.getCode());
      if (category == ErrorCategory.INFRASTRUCTURE || category == ErrorCategory.MISSING_DOWNSTREAM) {
        throw infrastructure(e);
      }
      throw ApplicationFailure.newNonRetryableFailure(
          shortMessage(e), category == ErrorCategory.AUTH ? ErrorTypes.Auth.name() : ErrorTypes.InvalidSpec.name());
    }
  }

  public static void run(Runnable body) {
    call(
        () -> {
          body.run();
          return null;
        });
  }

  private static ApplicationFailure infrastructure(KubernetesClientException e) {
    return ApplicationFailure.newFailure(shortMessage(e), ErrorTypes.Infrastructure.name());
  }

  public static String shortMessage(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage() + " (HTTP " + e.getCode() + ")";
    }
    return e.getMessage() == null ? "Kubernetes API error " + e.getCode() : e.getMessage();
  }
}
