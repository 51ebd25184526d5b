package aim.orchestrator.starter.api;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The codec server for the Temporal Web UI and CLI ({@code POST /codec/decode}, {@code /codec/encode}) under
 * {@code aim.starter.codec-server}. It serves only while the payload codec is on ({@code aim.temporal.codec.*}).
 *
 * @param allowedOrigins origins a browser may call it from (CORS), e.g. the Temporal Web UI's
 *     {@code https://temporal.example.com}; empty: no cross-origin calls (the CLI needs none)
 * @param allowCredentials answer {@code Access-Control-Allow-Credentials: true}, for a UI configured with
 *     {@code codec.includeCredentials}
 */
@ConfigurationProperties("aim.starter.codec-server")
public record CodecServerProperties(
    @DefaultValue List<String> allowedOrigins, @DefaultValue("false") boolean allowCredentials) {}
