package aim.orchestrator.starter.watch;

import aim.orchestrator.model.AimKinds;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.Workflows;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

  public WatchBridge(KubernetesClient kubernetes, WorkflowClient temporal, Duration resync) {
    this.kubernetes = kubernetes;
    this.temporal = temporal;
    this.resync = resync;
  }

  /** Starts one informer per AIM kind that has a workflow, across all namespaces. */
  public WatchBridge start() {
    for (Class<? extends HasMetadata> kind : AimKinds.ALL) {
      if (Workflows.forKind(HasMetadata.getKind(kind)) == null) {
        continue;
      }
      informers.add(inform(kind));
    }
    log.info("watch bridge started: {} kinds", informers.size());
    return this;
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(Class<T> kind) {
    var op = kubernetes.resources(kind);
    ResourceEventHandler<T> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            deliver(obj, true);
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
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            deliver(obj, false);
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
    Class<?> workflow = Workflows.forKind(kind);
    if (workflow == null) {
      return;
    }
    ResourceRef ref = new ResourceRef(kind, md.getNamespace(), md.getName(), md.getUid());
    ResourceEvent event =
        new ResourceEvent(md.getUid(), md.getGeneration() == null ? 0 : md.getGeneration(), md.getDeletionTimestamp() != null);
    String id = WorkflowIds.of(ref);
    try {
      if (startIfMissing) {
        WorkflowStub stub =
            temporal.newUntypedWorkflowStub(
                workflow.getSimpleName(),
                WorkflowOptions.newBuilder()
                    .setWorkflowId(id)
                    .setTaskQueue(TaskQueues.WORKFLOWS)
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                    .build());
        stub.signalWithStart("observe", new Object[] {event}, new Object[] {ref});
      } else {
        temporal.newUntypedWorkflowStub(id).signal("observe", event);
      }
      log.debug("signalled {} (generation {}, deleting {})", id, event.generation(), event.deleting());
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      log.debug("{} has no running workflow", id);
    } catch (RuntimeException e) {
      // The next resync delivers it again; the workflow re-reads Kubernetes either way.
      log.warn("could not signal {}: {}", id, e.toString());
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
  }
}
