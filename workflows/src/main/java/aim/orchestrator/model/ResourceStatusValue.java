package aim.orchestrator.model;

/** The status values of models, templates, template caches and artifacts. */
public enum ResourceStatusValue {
  Pending,
  Progressing,
  Ready,
  Degraded,
  Failed,
  NotAvailable
}
