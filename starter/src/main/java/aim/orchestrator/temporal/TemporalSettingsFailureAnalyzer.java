package aim.orchestrator.temporal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Startup fails on wrong {@code aim.temporal.*} settings with each problem on its own line, not a stack trace. */
public class TemporalSettingsFailureAnalyzer extends AbstractFailureAnalyzer<TemporalSettingsException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, TemporalSettingsException cause) {
    return new FailureAnalysis(
        "The Temporal connection settings are wrong:\n  - " + String.join("\n  - ", cause.problems()),
        "Fix the aim.temporal.* settings above (docs/operations.md, \"Connecting to Temporal\").",
        cause);
  }
}
