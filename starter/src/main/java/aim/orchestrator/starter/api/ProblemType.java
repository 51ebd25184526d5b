package aim.orchestrator.starter.api;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every kind of error the REST API answers, each with a stable {@code type} URI for its RFC 7807 problem detail
 * ({@code https://aim-orchestrator.dev/problems/<slug>}). docs/rest.md lists them.
 */
public enum ProblemType {
  VALIDATION("validation", "Invalid object", HttpStatus.UNPROCESSABLE_ENTITY),
  BAD_REQUEST("bad-request", "Bad request", HttpStatus.BAD_REQUEST),
  UNAUTHENTICATED("unauthenticated", "Not authenticated", HttpStatus.UNAUTHORIZED),
  FORBIDDEN("forbidden", "Forbidden", HttpStatus.FORBIDDEN),
  NOT_FOUND("not-found", "Not found", HttpStatus.NOT_FOUND),
  METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED),
  NOT_ACCEPTABLE("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE),
  EXPIRED("expired", "Continue token expired", HttpStatus.GONE),
  ALREADY_EXISTS("already-exists", "Already exists", HttpStatus.CONFLICT),
  CONFLICT("conflict", "Conflict", HttpStatus.CONFLICT),
  ACTION_NOT_APPLICABLE("action-not-applicable", "Action not applicable", HttpStatus.CONFLICT),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  INTERNAL("internal", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR),
  NOT_IMPLEMENTED("not-implemented", "Not implemented by this Temporal server", HttpStatus.NOT_IMPLEMENTED),
  KUBERNETES_ERROR("kubernetes-error", "Kubernetes API error", HttpStatus.BAD_GATEWAY),
  KUBERNETES_UNAVAILABLE("kubernetes-unavailable", "Kubernetes API unavailable", HttpStatus.SERVICE_UNAVAILABLE),
  TEMPORAL_ERROR("temporal-error", "Temporal error", HttpStatus.BAD_GATEWAY),
  TEMPORAL_UNAVAILABLE("temporal-unavailable", "Temporal unavailable", HttpStatus.SERVICE_UNAVAILABLE);

  public static final String BASE = "https://aim-orchestrator.dev/problems/";

  private final String slug;
  private final String title;
  private final HttpStatus status;

  ProblemType(String slug, String title, HttpStatus status) {
    this.slug = slug;
    this.title = title;
    this.status = status;
  }

  public URI uri() {
    return URI.create(BASE + slug);
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public HttpStatus status() {
    return status;
  }

  /** The type Spring's own errors of a status get (415, 405, a body that does not parse, ...). */
  static ProblemType forStatus(int status) {
    for (ProblemType t : values()) {
      if (t.status.value() == status && t != ALREADY_EXISTS && t != ACTION_NOT_APPLICABLE && t != VALIDATION) {
        return t;
      }
    }
    return status >= 500 ? INTERNAL : BAD_REQUEST;
  }
}
