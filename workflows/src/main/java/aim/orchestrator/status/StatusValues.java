package aim.orchestrator.status;

import aim.orchestrator.model.AIMStatus;

/** The status value each kind shows for a root status. */
public final class StatusValues {
  private StatusValues() {}

  /**
   * AIMService maps Progressing to Starting and Ready to Running (the reference's {@code SetStatus}). A
   * NotAvailable component (a template whose GPU the cluster lacks) shows as Pending: NotAvailable is not in the
   * AIMService status enum, and the reference writes it anyway, which the CRD rejects (docs/differences.md).
   */
  public static String display(String kind, AIMStatus root) {
    if ("AIMService".equals(kind)) {
      return switch (root) {
        case Progressing, Starting -> "Starting";
        case Ready, Running -> "Running";
        case NotAvailable, Pending -> "Pending";
        case Degraded -> "Degraded";
        case Failed -> "Failed";
      };
    }
    return switch (root) {
      case Starting -> "Progressing";
      case Running -> "Ready";
      default -> root.name();
    };
  }
}
