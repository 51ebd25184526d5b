package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Failure injection for the dev/test-only {@link ClusterSimulator}: an annotation makes a simulated
 * controller fail the way a real cluster fails, so that error handling can be exercised without
 * real hardware, registries or model hubs.
 *
 * <p><b>Where the annotation goes.</b> {@value #INJECT} (and, where a reason is needed, {@value
 * #INJECT_REASON}) may be put on the object the simulator acts on or on any of its owners up to
 * three levels up, following the controller owner reference (or the first one) of each object
 * through the API. So annotating an AIMArtifact affects its PVC and its download Job's Pod
 * (artifact → Job → Pod), and annotating an AIMService affects its InferenceService's Pods (service
 * → InferenceService → Pod). The nearest annotated object wins; an owner whose uid does not match
 * the reference (deleted and re-created) ends the walk. Annotations are read whenever the simulator
 * acts, so an injection added later applies to the next object it creates.
 *
 * <table>
 *   <caption>Supported injections</caption>
 *   <tr>
 *     <th>{@value #INJECT}</th>
 *     <th>{@value #INJECT_REASON}</th>
 *     <th>Put it on</th>
 *     <th>Effect</th>
 *   </tr>
 *   <tr>
 *     <td>{@code Unbound}</td>
 *     <td>—</td>
 *     <td>a PersistentVolumeClaim or an owner (e.g. the AIMArtifact)</td>
 *     <td>The claim stays {@code Pending}; Warning Event {@code ProvisioningFailed} "injected: volume
 *         cannot be provisioned". Remove the annotation from the claim (or touch the claim) to let
 *         it bind.</td>
 *   </tr>
 *   <tr>
 *     <td>{@code DownloadFailed}</td>
 *     <td>{@code SourceNotFound} (default)</td>
 *     <td>a Job, its Pod template, or an owner (e.g. the AIMArtifact)</td>
 *     <td>Every Pod of every Job below the annotated object (so an artifact's size-check Job
 *         too, and a template's discovery Job) runs and fails instead of calling the Job's {@link
 *         JobRunner}: phase {@code Failed}, container terminated with reason {@code Error}, exit
 *         code 1, the error line as termination message, and a log ({@link PodLogs}) like {@code
 *         huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error. ... Repository Not
 *         Found for url: ...} ({@code s3://} sources: {@code ERROR: S3 error: 404
 *         (NoSuchBucket)}), which the engine classifies as {@code SourceNotFound}. The Job fails
 *         with {@code BackoffLimitExceeded} (Warning Event) once its retries are used up.</td>
 *   </tr>
 *   <tr>
 *     <td>{@code DownloadFailed}</td>
 *     <td>{@code AuthError}</td>
 *     <td>as above</td>
 *     <td>As above, with {@code 401 Client Error: Unauthorized for url: https://hf.co/...} /
 *         {@code Cannot access gated repo} lines ({@code s3://}: {@code ERROR: S3 error: 403
 *         (InvalidAccessKeyId)}), classified as {@code AuthError}.</td>
 *   </tr>
 *   <tr>
 *     <td>{@code DownloadFailed}</td>
 *     <td>{@code StorageFull}</td>
 *     <td>as above</td>
 *     <td>As above, with {@code OSError: [Errno 28] No space left on device}, classified as {@code
 *         StorageFull}.</td>
 *   </tr>
 *   <tr>
 *     <td>{@code DownloadFailed}</td>
 *     <td>{@code OOMKilled}</td>
 *     <td>as above</td>
 *     <td>The container is terminated with reason {@code OOMKilled}, exit code 137, after a few
 *         progress lines and no error line (the engine reports {@code PodOOMKilled}).</td>
 *   </tr>
 *   <tr>
 *     <td>{@code FailedScheduling}</td>
 *     <td>—</td>
 *     <td>a Job, its Pod template, or an owner</td>
 *     <td>The Pod stays {@code Pending} without a node: condition {@code PodScheduled=False}
 *         reason {@code Unschedulable}, Warning Event {@code FailedScheduling} "0/N nodes are
 *         available: N Insufficient amd.com/gpu." (N = current node count). Once the annotation is
 *         gone, the next reconcile of the Job (e.g. after editing the Job) schedules and runs the
 *         Pod.</td>
 *   </tr>
 *   <tr>
 *     <td>{@code ImagePullBackOff}</td>
 *     <td>{@code ImageNotFound} (default), {@code ImagePullAuthFailure}, or {@code
 *         ImagePullBackOff} (registry unreachable)</td>
 *     <td>a Job, its Pod template, or an owner</td>
 *     <td>The Pod is scheduled but stays {@code Pending}: its containers wait with reason {@code
 *         ErrImagePull}, then {@code ImagePullBackOff}, with a registry error the engine maps to
 *         the given reason. Events: {@code Pulling}, Warning {@code Failed} "Failed to pull image
 *         ...", Warning {@code Failed} "Error: ErrImagePull", {@code BackOff} "Back-off pulling
 *         image ...", Warning {@code Failed} "Error: ImagePullBackOff".</td>
 *   </tr>
 * </table>
 *
 * <p>A value the simulated controller does not support where it finds it is ignored (e.g. {@code
 * Unbound} found above a Job's Pod). An unknown {@code DownloadFailed} reason fails the Pod with a
 * generic error log.
 */
public final class FailureInjection {

  /** Annotation naming the injected failure, e.g. {@code DownloadFailed}. */
  public static final String INJECT = "sim.dev.aim/inject";

  /** Annotation refining the injected failure, e.g. {@code SourceNotFound}. */
  public static final String INJECT_REASON = "sim.dev.aim/inject-reason";

  /** A PersistentVolumeClaim that is never provisioned. */
  public static final String UNBOUND = "Unbound";

  /** A Job Pod whose download fails; see {@link #INJECT_REASON}. */
  public static final String DOWNLOAD_FAILED = "DownloadFailed";

  /** A Pod no node can take. */
  public static final String FAILED_SCHEDULING = "FailedScheduling";

  /** A Pod whose image cannot be pulled. */
  public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";

  /** How many owners above the object itself are looked at. */
  static final int MAX_OWNER_LEVELS = 3;

  private static final SimLog LOG = new SimLog(FailureInjection.class);

  private FailureInjection() {}

  /**
   * An injected failure.
   *
   * @param kind the value of {@value #INJECT}, e.g. {@code DownloadFailed}
   * @param reason the value of {@value #INJECT_REASON} on the same object, or {@code null}
   */
  public record Injection(String kind, String reason) {

    /** Requires a kind. */
    public Injection {
      Objects.requireNonNull(kind, "kind");
    }

    /**
     * Whether this is the injection named {@code kind}.
     *
     * @param kind e.g. {@link #DOWNLOAD_FAILED}
     * @return {@code true} if the kinds match (case-sensitive, as annotations are)
     */
    public boolean is(String kind) {
      return this.kind.equals(kind);
    }

    /**
     * The reason, or {@code fallback} when none was given.
     *
     * @param fallback the default reason of this kind
     * @return the reason to act on
     */
    public String reasonOr(String fallback) {
      return reason == null ? fallback : reason;
    }
  }

  /**
   * Finds the injection that applies to {@code object}: its own {@value #INJECT} annotation, else
   * that of its owner, its owner's owner or the next one up (read through {@code client}).
   *
   * <p>{@code object} itself is taken as given (it need not be stored yet, e.g. a Pod about to be
   * created with its owner reference set); owners are fetched. Lookup errors end the walk rather
   * than fail the caller, since a simulator must keep simulating.
   *
   * @param client the client of the (mock) API server
   * @param object the object a simulated controller is about to act on
   * @return the nearest injection, if any
   */
  public static Optional<Injection> find(KubernetesClient client, HasMetadata object) {
    Objects.requireNonNull(client, "client");
    HasMetadata current = Objects.requireNonNull(object, "object");
    String namespace = object.getMetadata().getNamespace();
    for (int level = 0; current != null; level++) {
      Optional<Injection> own = annotated(current);
      if (own.isPresent()) {
        return own;
      }
      if (level == MAX_OWNER_LEVELS) {
        break;
      }
      current = owner(client, current, namespace);
    }
    return Optional.empty();
  }

  private static Optional<Injection> annotated(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    if (annotations == null) {
      return Optional.empty();
    }
    String kind = annotations.get(INJECT);
    if (kind == null || kind.isBlank()) {
      return Optional.empty();
    }
    String reason = annotations.get(INJECT_REASON);
    return Optional.of(
        new Injection(kind.trim(), reason == null || reason.isBlank() ? null : reason.trim()));
  }

  private static HasMetadata owner(KubernetesClient client, HasMetadata object, String namespace) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null || refs.isEmpty()) {
      return null;
    }
    OwnerReference ref =
        refs.stream()
            .filter(r -> Boolean.TRUE.equals(r.getController()))
            .findFirst()
            .orElse(refs.get(0));
    if (ref.getApiVersion() == null || ref.getKind() == null || ref.getName() == null) {
      return null;
    }
    try {
      HasMetadata owner = null;
      // An owner is in the object's namespace or cluster-scoped; which one is not recorded in
      // the reference, and asking discovery would need CRDs the mock server may not have.
      if (namespace != null) {
        owner =
            client
                .genericKubernetesResources(context(ref, true))
                .inNamespace(namespace)
                .withName(ref.getName())
                .get();
      }
      if (owner == null) {
        owner =
            client.genericKubernetesResources(context(ref, false)).withName(ref.getName()).get();
      }
      if (owner == null
          || (ref.getUid() != null && !ref.getUid().equals(owner.getMetadata().getUid()))) {
        return null;
      }
      return owner;
    } catch (KubernetesClientException e) {
      LOG.debug(
          "failure injection: cannot read owner {} {} of {}: {}",
          ref.getKind(),
          ref.getName(),
          SimSupport.keyOf(object),
          e.toString());
      return null;
    }
  }

  private static ResourceDefinitionContext context(OwnerReference ref, boolean namespaced) {
    String apiVersion = ref.getApiVersion();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(ref.getKind())
        .withPlural(Pluralize.toPlural(ref.getKind().toLowerCase(Locale.ROOT)))
        .withNamespaced(namespaced)
        .build();
  }
}
