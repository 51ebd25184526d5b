package aim.orchestrator.workflow.service;

import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The life of one AIMService, ID {@code AIMService/<namespace>/<name>}: runtime config → model → template →
 * template cache → InferenceService → wait ready → HTTPRoute → Running, then re-observe until deleted, then tear
 * down.
 */
@WorkflowInterface
public interface ServiceWorkflow {
  @WorkflowMethod
  void run(ResourceRef service);

  /** Something about the service changed (new generation, deletion); look again. */
  @SignalMethod
  void observe(ResourceEvent event);

  @QueryMethod
  ResourceView status();
}
