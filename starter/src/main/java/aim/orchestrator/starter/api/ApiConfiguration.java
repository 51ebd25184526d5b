package aim.orchestrator.starter.api;

import aim.orchestrator.crd.AimCrdValidator;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
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
