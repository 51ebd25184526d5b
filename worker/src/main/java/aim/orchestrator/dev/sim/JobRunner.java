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
   * @param message a short human-readable message, put on the container's terminated state
   */
  record Outcome(int exitCode, String message) {

    /** Normalises a missing message to an empty one. */
    public Outcome {
      message = Objects.requireNonNullElse(message, "");
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
     * A failed termination.
     *
     * @param exitCode a non-zero exit code
     * @param message why it failed
     * @return the outcome
     */
    public static Outcome failure(int exitCode, String message) {
      if (exitCode == 0) {
        throw new IllegalArgumentException("a failure needs a non-zero exit code");
      }
      return new Outcome(exitCode, message);
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
