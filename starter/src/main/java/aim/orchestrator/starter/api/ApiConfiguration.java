package aim.orchestrator.starter.api;

import aim.orchestrator.crd.AimCrdValidator;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The REST API's wiring: authentication on {@code /api/**}, CRD validation, the OpenAPI description. */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration implements WebMvcConfigurer {
  private final AuthInterceptor auth;

  ApiConfiguration(AuthInterceptor auth) {
    this.auth = auth;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(auth).addPathPatterns("/api/**");
  }

  @Bean
  AimCrdValidator aimCrdValidator() {
    return new AimCrdValidator();
  }

  /** The {@code {resource}} path parameters list the plurals each path accepts. */
  @Bean
  OpenApiCustomizer resourcePlurals() {
    return openApi ->
        openApi
            .getPaths()
            .forEach(
                (path, item) ->
                    item.readOperationsMap()
                        .forEach(
                            (method, operation) -> {
                              if (operation.getParameters() == null) {
                                return;
                              }
                              boolean namespaced = path.startsWith("/api/v1/namespaces/");
                              boolean listAll = path.equals("/api/v1/{resource}") && method == PathItem.HttpMethod.GET;
                              List<String> plurals =
                                  AimResourceType.ALL.stream()
                                      .filter(t -> listAll || t.namespaced() == namespaced)
                                      .map(AimResourceType::plural)
                                      .toList();
                              operation.getParameters().stream()
                                  .filter(p -> "resource".equals(p.getName()))
                                  .forEach(p -> p.schema(new StringSchema()._enum(plurals)).description("AIM kind, by its plural"));
                            }));
  }

  /**
   * Error answers in the document: every operation under {@code /api} can answer 401 and 403, one that names an
   * object 404; every 4xx/5xx answer is a {@code Problem}, whatever the method returns otherwise ({@code application/problem+json}). The operations' own
   * {@code @ApiResponse}s say which other errors they give.
   */
  @Bean
  OpenApiCustomizer problemResponses() {
    return openApi -> {
      Schema<?> fieldError =
          new ObjectSchema()
              .addProperty("reason", new StringSchema().description("Kubernetes' cause type, e.g. FieldValueInvalid"))
              .addProperty("field", new StringSchema().description("The offending field, e.g. spec.model"))
              .addProperty("message", new StringSchema());
      openApi
          .getComponents()
          .addSchemas(
              "Problem",
              new ObjectSchema()
                  .description("An RFC 7807 problem detail; type is one of the problem types below")
                  .addProperty("type", new StringSchema().format("uri"))
                  .addProperty("title", new StringSchema())
                  .addProperty("status", new IntegerSchema())
                  .addProperty("detail", new StringSchema())
                  .addProperty("instance", new StringSchema().format("uri"))
                  .addProperty("errors", new ArraySchema().items(fieldError).description("Validation problems (422), one per field")));
      Content problem =
          new Content()
              .addMediaType(
                  org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                  new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
      openApi
          .getPaths()
          .forEach(
              (path, item) ->
                  item.readOperations()
                      .forEach(
                          operation -> {
                            if (!path.startsWith("/api/")) {
                              return;
                            }
                            var responses = operation.getResponses();
                            responses.putIfAbsent("401", new ApiResponse().description("No valid bearer token"));
                            responses.putIfAbsent("403", new ApiResponse().description("The caller's RBAC does not allow it"));
                            if (path.contains("{name}")) {
                              responses.putIfAbsent("404", new ApiResponse().description("No such object"));
                            }
                            responses.forEach(
                                (code, response) -> {
                                  if (code.charAt(0) >= '4') {
                                    response.setContent(problem);
                                  }
                                });
                          }));
    };
  }

  @Bean
  OpenAPI aimOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("AIM Orchestrator REST API")
                .version("v1")
                .description(
                    "AIM resources (aim.eai.amd.com/v1alpha1) by kind and namespace, a service's live view, actions "
                        + "and cache-warming schedules. Kubernetes stays the source of truth: the API writes resources and "
                        + "their workflows do the rest. Callers send a Kubernetes bearer token; every request is "
                        + "authorized with a SubjectAccessReview for the caller. Errors are RFC 7807 problem details. "
                        + "See docs/rest.md."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "kubernetes-token",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("A token the Kubernetes API server accepts (TokenReview)")))
        .addSecurityItem(new SecurityRequirement().addList("kubernetes-token"));
  }
}
