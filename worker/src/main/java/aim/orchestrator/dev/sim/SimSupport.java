package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Small helpers shared by the simulated controllers. */
final class SimSupport {

  /** Label put on everything the simulator creates, so it can be told apart from real objects. */
  static final String SIMULATED_LABEL = "dev.aim/simulated";

  /** How often a status write is retried after a 409 before the reconcile gives up for now. */
  private static final int MAX_CONFLICT_RETRIES = 8;

  // Kubernetes' own random suffixes avoid vowels (no accidental words); consonants only keeps the
  // suffix lowercase letters as the callers expect.
  private static final char[] SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz".toCharArray();
  private static final Random RANDOM = new SecureRandom();

  private SimSupport() {}

  /** Returns "now" as Kubernetes writes timestamps (RFC 3339, whole seconds, UTC). */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Returns {@code n} random lowercase characters, like the suffix of a generated Pod name. */
  static String randomSuffix(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(SUFFIX_ALPHABET[RANDOM.nextInt(SUFFIX_ALPHABET.length)]);
    }
    return sb.toString();
  }

  /** Returns the first {@code hexChars} hex digits of the SHA-256 of {@code text}. */
  static String shortHash(String text, int hexChars) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  static boolean isDeleting(HasMetadata obj) {
    return obj.getMetadata() != null && obj.getMetadata().getDeletionTimestamp() != null;
  }

  static String keyOf(HasMetadata obj) {
    return obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
  }

  /** An owner reference to {@code owner} marked as its controller, as built-in controllers set. */
  static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * Writes an object's status from a fresh read, tolerating races.
   *
   * <p>Reads the object, lets {@code mutation} change its status (it answers whether anything needs
   * writing, which keeps the write idempotent), and PUTs it to the status subresource. A 409 means
   * somebody else wrote in between, so the loop re-reads and re-decides rather than overwriting
   * their change. A 404/405 on the subresource while the object still exists means the server does
   * not serve {@code /status} for this kind, so the whole object is replaced instead.
   *
   * @return what happened; {@link StatusWrite#object()} is {@code null} when the object is gone
   */
  static <T extends HasMetadata> StatusWrite<T> writeStatus(
      Supplier<T> read, Predicate<T> mutation, Function<T, Resource<T>> resourceOf) {
    for (int attempt = 1; ; attempt++) {
      T fresh = read.get();
      if (fresh == null) {
        return new StatusWrite<>(null, false);
      }
      if (!mutation.test(fresh)) {
        return new StatusWrite<>(fresh, false);
      }
      try {
        return new StatusWrite<>(resourceOf.apply(fresh).updateStatus(), true);
      } catch (KubernetesClientException e) {
        int code = e.getCode();
        if (code == HttpURLConnection.HTTP_NOT_FOUND || code == HttpURLConnection.HTTP_BAD_METHOD) {
          if (read.get() == null) {
            return new StatusWrite<>(null, false);
          }
          try {
            return new StatusWrite<>(resourceOf.apply(fresh).update(), true);
          } catch (KubernetesClientException replaceError) {
            if (replaceError.getCode() != HttpURLConnection.HTTP_CONFLICT
                || attempt >= MAX_CONFLICT_RETRIES) {
              throw replaceError;
            }
          }
        } else if (code != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }

  /**
   * Outcome of {@link #writeStatus}.
   *
   * @param object the object after the call, {@code null} when it no longer exists
   * @param written whether this call wrote anything
   */
  record StatusWrite<T>(T object, boolean written) {}
}
