package aim.orchestrator.starter.api;

import aim.orchestrator.crd.FieldError;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 7807 problem detail with a stable {@code type} ({@link ProblemType}): the API's own errors,
 * the Kubernetes API's answers (404, 409 AlreadyExists/Conflict, 422 Invalid with its field causes, ...), and Spring
 * MVC's (an unreadable body, a wrong media type, ...).
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
    ProblemDetail problem = problem(e.type(), e.getMessage(), request);
    e.properties().forEach(problem::setProperty);
    ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.type().status());
    if (e.type() == ProblemType.UNAUTHENTICATED) {
      answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"aim-orchestrator\"");
    }
    return answer.body(problem);
  }

  @ExceptionHandler(KubernetesClientException.class)
  ResponseEntity<ProblemDetail> kubernetes(KubernetesClientException e, HttpServletRequest request) {
    Status status = e.getStatus();
    String message = status != null && status.getMessage() != null ? status.getMessage() : String.valueOf(e.getMessage());
    String reason = status == null ? null : status.getReason();
    ProblemType type =
        switch (e.getCode()) {
          case 400 -> ProblemType.BAD_REQUEST;
          case 404 -> ProblemType.NOT_FOUND;
          case 409 -> "AlreadyExists".equals(reason) || message.contains("already exists") ? ProblemType.ALREADY_EXISTS : ProblemType.CONFLICT;
          case 410 -> ProblemType.EXPIRED;
          case 422 -> ProblemType.VALIDATION;
          case 0 -> ProblemType.KUBERNETES_UNAVAILABLE;
          default -> e.getCode() >= 500 && e.getCode() != 501 ? ProblemType.KUBERNETES_UNAVAILABLE : ProblemType.KUBERNETES_ERROR;
        };
    if (type == ProblemType.KUBERNETES_ERROR || type == ProblemType.KUBERNETES_UNAVAILABLE) {
      log.warn("Kubernetes API error on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
    }
    ProblemDetail problem = problem(type, message, request);
    if (type == ProblemType.VALIDATION) {
      problem.setProperty("errors", causes(status));
    }
    return ResponseEntity.status(type.status()).body(problem);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return ResponseEntity.status(ProblemType.INTERNAL.status())
        .body(problem(ProblemType.INTERNAL, "Unexpected error: " + e, request));
  }

  /** Spring MVC's own errors come as problem details too; they get this API's type for their status. */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem && URI.create("about:blank").equals(problem.getType())) {
      ProblemType type = ProblemType.forStatus(statusCode.value());
      problem.setType(type.uri());
      problem.setTitle(type.title());
      if (request instanceof ServletWebRequest servlet) {
        problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
      }
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  static ProblemDetail problem(ProblemType type, String detail, HttpServletRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
    problem.setType(type.uri());
    problem.setTitle(type.title());
    problem.setInstance(URI.create(request.getRequestURI()));
    return problem;
  }

  private static List<FieldError> causes(Status status) {
    List<FieldError> errors = new ArrayList<>();
    if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
      for (StatusCause cause : status.getDetails().getCauses()) {
        errors.add(new FieldError(cause.getReason(), cause.getField(), cause.getMessage()));
      }
    }
    return errors;
  }
}
