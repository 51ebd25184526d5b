package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the dev/test-only simulator keeps a Pod's container logs: there is no kubelet to ask, so
 * the log is stored on the Pod itself, in the annotation {@code sim.dev.aim/log.<container-name>},
 * and the dev Kubernetes API serves {@code pods/log} from it.
 *
 * <p>For a Job's Pod the annotations are written once, when its containers terminate and before the
 * Pod turns {@code Succeeded}/{@code Failed}: the first container gets the {@link
 * JobRunner.Outcome#log() log of the runner's outcome}, any other container an empty log. A log
 * keeps at most its last {@value #MAX_LOG_BYTES} bytes (a real API server rejects objects whose
 * annotations exceed 256 KiB). A Pod without the annotation has not logged anything yet.
 */
public final class PodLogs {

  /** Prefix of the annotation holding a container's log; the container name follows. */
  public static final String ANNOTATION_PREFIX = "sim.dev.aim/log.";

  /** How much of a log is kept (its tail). */
  static final int MAX_LOG_BYTES = 128 * 1024;

  private PodLogs() {}

  /**
   * The annotation key for the log of {@code container}.
   *
   * @param container the container's name
   * @return {@code sim.dev.aim/log.<container>}
   */
  public static String annotationKey(String container) {
    return ANNOTATION_PREFIX + Objects.requireNonNull(container, "container");
  }

  /**
   * The stored log of {@code container} of {@code pod}.
   *
   * @param pod the Pod
   * @param container the container's name
   * @return the log, empty if none was stored (yet)
   */
  public static Optional<String> of(Pod pod, String container) {
    Map<String, String> annotations =
        pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
    return annotations == null
        ? Optional.empty()
        : Optional.ofNullable(annotations.get(annotationKey(container)));
  }

  /** Cuts {@code log} to its last {@link #MAX_LOG_BYTES} bytes, at a line start if possible. */
  static String tail(String log) {
    byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_LOG_BYTES) {
      return log;
    }
    String cut =
        new String(bytes, bytes.length - MAX_LOG_BYTES, MAX_LOG_BYTES, StandardCharsets.UTF_8);
    int newline = cut.indexOf('\n');
    return newline >= 0 && newline < cut.length() - 1 ? cut.substring(newline + 1) : cut;
  }
}
