/**
 * Names of the objects the orchestrator derives from AIM resources (models, InferenceServices, HTTPRoutes, template
 * caches, artifacts, PVCs and Jobs), computed exactly as the reference AIM Engine does so that manifests and tooling
 * written for AIM find the same objects.
 *
 * <p>Everything here is pure: no I/O, no clock and no randomness, so it is safe to call from Temporal workflow code.
 * The entry point is {@link aim.orchestrator.naming.DerivedNames}; {@link aim.orchestrator.naming.GoJson} reproduces
 * the Go JSON encoding that decides the hash suffixes, and {@link aim.orchestrator.naming.ImageReference} splits
 * container image references the way the reference does.
 */
package aim.orchestrator.naming;
