package aim.orchestrator.workflow;

/** Task queues, one per kind of work so each worker pool can be sized on its own. */
public final class TaskQueues {
  /** Workflow tasks: cheap, CPU-bound decisions. */
  public static final String WORKFLOWS = "aim-workflows";
  /** Kubernetes API calls: bounded by the API server's rate limits. */
  public static final String KUBERNETES = "aim-kubernetes";
  /** Activities that follow long transfers (download Jobs): mostly waiting, many at once. */
  public static final String TRANSFERS = "aim-transfers";

  private TaskQueues() {}
}
