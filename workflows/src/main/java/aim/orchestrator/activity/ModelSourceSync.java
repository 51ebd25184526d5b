package aim.orchestrator.activity;

/**
 * The outcome of one model-source sync, and when the next one is due.
 *
 * @param result the stage result (components, status fields, the {@code MaxModelsLimitReached} condition)
 * @param generation the {@code metadata.generation} of the spec this sync used
 * @param syncIntervalMillis the source's {@code spec.syncInterval}
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSourceSync(StageResult result, long generation, long syncIntervalMillis) {}
