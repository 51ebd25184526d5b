package aim.orchestrator.starter.api;

import io.grpc.StatusRuntimeException;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;

/** Temporal client failures as the API's problems. */
final class TemporalErrors {
  private TemporalErrors() {}

  static ApiException toApi(String what, RuntimeException e) {
    if (e instanceof ScheduleAlreadyRunningException) {
      return new ApiException(ProblemType.ALREADY_EXISTS, what + " already exists", e);
    }
    StatusRuntimeException grpc = grpcCause(e);
    if (grpc == null) {
      return new ApiException(ProblemType.TEMPORAL_ERROR, what + ": " + e.getMessage(), e);
    }
    String description = grpc.getStatus().getDescription() == null ? grpc.getStatus().getCode().name() : grpc.getStatus().getDescription();
    return switch (grpc.getStatus().getCode()) {
      case UNIMPLEMENTED ->
          new ApiException(
                  ProblemType.NOT_IMPLEMENTED,
                  "This Temporal server does not implement schedules (" + description + "). Temporal's Java test server,"
                      + " which the dev mode runs, has none; use a Temporal server or Temporal Cloud.",
                  e)
              .with("grpcStatus", "UNIMPLEMENTED");
      case NOT_FOUND -> new ApiException(ProblemType.NOT_FOUND, what + " not found", e);
      case ALREADY_EXISTS -> new ApiException(ProblemType.ALREADY_EXISTS, what + " already exists", e);
      case INVALID_ARGUMENT -> new ApiException(ProblemType.VALIDATION, what + " is invalid: " + description, e);
      case UNAVAILABLE, DEADLINE_EXCEEDED -> new ApiException(ProblemType.TEMPORAL_UNAVAILABLE, "Temporal is unavailable: " + description, e);
      default -> new ApiException(ProblemType.TEMPORAL_ERROR, what + ": " + grpc.getStatus().getCode() + " " + description, e);
    };
  }

  private static StatusRuntimeException grpcCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        return s;
      }
    }
    return null;
  }
}
