package aim.orchestrator.starter.api;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheStatus;
import aim.orchestrator.workflow.ResourceView;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/** Assembles a service's {@link ServiceView} from Kubernetes and its workflow, within what the caller may read. */
@Service
public class ServiceViews {
  private final KubernetesClient kubernetes;
  private final ResourceWorkflows workflows;
  private final Access access;
  private final ApiProperties props;

  ServiceViews(KubernetesClient kubernetes, ResourceWorkflows workflows, Access access, ApiProperties props) {
    this.kubernetes = kubernetes;
    this.workflows = workflows;
    this.access = access;
    this.props = props;
  }

  public ServiceView view(String namespace, String name) {
    AIMService service = kubernetes.resources(AIMService.class).inNamespace(namespace).withName(name).get();
    if (service == null) {
      throw AimResources.notFound(AimResourceType.of(AIMService.class), name);
    }
    AIMServiceStatus status = service.getStatus() == null ? new AIMServiceStatus() : service.getStatus();
    List<String> omitted = new ArrayList<>();
    var cacheRef = status.cache == null ? null : status.cache.templateCacheRef;
    return new ServiceView(
        namespace,
        name,
        service.getMetadata().getUid(),
        service.getMetadata().getGeneration(),
        status.status == null ? null : status.status.name(),
        status.observedGeneration,
        status.conditions,
        new ServiceView.Resolved(status.resolvedRuntimeConfig, status.resolvedModel, status.resolvedTemplate, cacheRef, status.templateSelection),
        lifecycle(namespace, name),
        cacheRef == null ? List.of() : artifacts(namespace, cacheRef.name, omitted),
        endpoint(status),
        omitted.isEmpty() ? null : omitted);
  }

  private ServiceView.Lifecycle lifecycle(String namespace, String name) {
    ResourceWorkflows.Lifecycle lifecycle = workflows.status("AIMService", namespace, name);
    ResourceView v = lifecycle.view();
    if (v == null) {
      return new ServiceView.Lifecycle(lifecycle.workflowId(), false, lifecycle.unavailable(), null, null, null, null, null);
    }
    return new ServiceView.Lifecycle(
        lifecycle.workflowId(), true, null, v.phase(), v.passes(), v.status(), v.observedGeneration(), v.components());
  }

  /** The artifacts of the template cache, each only if the caller may get it. */
  private List<ServiceView.Artifact> artifacts(String namespace, String cacheName, List<String> omitted) {
    if (!access.allows("get", "aimtemplatecaches", namespace, cacheName)) {
      omitted.add("artifacts: the caller may not get aimtemplatecaches \"" + cacheName + "\"");
      return null;
    }
    AIMTemplateCache cache = kubernetes.resources(AIMTemplateCache.class).inNamespace(namespace).withName(cacheName).get();
    if (cache == null || cache.getStatus() == null || cache.getStatus().artifacts == null) {
      return List.of();
    }
    List<ServiceView.Artifact> out = new ArrayList<>();
    for (AIMTemplateCacheStatus.ArtifactEntry entry : cache.getStatus().artifacts.values()) {
      if (!access.allows("get", "aimartifacts", namespace, entry.name)) {
        omitted.add("artifact " + entry.name + ": the caller may not get aimartifacts \"" + entry.name + "\"");
        continue;
      }
      AIMArtifact artifact = kubernetes.resources(AIMArtifact.class).inNamespace(namespace).withName(entry.name).get();
      var s = artifact == null ? null : artifact.getStatus();
      out.add(
          new ServiceView.Artifact(
              entry.name,
              entry.model,
              s == null || s.status == null ? entry.status : s.status.name(),
              s == null || s.persistentVolumeClaim == null ? entry.persistentVolumeClaim : s.persistentVolumeClaim,
              s == null ? null : s.progress,
              s == null ? null : s.download));
    }
    return out;
  }

  private ServiceView.Endpoint endpoint(AIMServiceStatus status) {
    String path = status.routing == null ? null : status.routing.path;
    if (path == null || path.isEmpty()) {
      return null;
    }
    String base = props.gatewayBaseUrl().replaceAll("/+$", "");
    return new ServiceView.Endpoint(path, base.isEmpty() ? null : base + (path.startsWith("/") ? path : "/" + path));
  }
}
