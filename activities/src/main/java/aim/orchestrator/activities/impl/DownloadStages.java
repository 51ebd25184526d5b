package aim.orchestrator.activities.impl;

import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMArtifactStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.DependencyType;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status of an artifact's download stage, in the reference's vocabulary: components {@code DownloadJobPods} and
 * {@code DownloadJob}, condition {@code DownloadComplete} (True {@code Verified}; False {@code Downloading} or
 * {@code VerificationFailed}), {@code progress} and {@code download}.
 */
final class DownloadStages {
  private static final DependencyType D = DependencyType.DOWNSTREAM;

  private DownloadStages() {}

  static StageResult verified(String jobName, long totalBytes, String protocol) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("progress", progress(totalBytes, totalBytes, "100%", 100));
    fields.put("download", download(protocol, null, null, "Complete"));
    String what = jobName == null ? "Download verified" : "Download Job " + jobName + " completed; files verified";
    return new StageResult(
        List.of(
            ComponentHealth.ready("DownloadJobPods", "PodSucceeded", what, D),
            ComponentHealth.ready("DownloadJob", "Verified", what, D)),
        fields,
        null,
        null,
        List.of(ConditionSpec.isTrue("DownloadComplete", "Verified", what)));
  }

  /** A running download; {@code output} names the Job so the workflow follows it. */
  static StageResult downloading(String jobName, List<Pod> pods, Map<String, Object> fields, String message) {
    ComponentHealth podHealth = PodHealth.of("DownloadJobPods", pods);
    return new StageResult(
        List.of(podHealth, ComponentHealth.of("DownloadJob", AIMStatus.Progressing, "Downloading", message, D)),
        fields,
        null,
        jobName,
        List.of(ConditionSpec.isFalse("DownloadComplete", "Downloading", message)));
  }

  /** A failed download; {@code retryAt} is when a fresh attempt will be made, null if never without a change. */
  static StageResult failed(DownloadJobs.Failure f, String jobName, Instant retryAt, String protocol) {
    String next =
        retryAt == null
            ? "; fix the cause, then delete Job " + jobName + " (or change the artifact) to try again"
            : "; next attempt after " + retryAt;
    String message = f.message() + next;
    ComponentHealth pods =
        f.category() == null
            ? ComponentHealth.of("DownloadJobPods", AIMStatus.Failed, f.reason(), message, D)
            : ComponentHealth.error("DownloadJobPods", f.category(), f.reason(), message, D);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("progress", progressNotAvailable());
    fields.put("download", download(protocol, null, null, "Failed: " + f.reason()));
    return new StageResult(
        List.of(pods, ComponentHealth.of("DownloadJob", AIMStatus.Failed, f.reason(), "Download Job " + jobName + " failed: " + message, D)),
        fields,
        null,
        null,
        List.of(ConditionSpec.isFalse(
            "DownloadComplete", "VerificationFailed".equals(f.reason()) ? "VerificationFailed" : "Downloading", f.message())));
  }

  static AIMArtifactStatus.Progress progress(long total, long done, String display, int percentage) {
    AIMArtifactStatus.Progress p = new AIMArtifactStatus.Progress();
    p.totalBytes = total;
    p.downloadedBytes = done;
    p.percentage = percentage;
    p.displayPercentage = display;
    return p;
  }

  /** Progress while downloading: at most 99 % until the files are verified. */
  static AIMArtifactStatus.Progress running(long total, long done) {
    int pct = total > 0 ? (int) Math.min(99, done * 100 / total) : 0;
    return progress(total, done, pct + "%", pct);
  }

  static AIMArtifactStatus.Progress progressNotAvailable() {
    AIMArtifactStatus.Progress p = new AIMArtifactStatus.Progress();
    p.displayPercentage = "N/A";
    return p;
  }

  static AIMArtifactStatus.Download download(String protocol, Integer attempt, Integer totalAttempts, String message) {
    AIMArtifactStatus.Download d = new AIMArtifactStatus.Download();
    d.protocol = protocol;
    d.attempt = attempt;
    d.totalAttempts = totalAttempts;
    d.protocolSequence = protocol;
    d.message = message;
    return d;
  }

  static String protocolOf(String sourceUri) {
    return sourceUri != null && sourceUri.toLowerCase(java.util.Locale.ROOT).startsWith("s3://") ? "S3" : "HTTP";
  }
}
