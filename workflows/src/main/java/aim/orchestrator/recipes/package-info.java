/**
 * The recipe catalog of seed 002 (k8s/catalog): loading, validation, the AIM container's profile selection, serve
 * command generation, hardware recommendation, dry-run output and simulated AIM images. Pure functions over data;
 * the only I/O is reading catalog files from the classpath or a directory the caller names.
 */
package aim.orchestrator.recipes;
