package aim.orchestrator.starter.status;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactStatus;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.Aim;
import aim.orchestrator.starter.status.ServiceStatus.ArtifactProgress;
import aim.orchestrator.starter.status.ServiceStatus.ConditionView;
import aim.orchestrator.starter.status.ServiceStatus.Step;
import aim.orchestrator.starter.status.ServiceStatus.WorkflowView;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.workflow.ResourceView;
import aim.orchestrator.workflow.WorkflowIds;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@link ServiceStatus}es: the AIMService, its template cache and artifacts from Kubernetes, and the
 * lifecycle steps from the {@code status} query of the service's workflow. Read-only; shared by the status page and
 * {@code aim status}.
 */
public final class ServiceStatusReader implements AutoCloseable {
  private final KubernetesClient kubernetes;
  private final WorkflowClient temporal;
  private final Duration queryTimeout;
  // Queries run here so that one slow or worker-less workflow cannot hold up the whole page.
  private final ExecutorService queries =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "aim-status-query");
            t.setDaemon(true);
            return t;
          });

  public ServiceStatusReader(KubernetesClient kubernetes, WorkflowClient temporal, Duration queryTimeout) {
    this.kubernetes = kubernetes;
    this.temporal = temporal;
    this.queryTimeout = queryTimeout;
  }

  /** Every AIMService in every namespace, ordered by namespace and name. */
  public List<ServiceStatus> all() {
    List<AIMService> services = kubernetes.resources(AIMService.class).inAnyNamespace().list().getItems();
    Map<String, AIMTemplateCache> caches = new LinkedHashMap<>();
    kubernetes.resources(AIMTemplateCache.class).inAnyNamespace().list().getItems().forEach(c -> caches.put(key(c), c));
    List<AIMArtifact> artifacts = kubernetes.resources(AIMArtifact.class).inAnyNamespace().list().getItems();
    List<CompletableFuture<ResourceQuery>> views =
        services.stream().map(s -> CompletableFuture.supplyAsync(() -> query(s), queries)).toList();
    List<ServiceStatus> result = new ArrayList<>();
    for (int i = 0; i < services.size(); i++) {
      AIMService svc = services.get(i);
      AIMTemplateCache cache = cacheOf(svc).map(caches::get).orElse(null);
      result.add(assemble(svc, await(svc, views.get(i)), cache, artifactsOf(cache, artifacts)));
    }
    result.sort(Comparator.comparing(ServiceStatus::namespace).thenComparing(ServiceStatus::name));
    return result;
  }

  /** One AIMService, or empty when it does not exist. */
  public Optional<ServiceStatus> one(String namespace, String name) {
    AIMService svc = kubernetes.resources(AIMService.class).inNamespace(namespace).withName(name).get();
    if (svc == null) {
      return Optional.empty();
    }
    var view = CompletableFuture.supplyAsync(() -> query(svc), queries);
    AIMTemplateCache cache =
        cacheOf(svc)
            .map(k -> k.split("/", 2))
            .map(k -> kubernetes.resources(AIMTemplateCache.class).inNamespace(k[0]).withName(k[1]).get())
            .orElse(null);
    List<AIMArtifact> artifacts =
        cache == null
            ? List.of()
            : kubernetes.resources(AIMArtifact.class).inNamespace(cache.getMetadata().getNamespace()).list().getItems();
    return Optional.of(assemble(svc, await(svc, view), cache, artifactsOf(cache, artifacts)));
  }

  @Override
  public void close() {
    queries.shutdownNow();
  }

  private ServiceStatus assemble(AIMService svc, ResourceQuery query, AIMTemplateCache cache, List<AIMArtifact> artifacts) {
    AIMServiceStatus st = svc.getStatus();
    List<Condition> conditions = st == null || st.conditions == null ? List.of() : st.conditions;
    return new ServiceStatus(
        svc.getMetadata().getNamespace(),
        svc.getMetadata().getName(),
        st == null || st.status == null ? "Pending" : st.status.name(),
        svc.getMetadata().getCreationTimestamp(),
        st == null || st.resolvedModel == null ? null : st.resolvedModel.name,
        st == null || st.resolvedTemplate == null ? null : st.resolvedTemplate.name,
        cache == null ? cacheOf(svc).orElse(null) : key(cache),
        st == null || st.routing == null ? null : st.routing.path,
        conditions.stream()
            .map(c -> new ConditionView(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime()))
            .toList(),
        query.workflow(),
        timeline(query.view(), conditions),
        artifacts.stream().map(ServiceStatusReader::progress).toList());
  }

  private static List<Step> timeline(ResourceView view, List<Condition> conditions) {
    if (view == null || view.components() == null) {
      return List.of();
    }
    List<Step> steps = new ArrayList<>();
    for (ComponentHealth c : view.components()) {
      Condition condition =
          conditions.stream().filter(x -> c.conditionType().equals(x.getType())).findFirst().orElse(null);
      steps.add(
          new Step(
              c.component(),
              c.state() == null ? null : c.state().name(),
              c.reason(),
              c.message(),
              condition == null ? null : condition.getLastTransitionTime()));
    }
    return steps;
  }

  private static ArtifactProgress progress(AIMArtifact a) {
    AIMArtifactStatus st = a.getStatus();
    AIMArtifactStatus.Progress p = st == null ? null : st.progress;
    return new ArtifactProgress(
        a.getMetadata().getNamespace(),
        a.getMetadata().getName(),
        a.getSpec() == null ? null : a.getSpec().modelId,
        st == null || st.status == null ? "Pending" : st.status.name(),
        p == null ? null : p.totalBytes,
        p == null ? null : p.downloadedBytes,
        p == null ? null : p.percentage,
        p == null ? null : p.displayPercentage,
        st == null || st.download == null ? null : st.download.message);
  }

  /** The artifacts the cache lists in its status, and those labelled with its name that it has not listed yet. */
  private static List<AIMArtifact> artifactsOf(AIMTemplateCache cache, List<AIMArtifact> candidates) {
    if (cache == null) {
      return List.of();
    }
    String ns = cache.getMetadata().getNamespace();
    var listed = cache.getStatus() == null || cache.getStatus().artifacts == null ? Map.of() : cache.getStatus().artifacts;
    return candidates.stream()
        .filter(a -> ns.equals(a.getMetadata().getNamespace()))
        .filter(
            a ->
                listed.containsKey(a.getMetadata().getName())
                    || cache.getMetadata().getName().equals(labels(a).get(Aim.LABEL_TEMPLATE_CACHE_NAME)))
        .sorted(Comparator.comparing(a -> a.getMetadata().getName()))
        .toList();
  }

  private static Map<String, String> labels(AIMArtifact a) {
    return a.getMetadata().getLabels() == null ? Map.of() : a.getMetadata().getLabels();
  }

  /** The service's template cache as {@code namespace/name}, once the service has recorded one. */
  private static Optional<String> cacheOf(AIMService svc) {
    var st = svc.getStatus();
    if (st == null || st.cache == null || st.cache.templateCacheRef == null || st.cache.templateCacheRef.name == null) {
      return Optional.empty();
    }
    var ref = st.cache.templateCacheRef;
    return Optional.of((ref.namespace == null ? svc.getMetadata().getNamespace() : ref.namespace) + "/" + ref.name);
  }

  private static String key(AIMTemplateCache c) {
    return c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
  }

  /** The workflow's answer, or why there is none. */
  private record ResourceQuery(WorkflowView workflow, ResourceView view) {}

  private ResourceQuery query(AIMService svc) {
    String id = WorkflowIds.of("AIMService", svc.getMetadata().getNamespace(), svc.getMetadata().getName());
    try {
      ResourceView view = temporal.newUntypedWorkflowStub(id).query("status", ResourceView.class);
      return new ResourceQuery(new WorkflowView(id, WorkflowView.FOUND, view.phase(), view.passes(), null), view);
    } catch (RuntimeException e) {
      if (notFound(e)) {
        return new ResourceQuery(new WorkflowView(id, WorkflowView.MISSING, null, 0, null), null);
      }
      return unavailable(id, e.getMessage());
    }
  }

  private ResourceQuery await(AIMService svc, CompletableFuture<ResourceQuery> future) {
    try {
      return future.get(queryTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      future.cancel(true);
      String id = WorkflowIds.of("AIMService", svc.getMetadata().getNamespace(), svc.getMetadata().getName());
      return unavailable(id, "no answer within " + queryTimeout.toMillis() + " ms (is a worker running?)");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static ResourceQuery unavailable(String id, String detail) {
    return new ResourceQuery(new WorkflowView(id, WorkflowView.UNAVAILABLE, null, 0, detail), null);
  }

  private static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WorkflowNotFoundException
          || t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }
}
