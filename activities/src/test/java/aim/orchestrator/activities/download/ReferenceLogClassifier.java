package aim.orchestrator.activities.download;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The AIM engine's classification of a failed download pod's log (AE {@code
 * internal/controller/utils/health_fetchers.go}, {@code categorizeErrorFromLogs}): pattern groups
 * checked in order (infrastructure, not found, auth, storage full), each against every line.
 * Restated here from the behaviour spec so tests can check that the command's output lands in the
 * right bucket.
 */
final class ReferenceLogClassifier {
  private static final List<Pattern> INFRASTRUCTURE =
      patterns(
          "RBAC:.*not found",
          "clusterrole.*not found",
          "forbidden.*cannot.*resource",
          "serviceaccount.*cannot");
  private static final List<Pattern> NOT_FOUND =
      patterns(
          "Repository Not Found",
          "RepositoryNotFoundError",
          "404.*not.*found",
          "not.*found.*404",
          "NoSuchKey",
          "NoSuchBucket",
          "model.*not.*found",
          "file.*not.*found",
          "s3.*404");
  private static final List<Pattern> AUTH =
      patterns(
          "access.*denied.*s3",
          "s3.*403",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "s3.*unauthorized",
          "aws.*credentials.*not.*found",
          "NoCredentialProviders",
          "Access to model .* is restricted",
          "Cannot access gated repo",
          "Invalid.*token.*huggingface",
          "huggingface.*authentication.*failed",
          "401.*Unauthorized.*hf\\.co",
          "403.*Forbidden.*hf\\.co");
  private static final List<Pattern> STORAGE_FULL =
      patterns(
          "no space left on device", "disk.*full", "ENOSPC", "quota.*exceeded", "storage.*full");

  private ReferenceLogClassifier() {}

  /**
   * {@code Infrastructure}, {@code SourceNotFound}, {@code AuthError}, {@code StorageFull} or
   * {@code Unknown}.
   */
  static String classify(String log) {
    List<String> lines = log.lines().toList();
    if (matches(INFRASTRUCTURE, lines)) {
      return "Infrastructure";
    }
    if (matches(NOT_FOUND, lines)) {
      return "SourceNotFound";
    }
    if (matches(AUTH, lines)) {
      return "AuthError";
    }
    if (matches(STORAGE_FULL, lines)) {
      return "StorageFull";
    }
    return "Unknown";
  }

  private static boolean matches(List<Pattern> group, List<String> lines) {
    return group.stream().anyMatch(p -> lines.stream().anyMatch(l -> p.matcher(l).find()));
  }

  private static List<Pattern> patterns(String... regexes) {
    return Arrays.stream(regexes).map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE)).toList();
  }
}
