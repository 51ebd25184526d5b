package aim.orchestrator.starter.watch;

import aim.orchestrator.model.AIMClusterRuntimeConfig;
import aim.orchestrator.model.AIMRuntimeConfig;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.AimKinds;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.Workflows;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Kubernetes events on AIM resources into workflow signals. A create, a spec change (a new
 * {@code metadata.generation}) or a deletion reaches the resource's workflow with signal-with-start, which starts
 * it if it is not running. Status-only updates are ignored, so the workflows' own status writes never feed back.
 *
 * <p>Safe with any number of replicas without leader election: signal-with-start by the resource's workflow ID is
 * idempotent (one workflow per ID), and the workflows treat signals as wake-ups and re-read Kubernetes, so a
 * duplicate signal from a second replica costs one extra look. The periodic informer resync re-delivers every
 * object, which restarts any workflow that is not running (after a Temporal outage, say).
 */
public final class WatchBridge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchBridge.class);

  private final KubernetesClient kubernetes;
  private final WorkflowClient temporal;
  private final Duration resync;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<Class<? extends HasMetadata>, SharedIndexInformer<? extends HasMetadata>> byKind = new ConcurrentHashMap<>();
  private final Dependents dependents =
      new Dependents(kind -> byKind.containsKey(kind) ? byKind.get(kind).getStore().list() : List.of());

  public WatchBridge(KubernetesClient kubernetes, WorkflowClient temporal, Duration resync) {
    this.kubernetes = kubernetes;
    this.temporal = temporal;
    this.resync = resync;
  }

  /**
   * Starts one informer per AIM kind across all namespaces, and informers on the objects workflows wait for
   * (runtime configs, GPU nodes, InferenceServices, HTTPRoutes, cache PVCs and Jobs) so their changes wake the
   * workflows that depend on them.
   */
  public WatchBridge start() {
    for (Class<? extends HasMetadata> kind : AimKinds.ALL) {
      if (Workflows.forKind(HasMetadata.getKind(kind)) == null && !isRuntimeConfig(kind)) {
        continue;
      }
      SharedIndexInformer<? extends HasMetadata> informer = inform(kind);
      informers.add(informer);
      byKind.put(kind, informer);
    }
    informers.add(kubernetes.nodes().inform(new NodeGpuHandler(), resync.toMillis()));
    informers.add(
        kubernetes
            .genericKubernetesResources(INFERENCE_SERVICES)
            .inAnyNamespace()
            .inform(new OwnerHandler<>(), resync.toMillis()));
    informers.add(
        kubernetes
            .resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
            .inAnyNamespace()
            .withLabel(Aim.LABEL_SERVICE)
            .inform(new OwnerHandler<>(), resync.toMillis()));
    informers.add(
        kubernetes.persistentVolumeClaims().inAnyNamespace().withLabel(Aim.LABEL_CACHE_NAME).inform(new OwnerHandler<>(), resync.toMillis()));
    informers.add(
        kubernetes.batch().v1().jobs().inAnyNamespace().withLabel(Aim.LABEL_CACHE_NAME).inform(new OwnerHandler<>(), resync.toMillis()));
    informers.add(
        kubernetes.batch().v1().jobs().inAnyNamespace().withLabel("app.kubernetes.io/name", "aim-discovery").inform(new OwnerHandler<>(), resync.toMillis()));
    log.info("watch bridge started: {} informers", informers.size());
    return this;
  }

  static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext INFERENCE_SERVICES =
      new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
          .withGroup("serving.kserve.io")
          .withVersion("v1beta1")
          .withKind("InferenceService")
          .withPlural("inferenceservices")
          .withNamespaced(true)
          .build();

  private static boolean isRuntimeConfig(Class<? extends HasMetadata> kind) {
    return kind == AIMRuntimeConfig.class || kind == AIMClusterRuntimeConfig.class;
  }

  /** Wakes the workflows of everything that depends on a changed (or deleted) object. */
  void wakeDependents(HasMetadata changed) {
    List<HasMetadata> targets =
        isRuntimeConfig(changed.getClass())
            ? dependents.usingRuntimeConfig(changed.getMetadata().getName(), changed.getMetadata().getNamespace())
            : dependents.of(changed);
    for (HasMetadata target : targets) {
      wake(target);
    }
  }

  /** Signals a running workflow; never starts one (a dependent that has no workflow gets one from its own events). */
  private void wake(HasMetadata target) {
    if (Workflows.forKind(target.getKind()) == null) {
      return;
    }
    deliver(target, false);
  }

  /** Wakes the AIM owner (controller reference) of a child object whose status changed. */
  private final class OwnerHandler<T extends HasMetadata> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {}

    @Override
    public void onUpdate(T oldObj, T newObj) {
      if (!Objects.equals(oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion())) {
        wakeOwner(newObj);
        if (!Objects.equals(oldObj.getMetadata().getOwnerReferences(), newObj.getMetadata().getOwnerReferences())) {
          // An owner reference edited away by hand: the old owner must look, or it never restores it.
          wakeOwner(oldObj);
        }
      }
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      wakeOwner(obj);
    }

    private void wakeOwner(HasMetadata child) {
      if (child.getMetadata().getOwnerReferences() == null) {
        return;
      }
      for (var owner : child.getMetadata().getOwnerReferences()) {
        if (!owner.getApiVersion().startsWith(Aim.GROUP + "/") || Workflows.forKind(owner.getKind()) == null) {
          continue;
        }
        // A cluster-scoped owner (a cluster template's discovery Job in the operator namespace) has no namespace.
        String namespace = AimKinds.namespaced(AimKinds.byKind(owner.getKind())) ? child.getMetadata().getNamespace() : null;
        ResourceRef ref = new ResourceRef(owner.getKind(), namespace, owner.getName(), owner.getUid());
        signal(ref, new ResourceEvent(owner.getUid(), 0, false));
      }
    }
  }

  /** Node GPU labels changed: templates that need a GPU re-check availability. */
  private final class NodeGpuHandler implements ResourceEventHandler<io.fabric8.kubernetes.api.model.Node> {
    @Override
    public void onAdd(io.fabric8.kubernetes.api.model.Node node) {
      if (hasGpuLabels(node)) {
        dependents.gpuTemplates().forEach(WatchBridge.this::wake);
      }
    }

    @Override
    public void onUpdate(io.fabric8.kubernetes.api.model.Node oldNode, io.fabric8.kubernetes.api.model.Node newNode) {
      if (!Objects.equals(gpuLabels(oldNode), gpuLabels(newNode))) {
        dependents.gpuTemplates().forEach(WatchBridge.this::wake);
      }
    }

    @Override
    public void onDelete(io.fabric8.kubernetes.api.model.Node node, boolean deletedFinalStateUnknown) {
      if (hasGpuLabels(node)) {
        dependents.gpuTemplates().forEach(WatchBridge.this::wake);
      }
    }
  }

  static Map<String, String> gpuLabels(io.fabric8.kubernetes.api.model.Node node) {
    Map<String, String> out = new java.util.TreeMap<>();
    if (node.getMetadata().getLabels() != null) {
      node.getMetadata().getLabels().forEach((k, v) -> {
        if (k.contains("amd.com/gpu")) {
          out.put(k, v);
        }
      });
    }
    return out;
  }

  private static boolean hasGpuLabels(io.fabric8.kubernetes.api.model.Node node) {
    return !gpuLabels(node).isEmpty();
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(Class<T> kind) {
    var op = kubernetes.resources(kind);
    ResourceEventHandler<T> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            deliver(obj, true);
            if (isRuntimeConfig(obj.getClass())) {
              wakeDependents(obj);
            }
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            boolean resynced = Objects.equals(oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion());
            boolean specChanged = !Objects.equals(oldObj.getMetadata().getGeneration(), newObj.getMetadata().getGeneration());
            boolean deleting = oldObj.getMetadata().getDeletionTimestamp() == null && newObj.getMetadata().getDeletionTimestamp() != null;
            boolean uidChanged = !Objects.equals(oldObj.getMetadata().getUid(), newObj.getMetadata().getUid());
            if (resynced || specChanged || deleting || uidChanged) {
              deliver(newObj, true);
            }
            if (!resynced) {
              // Runtime configs have no workflow: any change of theirs matters to their users.
              wakeDependents(newObj);
            }
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            deliver(obj, false);
            wakeDependents(obj);
          }
        };
    return AimKinds.namespaced(kind)
        ? op.inAnyNamespace().inform(handler, resync.toMillis())
        : op.inform(handler, resync.toMillis());
  }

  /** Signals (and, unless the object is gone, starts) the resource's workflow. */
  void deliver(HasMetadata obj, boolean startIfMissing) {
    var md = obj.getMetadata();
    String kind = obj.getKind();
    if (Workflows.forKind(kind) == null) {
      return;
    }
    ResourceRef ref = new ResourceRef(kind, md.getNamespace(), md.getName(), md.getUid());
    ResourceEvent event =
        new ResourceEvent(md.getUid(), md.getGeneration() == null ? 0 : md.getGeneration(), md.getDeletionTimestamp() != null);
    if (!startIfMissing) {
      signal(ref, event);
      return;
    }
    String id = WorkflowIds.of(ref);
    try {
      WorkflowSignals.signalWithStart(temporal, ref, event);
      log.debug("signalled {} (generation {}, deleting {})", id, event.generation(), event.deleting());
    } catch (RuntimeException e) {
      // The next resync delivers it again; the workflow re-reads Kubernetes either way.
      log.warn("could not signal {}: {}", id, e.toString());
    }
  }

  /** Signals a running workflow; a workflow that is not running is left alone. */
  private void signal(ResourceRef ref, ResourceEvent event) {
    String id = WorkflowIds.of(ref);
    try {
      WorkflowSignals.signal(temporal, ref, event);
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      log.debug("{} has no running workflow", id);
    } catch (RuntimeException e) {
      log.debug("could not signal {}: {}", id, e.toString());
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
  }
}
