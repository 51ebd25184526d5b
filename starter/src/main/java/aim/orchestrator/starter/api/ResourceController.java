package aim.orchestrator.starter.api;

import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.Workflows;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * AIM resources by kind (plural, as in RBAC rules: {@code aimservices}, {@code aimclustermodels}, ...) and namespace:
 * create, get, list, patch (JSON merge patch), delete. Paths mirror the Kubernetes API's, under {@code /api/v1}.
 * Each request is authorized for the caller with the same verb Kubernetes would check.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Resources", description = "AIM resources (aim.eai.amd.com/v1alpha1), as stored in Kubernetes")
class ResourceController {
  static final String MERGE_PATCH = "application/merge-patch+json";

  private final AimResources resources;
  private final Access access;

  ResourceController(AimResources resources, Access access) {
    this.resources = resources;
    this.access = access;
  }

  @PostMapping(path = "/namespaces/{namespace}/{resource}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Create a namespaced AIM resource", description = "Validated against the kind's CRD first; every problem is listed by field (422).")
  @ApiResponse(responseCode = "201", description = "Created; Location is the new object's URL")
  @ApiResponse(responseCode = "409", description = "An object of that name exists")
  @ApiResponse(responseCode = "422", description = "The object breaks the CRD's schema or rules; errors lists every problem by field")
  ResponseEntity<GenericKubernetesResource> create(
      @PathVariable String namespace, @PathVariable @Parameter(description = "e.g. aimservices") String resource, @RequestBody JsonNode body) {
    return create(namespaced(resource), namespace, body);
  }

  @PostMapping(path = "/{resource}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Create a cluster-scoped AIM resource")
  @ApiResponse(responseCode = "201", description = "Created; Location is the new object's URL")
  @ApiResponse(responseCode = "409", description = "An object of that name exists")
  @ApiResponse(responseCode = "422", description = "The object breaks the CRD's schema or rules; errors lists every problem by field")
  ResponseEntity<GenericKubernetesResource> createClusterScoped(@PathVariable String resource, @RequestBody JsonNode body) {
    return create(clusterScoped(resource), null, body);
  }

  @GetMapping("/namespaces/{namespace}/{resource}")
  @Operation(summary = "List AIM resources of a namespace", description = "labelSelector, limit and continue are passed to Kubernetes; metadata.continue of the answer fetches the next page.")
  @ApiResponse(responseCode = "200", description = "The objects; metadata.continue fetches the next page")
  @ApiResponse(responseCode = "410", description = "The continue token expired; list again from the start")
  GenericKubernetesResourceList list(
      @PathVariable String namespace,
      @PathVariable String resource,
      @RequestParam(required = false) String labelSelector,
      @RequestParam(required = false) Long limit,
      @RequestParam(name = "continue", required = false) String continueToken) {
    AimResourceType type = namespaced(resource);
    access.require("list", type.plural(), namespace, null);
    return resources.list(type, namespace, labelSelector, limit, continueToken);
  }

  @GetMapping("/{resource}")
  @Operation(summary = "List a cluster-scoped kind, or a namespaced kind across all namespaces")
  @ApiResponse(responseCode = "200", description = "The objects; metadata.continue fetches the next page")
  @ApiResponse(responseCode = "410", description = "The continue token expired; list again from the start")
  GenericKubernetesResourceList listAll(
      @PathVariable String resource,
      @RequestParam(required = false) String labelSelector,
      @RequestParam(required = false) Long limit,
      @RequestParam(name = "continue", required = false) String continueToken) {
    AimResourceType type = type(resource);
    access.require("list", type.plural(), null, null);
    return resources.list(type, null, labelSelector, limit, continueToken);
  }

  @GetMapping("/namespaces/{namespace}/{resource}/{name}")
  @Operation(summary = "Get a namespaced AIM resource")
  @ApiResponse(responseCode = "200", description = "The object, status included")
  GenericKubernetesResource get(@PathVariable String namespace, @PathVariable String resource, @PathVariable String name) {
    AimResourceType type = namespaced(resource);
    access.require("get", type.plural(), namespace, name);
    return resources.get(type, namespace, name);
  }

  @GetMapping("/{resource}/{name}")
  @Operation(summary = "Get a cluster-scoped AIM resource")
  @ApiResponse(responseCode = "200", description = "The object, status included")
  GenericKubernetesResource getClusterScoped(@PathVariable String resource, @PathVariable String name) {
    AimResourceType type = clusterScoped(resource);
    access.require("get", type.plural(), null, name);
    return resources.get(type, null, name);
  }

