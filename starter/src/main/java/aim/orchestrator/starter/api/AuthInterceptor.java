package aim.orchestrator.starter.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates every {@code /api/**} request by its bearer token (TokenReview) and keeps the caller for the
 * authorization checks of the handler ({@link Access}). No or an unknown token: 401.
 */
@Component
class AuthInterceptor implements HandlerInterceptor {
  static final String CALLER = Caller.class.getName();
  private static final String BEARER = "Bearer ";

  private final KubernetesAuth auth;
  private final ApiProperties props;

  AuthInterceptor(KubernetesAuth auth, ApiProperties props) {
    this.auth = auth;
    this.props = props;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (CorsUtils.isPreFlightRequest(request)) {
      // A browser's CORS preflight carries no credentials; it only asks, and the CORS configuration answers.
      return true;
    }
    if (!props.authEnabled()) {
      request.setAttribute(CALLER, Caller.UNCHECKED);
      return true;
    }
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.substring(BEARER.length()).isBlank()) {
      throw new ApiException(ProblemType.UNAUTHENTICATED, "A bearer token is required: send 'Authorization: Bearer <token>'");
    }
    String token = header.substring(BEARER.length()).strip();
    Caller caller =
        auth.authenticate(token)
            .orElseThrow(
                () -> new ApiException(ProblemType.UNAUTHENTICATED, "The Kubernetes API server does not accept this bearer token (TokenReview)"));
    request.setAttribute(CALLER, caller);
    return true;
  }
}
