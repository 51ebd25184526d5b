package aim.orchestrator.starter.api;

import aim.orchestrator.starter.api.KubernetesAuth.Decision;
import aim.orchestrator.starter.api.KubernetesAuth.Question;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The authorization checks of the current request: each handler asks, before it acts, whether the caller's RBAC
 * allows the verb on the AIM resource (a SubjectAccessReview), so the API never does more than the caller could do
 * with kubectl.
 */
@Component
public class Access {
  private final KubernetesAuth auth;
  private final ApiProperties props;

  Access(KubernetesAuth auth, ApiProperties props) {
    this.auth = auth;
    this.props = props;
  }

  /** The caller of the current request. */
  public Caller caller() {
    Object caller = RequestContextHolder.currentRequestAttributes().getAttribute(AuthInterceptor.CALLER, RequestAttributes.SCOPE_REQUEST);
    return caller instanceof Caller c ? c : Caller.UNCHECKED;
  }

  /**
   * Throws 403 unless RBAC allows the caller {@code verb} on {@code resource} (group {@code aim.eai.amd.com}).
   *
   * @param namespace null for cluster-scoped resources and for requests across all namespaces
   * @param name null for collections
   */
  public void require(String verb, String resource, String namespace, String name) {
    Decision decision = decide(verb, resource, namespace, name);
    if (decision.allowed()) {
      return;
    }
    Caller caller = caller();
    String target = name == null ? resource : resource + " \"" + name + "\"";
    String scope = namespace == null ? "at the cluster scope" : "in the namespace \"" + namespace + "\"";
    String detail =
        target + " is forbidden: User \"" + caller.username() + "\" cannot " + verb + " resource \"" + resource
            + "\" in API group \"aim.eai.amd.com\" " + scope
            + (decision.reason().isEmpty() ? "" : ": " + decision.reason());
    ApiException forbidden =
        new ApiException(ProblemType.FORBIDDEN, detail)
            .with("user", caller.username())
            .with("verb", verb)
            .with("resource", resource);
    if (namespace != null) {
      forbidden.with("namespace", namespace);
    }
    if (name != null) {
      forbidden.with("name", name);
    }
    throw forbidden;
  }

  /** Whether RBAC allows the caller {@code verb} on {@code resource}; for parts of an answer that may be left out. */
  public boolean allows(String verb, String resource, String namespace, String name) {
    return decide(verb, resource, namespace, name).allowed();
  }

  private Decision decide(String verb, String resource, String namespace, String name) {
    if (!props.authEnabled()) {
      return new Decision(true, "");
    }
    return auth.authorize(caller(), new Question(verb, resource, namespace, name));
  }
}