  @PatchMapping(path = "/namespaces/{namespace}/{resource}/{name}", consumes = {MERGE_PATCH, MediaType.APPLICATION_JSON_VALUE})
  @Operation(summary = "Patch a namespaced AIM resource (JSON merge patch)", description = "The patched object is validated against the CRD, transition rules (immutable fields) included.")
  @ApiResponse(responseCode = "200", description = "The patched object")
  @ApiResponse(responseCode = "409", description = "The object changed meanwhile (resourceVersion in the patch)")
  @ApiResponse(responseCode = "422", description = "The patched object breaks the CRD's schema or rules (immutable fields included); errors lists every problem by field")
  GenericKubernetesResource patch(
      @PathVariable String namespace, @PathVariable String resource, @PathVariable String name, @RequestBody JsonNode patch) {
    AimResourceType type = namespaced(resource);
    access.require("patch", type.plural(), namespace, name);
    return resources.patch(type, namespace, name, patch);
  }

  @PatchMapping(path = "/{resource}/{name}", consumes = {MERGE_PATCH, MediaType.APPLICATION_JSON_VALUE})
  @Operation(summary = "Patch a cluster-scoped AIM resource (JSON merge patch)")
  @ApiResponse(responseCode = "200", description = "The patched object")
  @ApiResponse(responseCode = "409", description = "The object changed meanwhile (resourceVersion in the patch)")
  @ApiResponse(responseCode = "422", description = "The patched object breaks the CRD's schema or rules (immutable fields included); errors lists every problem by field")
  GenericKubernetesResource patchClusterScoped(@PathVariable String resource, @PathVariable String name, @RequestBody JsonNode patch) {
    AimResourceType type = clusterScoped(resource);
    access.require("patch", type.plural(), null, name);
    return resources.patch(type, null, name, patch);
  }

  @DeleteMapping("/namespaces/{namespace}/{resource}/{name}")
  @Operation(summary = "Delete a namespaced AIM resource", description = "202: the workflow tears down what the resource created; the object is gone once its finalizers are removed.")
  @ApiResponse(responseCode = "202", description = "Deletion started; Location is the object, gone once its workflow has torn down what it created")
  ResponseEntity<Accepted> delete(@PathVariable String namespace, @PathVariable String resource, @PathVariable String name) {
    return delete(namespaced(resource), namespace, name);
  }

  @DeleteMapping("/{resource}/{name}")
  @Operation(summary = "Delete a cluster-scoped AIM resource")
  @ApiResponse(responseCode = "202", description = "Deletion started; Location is the object, gone once its workflow has torn down what it created")
  ResponseEntity<Accepted> deleteClusterScoped(@PathVariable String resource, @PathVariable String name) {
    return delete(clusterScoped(resource), null, name);
  }

  private ResponseEntity<GenericKubernetesResource> create(AimResourceType type, String namespace, JsonNode body) {
    access.require("create", type.plural(), namespace, null);
    GenericKubernetesResource created = resources.create(type, namespace, body);
    return ResponseEntity.created(location(type.path(namespace, created.getMetadata().getName()))).body(created);
  }

  private ResponseEntity<Accepted> delete(AimResourceType type, String namespace, String name) {
    access.require("delete", type.plural(), namespace, name);
    resources.delete(type, namespace, name);
    boolean hasWorkflow = Workflows.forKind(type.kind()) != null;
    Accepted accepted =
        new Accepted(
            "delete",
            type.kind(),
            namespace,
            name,
            hasWorkflow ? WorkflowIds.of(type.kind(), namespace, name) : null,
            access.caller().username(),
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            hasWorkflow
                ? "Deletion requested: the workflow tears down what the resource created; GET answers 404 once it is gone"
                : "Deletion requested; GET answers 404 once it is gone");
    return ResponseEntity.accepted().location(location(type.path(namespace, name))).body(accepted);
  }

  static URI location(String apiPath) {
    return org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentContextPath()
        .path("/api/v1" + apiPath)
        .build()
        .toUri();
  }

  static AimResourceType type(String plural) {
    return AimResourceType.byPlural(plural)
        .orElseThrow(() -> ApiException.notFound("Unknown resource \"" + plural + "\": expected one of " + plurals()));
  }

  static AimResourceType namespaced(String plural) {
    AimResourceType type = type(plural);
    if (!type.namespaced()) {
      throw ApiException.notFound(type.plural() + " are cluster-scoped: use /api/v1/" + type.plural());
    }
    return type;
  }

  static AimResourceType clusterScoped(String plural) {
    AimResourceType type = type(plural);
    if (type.namespaced()) {
      throw ApiException.notFound(type.plural() + " are namespaced: use /api/v1/namespaces/{namespace}/" + type.plural());
    }
    return type;
  }

  private static String plurals() {
    return String.join(", ", AimResourceType.ALL.stream().map(AimResourceType::plural).toList());
  }
}
