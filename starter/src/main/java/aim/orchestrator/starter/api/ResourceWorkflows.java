package aim.orchestrator.starter.api;

import aim.orchestrator.starter.watch.WorkflowSignals;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import aim.orchestrator.workflow.WorkflowIds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowServiceException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The REST API's way to the resources' workflows: wake one after an action changed its resource, and read what it
 * last concluded (its {@code status} query) within a short deadline.
 */
@Component
public class ResourceWorkflows {
  /** A workflow's {@code status} answer, or why there is none. */
  public record Lifecycle(String workflowId, ResourceView view, String unavailable) {}

  private final WorkflowClient temporal;
  private final ApiProperties props;

  public ResourceWorkflows(WorkflowClient temporal, ApiProperties props) {
    this.temporal = temporal;
    this.props = props;
  }

  /** Signal-with-start of {@code observe}, as the watch bridge does for a spec change: the workflow looks again now. */
  public void wake(HasMetadata object) {
    ObjectMeta md = object.getMetadata();
    ResourceRef ref = new ResourceRef(object.getKind(), md.getNamespace(), md.getName(), md.getUid());
    ResourceEvent event = new ResourceEvent(md.getUid(), md.getGeneration() == null ? 0 : md.getGeneration(), md.getDeletionTimestamp() != null);
    try {
      WorkflowSignals.signalWithStart(temporal, ref, event);
    } catch (StatusRuntimeException | WorkflowServiceException e) {
      throw unavailable(WorkflowIds.of(ref), e);
    }
  }

  /** The {@code status} query of a resource's workflow, waiting at most {@code aim.starter.api.query-timeout}. */
  public Lifecycle status(String kind, String namespace, String name) {
    String id = WorkflowIds.of(kind, namespace, name);
    try {
      QueryWorkflowResponse response =
          temporal
              .getWorkflowServiceStubs()
              .blockingStub()
              .withDeadlineAfter(props.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
              .queryWorkflow(
                  QueryWorkflowRequest.newBuilder()
                      .setNamespace(temporal.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                      .setQuery(WorkflowQuery.newBuilder().setQueryType("status"))
                      .build());
      if (response.hasQueryRejected()) {
        return new Lifecycle(id, null, "the query was rejected: workflow status " + response.getQueryRejected().getStatus());
      }
      ResourceView view =
          temporal
              .getOptions()
              .getDataConverter()
              .fromPayloads(0, Optional.of(response.getQueryResult()), ResourceView.class, ResourceView.class);
      return new Lifecycle(id, view, null);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      String why =
          switch (code) {
            case NOT_FOUND -> "no workflow " + id + " (not started yet, or its history is gone)";
            case DEADLINE_EXCEEDED -> "no worker answered the status query within " + props.queryTimeout().toMillis() + " ms";
            case UNAVAILABLE -> "Temporal is unavailable: " + e.getStatus().getDescription();
            default -> code + ": " + e.getStatus().getDescription();
          };
      return new Lifecycle(id, null, why);
    }
  }

  private static ApiException unavailable(String id, RuntimeException e) {
    return new ApiException(ProblemType.TEMPORAL_UNAVAILABLE, "Could not signal workflow " + id + ": " + e.getMessage(), e);
  }
}
