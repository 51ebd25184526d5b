package aim.orchestrator.starter.api;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The codec server's wiring: the REST API's authentication on {@code /codec/**}, and CORS for the Temporal Web UI's
 * origin ({@code aim.starter.codec-server.allowed-origins}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CodecServerProperties.class)
class CodecServerConfiguration implements WebMvcConfigurer {
  private final AuthInterceptor auth;
  private final CodecServerProperties props;

  CodecServerConfiguration(AuthInterceptor auth, CodecServerProperties props) {
    this.auth = auth;
    this.props = props;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(auth).addPathPatterns("/codec/**");
  }

  @Override
  public void addCorsMappings(CorsRegistry registry) {
    if (props.allowedOrigins().isEmpty()) {
      return;
    }
    registry
        .addMapping("/codec/**")
        .allowedOrigins(props.allowedOrigins().toArray(String[]::new))
        .allowedMethods("POST")
        .allowedHeaders(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, CodecController.NAMESPACE_HEADER)
        .allowCredentials(props.allowCredentials())
        .maxAge(3600);
  }
}
