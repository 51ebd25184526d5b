/**
 * {@code aim convert}: legacy AIM manifests of seeds 000 and 001 ({@code kaiwo.silogen.ai}, {@code
 * config.kaiwo.silogen.ai}, {@code aim.silogen.ai}) converted to {@code aim.eai.amd.com/v1alpha1}, with a report of
 * every field that could not be converted and why. Pure functions over YAML text: the caller reads the files.
 * Mapping and rules: docs/convert.md.
 */
package aim.orchestrator.convert;
