package aim.orchestrator.dev.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Objects;

/**
 * What "running" a Job's Pod means in the simulator.
 *
 * <p>The simulated Job controller creates the Pod (phase {@code Running}), calls {@link #run} on a
 * dedicated thread, and then terminates the Pod with the returned outcome and updates the Job's
 * status — retrying with a new Pod up to {@code spec.backoffLimit}, as Kubernetes does. A runner is
 * chosen per Job, which is where later work plugs in a real downloader for download Jobs while
 * every other Job keeps {@link #succeed() succeeding}.
 *
 * <p>The outcome's log becomes the Pod's log (see {@link PodLogs}) and its message the container's
 * termination message. A failure injected with {@link FailureInjection} replaces the runner: the
 * Pod then fails as injected without the runner being called.
 *
 * <p>Runners may block (a real download does); they should return promptly when interrupted, which
 * happens when the simulator is closed.
 */
@FunctionalInterface
public interface JobRunner {

  /**
   * Does the work of one Pod of {@code job}.
   *
   * @param job the Job as it was when the Pod was created
   * @param pod the Pod the work stands for (already {@code Running})
   * @return how the Pod's container ended; an exception counts as a failure with exit code 1
   * @throws Exception if the work fails
   */
  Outcome run(Job job, Pod pod) throws Exception;

  /**
   * Does the work of one Pod of {@code job} while its log grows: a runner that prints as it goes hands its log so
   * far to {@code live} now and then, and {@code kubectl logs} (and the orchestrator, which reads the downloader's
   * progress lines there) sees it before the Pod ends. The default ignores {@code live}.
   *
   * @param job the Job as it was when the Pod was created
   * @param pod the Pod the work stands for (already {@code Running})
   * @param live receives the container's whole log so far
   * @return how the Pod's container ended
   * @throws Exception if the work fails
   */
  default Outcome run(Job job, Pod pod, java.util.function.Consumer<String> live) throws Exception {
    return run(job, pod);
  }

  /**
   * The default runner: every Pod succeeds at once with exit code 0.
   *
   * @return a runner that always succeeds
   */
  static JobRunner succeed() {
    return (job, pod) -> Outcome.success();
  }

  /**
   * How a simulated container terminated.
   *
   * @param exitCode the container's exit code; 0 means success
   * @param message the termination message (what the container wrote to {@code
   *     /dev/termination-log}), put on the container's terminated state
   * @param log the container's log (its stdout and stderr), served as the Pod's log; may be empty
   * @param reason the terminated state's reason: {@code Completed}, {@code Error} or {@code
   *     OOMKilled}; {@code null} derives it from the exit code
   */
  record Outcome(int exitCode, String message, String log, String reason) {

    /** Reason of a container that exited with 0. */
    public static final String COMPLETED = "Completed";

    /** Reason of a container that exited with a non-zero code on its own. */
    public static final String ERROR = "Error";

    /** Reason of a container the kernel killed for exceeding its memory limit. */
    public static final String OOM_KILLED = "OOMKilled";

    /** Normalises a missing message or log to an empty one and derives a missing reason. */
    public Outcome {
      message = Objects.requireNonNullElse(message, "");
      log = Objects.requireNonNullElse(log, "");
      if (reason == null || reason.isBlank()) {
        reason = exitCode == 0 ? COMPLETED : ERROR;
      }
    }

    /**
     * An outcome without a log, as before logs were simulated.
     *
     * @param exitCode the container's exit code; 0 means success
     * @param message the termination message
     */
    public Outcome(int exitCode, String message) {
      this(exitCode, message, "", null);
    }

    /**
     * A successful termination (exit code 0).
     *
     * @return the outcome
     */
    public static Outcome success() {
      return new Outcome(0, "");
    }

    /**
     * A successful termination (exit code 0) that printed {@code log}.
     *
     * @param log the container's log
     * @return the outcome
     */
    public static Outcome success(String log) {
      return new Outcome(0, "", log, null);
    }

    /**
     * A failed termination.
     *
     * @param exitCode a non-zero exit code
     * @param message why it failed
     * @return the outcome
     */
    public static Outcome failure(int exitCode, String message) {
      return failure(exitCode, message, "");
    }

    /**
     * A failed termination that printed {@code log}.
     *
     * @param exitCode a non-zero exit code
     * @param message the termination message
     * @param log the container's log
     * @return the outcome
     */
    public static Outcome failure(int exitCode, String message, String log) {
      if (exitCode == 0) {
        throw new IllegalArgumentException("a failure needs a non-zero exit code");
      }
      return new Outcome(exitCode, message, log, null);
    }

    /**
     * This outcome with {@code log} as the container's log.
     *
     * @param log the container's log
     * @return a copy with the log replaced
     */
    public Outcome withLog(String log) {
      return new Outcome(exitCode, message, log, reason);
    }

    /**
     * Whether the container succeeded.
     *
     * @return {@code true} for exit code 0
     */
    public boolean succeeded() {
      return exitCode == 0;
    }
  }
}
