package aim.orchestrator.starter.api;

import aim.orchestrator.crd.AimCrdValidator;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
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
