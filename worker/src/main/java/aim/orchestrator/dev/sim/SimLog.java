package aim.orchestrator.dev.sim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logger wrapper that marks every line as coming from the simulator, so that nobody mistakes a
 * simulated bind, Job run or readiness for what a real cluster did.
 */
final class SimLog {

  /** Prefix carried by every log line of the simulator. */
  static final String PREFIX = "[dev-simulator] (simulated, dev/test only) ";

  private final Logger delegate;

  SimLog(Class<?> owner) {
    this.delegate = LoggerFactory.getLogger(owner);
  }

  void info(String format, Object... args) {
    delegate.info(PREFIX + format, args);
  }

  void warn(String format, Object... args) {
    delegate.warn(PREFIX + format, args);
  }

  void debug(String format, Object... args) {
    delegate.debug(PREFIX + format, args);
  }
}
