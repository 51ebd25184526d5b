package aim.orchestrator.workflow;

import aim.orchestrator.activity.CacheActivities;
import aim.orchestrator.activity.ModelActivities;
import aim.orchestrator.activity.ModelSourceActivities;
import aim.orchestrator.activity.ResourceActivities;
import aim.orchestrator.activity.ServiceActivities;
import aim.orchestrator.activity.TemplateActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The one catalog of activity options. Kubernetes calls retry infrastructure errors with backoff — 4 attempts over
 * about 7 s, which is the reference's 10 s grace period before an unreachable API turns a resource Degraded;
 * invalid specs, missing references, auth errors and replaced objects are not retried — they become status. After
 * the retries run out the workflow marks the resource Degraded ({@code DependenciesReachable=False}) and tries again
 * on a timer, so an API outage never loses a step.
 */
public final class ActivityStubs {
  static final RetryOptions KUBERNETES_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(20))
          .setMaximumAttempts(4)
          .setDoNotRetry(ErrorTypes.nonRetryable())
          .build();

  static final ActivityOptions KUBERNETES =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.KUBERNETES)
          .setStartToCloseTimeout(Duration.ofSeconds(60))
          .setScheduleToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(KUBERNETES_RETRY)
          .build();

  /** A model-source sync lists whole registries (a tag list per repository), so it may take minutes. */
  static final ActivityOptions REGISTRY_SYNC =
      ActivityOptions.newBuilder(KUBERNETES)
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setScheduleToCloseTimeout(Duration.ofMinutes(30))
          .build();

  /**
   * Following a download: a heartbeat every few seconds (a lost worker is noticed within 30 s and another takes
   * over the same Job), at most 15 minutes per call (the activity returns after 10 to let the workflow write
   * status), and a failed attempt retried with backoff — each retry runs a fresh download Job. Failures a retry
   * cannot fix are returned as status, not thrown.
   */
  static final RetryOptions TRANSFER_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(10))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(2))
          .setMaximumAttempts(4)
          .setDoNotRetry(ErrorTypes.nonRetryable())
          .build();

  static final ActivityOptions TRANSFERS =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.TRANSFERS)
          .setStartToCloseTimeout(Duration.ofMinutes(15))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(TRANSFER_RETRY)
          .build();

  /**
   * Re-verifying an artifact reads (hashes) the whole model from its PVC in a Job, which takes a while for large
   * models: up to 3 hours per call, a heartbeat every few seconds.
   */
  static final ActivityOptions VERIFICATION =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.TRANSFERS)
          .setStartToCloseTimeout(Duration.ofHours(3))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(KUBERNETES_RETRY)
          .build();

  private ActivityStubs() {}

  public static aim.orchestrator.activity.TransferActivities verification() {
    return Workflow.newActivityStub(aim.orchestrator.activity.TransferActivities.class, VERIFICATION);
  }

  public static aim.orchestrator.activity.WarmingActivities warming() {
    return Workflow.newActivityStub(aim.orchestrator.activity.WarmingActivities.class, KUBERNETES);
  }

  public static aim.orchestrator.activity.TransferActivities transfers() {
    return Workflow.newActivityStub(aim.orchestrator.activity.TransferActivities.class, TRANSFERS);
  }

  public static ResourceActivities resources() {
    return Workflow.newActivityStub(ResourceActivities.class, KUBERNETES);
  }

  public static ServiceActivities service() {
    return Workflow.newActivityStub(ServiceActivities.class, KUBERNETES);
  }

  public static ModelActivities model() {
    return Workflow.newActivityStub(ModelActivities.class, KUBERNETES);
  }

  public static TemplateActivities template() {
    return Workflow.newActivityStub(TemplateActivities.class, KUBERNETES);
  }

  public static ModelSourceActivities modelSources() {
    return Workflow.newActivityStub(ModelSourceActivities.class, REGISTRY_SYNC);
  }

  public static CacheActivities cache() {
    return Workflow.newActivityStub(CacheActivities.class, KUBERNETES);
  }
}
