package aim.orchestrator.starter.api;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMTemplateCache;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Actions that make a resource's workflow do something now. Each answers 202 with a {@code Location} of the resource
 * to watch, and needs {@code patch} on the resource: an action changes the resource's state.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Actions", description = "Re-run discovery, warm or re-verify a template cache, retry a failed artifact")
class ActionController {
  private static final AimResourceType TEMPLATES = AimResourceType.of(AIMServiceTemplate.class);
  private static final AimResourceType CLUSTER_TEMPLATES = AimResourceType.of(AIMClusterServiceTemplate.class);
  private static final AimResourceType CACHES = AimResourceType.of(AIMTemplateCache.class);
  private static final AimResourceType ARTIFACTS = AimResourceType.of(AIMArtifact.class);

  private final ResourceActions actions;
  private final Access access;

  ActionController(ResourceActions actions, Access access) {
    this.actions = actions;
    this.access = access;
  }

  @PostMapping("/namespaces/{namespace}/aimservicetemplates/{name}/actions/rediscover")
  @Operation(summary = "Re-run discovery of a template", description = "Clears the discovery results and deletes the discovery Jobs; the template workflow discovers again. 409 for a template with inline spec.modelSources.")
  @ApiResponse(responseCode = "202", description = "Started; Location is the resource to watch")
  @ApiResponse(responseCode = "409", description = "The template has inline spec.modelSources: there is nothing to discover")
  ResponseEntity<Accepted> rediscover(@PathVariable String namespace, @PathVariable String name) {
    access.require("patch", TEMPLATES.plural(), namespace, name);
    return accepted(TEMPLATES, namespace, name, actions.rediscover(TEMPLATES, namespace, name));
  }

  @PostMapping("/aimclusterservicetemplates/{name}/actions/rediscover")
  @Operation(summary = "Re-run discovery of a cluster template")
  @ApiResponse(responseCode = "202", description = "Started; Location is the resource to watch")
  @ApiResponse(responseCode = "409", description = "The template has inline spec.modelSources: there is nothing to discover")
  ResponseEntity<Accepted> rediscoverClusterTemplate(@PathVariable String name) {
    access.require("patch", CLUSTER_TEMPLATES.plural(), null, name);
    return accepted(CLUSTER_TEMPLATES, null, name, actions.rediscover(CLUSTER_TEMPLATES, null, name));
  }

  @PostMapping("/namespaces/{namespace}/aimtemplatecaches/{name}/actions/warm")
  @Operation(summary = "Warm a template cache now", description = "Wakes the cache's workflow and its artifacts' workflows.")
  @ApiResponse(responseCode = "202", description = "Started; Location is the resource to watch")
  ResponseEntity<Accepted> warm(@PathVariable String namespace, @PathVariable String name) {
    access.require("patch", CACHES.plural(), namespace, name);
    return accepted(CACHES, namespace, name, actions.warmCache(namespace, name));
  }

  @PostMapping("/namespaces/{namespace}/aimtemplatecaches/{name}/actions/verify")
  @Operation(summary = "Re-verify a template cache now", description = "Runs the download Job of every Ready artifact again, which checks the files on the volume. Needs patch on the cache and on each artifact.")
  @ApiResponse(responseCode = "202", description = "Started; Location is the resource to watch")
  ResponseEntity<Accepted> verify(@PathVariable String namespace, @PathVariable String name) {
    access.require("patch", CACHES.plural(), namespace, name);
    return accepted(CACHES, namespace, name, actions.verifyCache(namespace, name));
  }

  @PostMapping("/namespaces/{namespace}/aimartifacts/{name}/actions/retry")
  @Operation(summary = "Retry a failed artifact", description = "Deletes the failed download Job; the artifact workflow starts a new one. 409 unless the artifact failed.")
  @ApiResponse(responseCode = "202", description = "Started; Location is the resource to watch")
  @ApiResponse(responseCode = "409", description = "The artifact has not failed")
  ResponseEntity<Accepted> retry(@PathVariable String namespace, @PathVariable String name) {
    access.require("patch", ARTIFACTS.plural(), namespace, name);
    return accepted(ARTIFACTS, namespace, name, actions.retryArtifact(namespace, name));
  }

  private static ResponseEntity<Accepted> accepted(AimResourceType type, String namespace, String name, Accepted body) {
    return ResponseEntity.accepted().location(ResourceController.location(type.path(namespace, name))).body(body);
  }
}
