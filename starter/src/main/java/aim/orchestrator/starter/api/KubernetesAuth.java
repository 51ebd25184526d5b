package aim.orchestrator.starter.api;

import aim.orchestrator.model.Aim;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Authentication and authorization the Kubernetes way: a bearer token is what the API server's TokenReview says it
 * is, and a request is allowed when a SubjectAccessReview for that user says so, so the REST API grants exactly what
 * the caller's RBAC grants. Answers are reused for {@code aim.starter.api.auth-cache-ttl} (tokens are kept only as
 * SHA-256 hashes).
 */
@Component
public class KubernetesAuth {
  /** What is asked of RBAC: a verb on an AIM resource (group {@code aim.eai.amd.com}). */
  public record Question(String verb, String resource, String namespace, String name) {}

  /** RBAC's answer; {@code reason} is the authorizer's explanation, if any. */
  public record Decision(boolean allowed, String reason) {}

  private record DecisionKey(Caller caller, Question question) {}

  private static final int MAX_ENTRIES = 10_000;

  private final KubernetesClient kubernetes;
  private final ExpiringCache<String, Optional<Caller>> tokens;
  private final ExpiringCache<DecisionKey, Decision> decisions;

  public KubernetesAuth(KubernetesClient kubernetes, ApiProperties props) {
    this.kubernetes = kubernetes;
    this.tokens = new ExpiringCache<>(props.authCacheTtl(), MAX_ENTRIES, Clock.systemUTC());
    this.decisions = new ExpiringCache<>(props.authCacheTtl(), MAX_ENTRIES, Clock.systemUTC());
  }

  /** The user a bearer token belongs to, or empty when the API server does not authenticate it. */
  public Optional<Caller> authenticate(String token) {
    return tokens.get(sha256(token), hash -> review(token));
  }

  private Optional<Caller> review(String token) {
    TokenReview review =
        kubernetes
            .authentication()
            .v1()
            .tokenReviews()
            .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
      return Optional.empty();
    }
    UserInfo user = review.getStatus().getUser();
    return Optional.of(
        new Caller(
            user.getUsername(),
            user.getUid() == null ? "" : user.getUid(),
            user.getGroups() == null ? List.of() : List.copyOf(user.getGroups()),
            user.getExtra() == null ? Map.of() : Map.copyOf(user.getExtra())));
  }

  /** Whether RBAC lets the caller do what the question asks. */
  public Decision authorize(Caller caller, Question question) {
    return decisions.get(new DecisionKey(caller, question), k -> review(caller, question));
  }

  private Decision review(Caller caller, Question q) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(caller.username())
            .withUid(caller.uid().isEmpty() ? null : caller.uid())
            .withGroups(caller.groups())
            .withExtra(caller.extra().isEmpty() ? null : caller.extra())
            .withNewResourceAttributes()
            .withVerb(q.verb())
            .withGroup(Aim.GROUP)
            .withResource(q.resource())
            .withNamespace(q.namespace())
            .withName(q.name())
            .endResourceAttributes()
            .endSpec()
            .build();
    SubjectAccessReviewStatus status = kubernetes.authorization().v1().subjectAccessReview().create(review).getStatus();
    if (status == null) {
      return new Decision(false, "");
    }
    return new Decision(Boolean.TRUE.equals(status.getAllowed()), status.getReason() == null ? "" : status.getReason());
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
