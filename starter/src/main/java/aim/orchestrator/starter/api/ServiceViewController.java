package aim.orchestrator.starter.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A service's live view. */
@RestController
@Tag(name = "Service view")
class ServiceViewController {
  private final ServiceViews views;
  private final Access access;

  ServiceViewController(ServiceViews views, Access access) {
    this.views = views;
    this.access = access;
  }

  @GetMapping(path = "/api/v1/namespaces/{namespace}/aimservices/{name}/view", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "A service's live view",
      description =
          "Status and conditions, the resolved model/template/cache, the lifecycle steps from its workflow's status "
              + "query, the download progress of its cache's artifacts and the endpoint URL. Needs get on the service; "
              + "artifacts the caller may not get are left out (listed in omitted).")
  @ApiResponse(responseCode = "200", description = "The live view")
  ServiceView view(@PathVariable String namespace, @PathVariable String name) {
    access.require("get", "aimservices", namespace, name);
    return views.view(namespace, name);
  }
}
