package aim.orchestrator.convert;

/**
 * One input of a conversion.
 *
 * @param name how reports name the file (the path as the user gave it)
 * @param text its YAML, one or more documents
 */
public record SourceFile(String name, String text) {}
