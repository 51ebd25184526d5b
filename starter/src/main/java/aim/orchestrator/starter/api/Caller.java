package aim.orchestrator.starter.api;

import java.util.List;
import java.util.Map;

/**
 * Who is calling, as the Kubernetes API server's TokenReview identified the bearer token.
 *
 * @param username e.g. {@code alice} or {@code system:serviceaccount:ml-team:deployer}
 * @param uid the user's UID, if the authenticator reports one
 * @param groups the user's groups
 * @param extra extra attributes of the user (passed on to SubjectAccessReviews unchanged)
 */
public record Caller(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
  /** The caller when {@code aim.starter.api.auth-enabled} is false: nobody is checked. */
  public static final Caller UNCHECKED = new Caller("(authentication disabled)", "", List.of(), Map.of());
}
