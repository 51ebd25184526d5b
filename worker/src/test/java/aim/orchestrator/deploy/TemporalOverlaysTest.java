package aim.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import aim.orchestrator.temporal.TemporalProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * The example overlays of k8s/overlays (Temporal Cloud with mTLS or an API key, self-hosted with a private CA;
 * payloads encrypted in all) render with {@code kubectl kustomize}, mount their Secrets read-only where the
 * settings point, keep the base's hardening, and mean what they say: the rendered environment of each Deployment,
 * bound through the application's own {@code application.yaml}, gives the intended {@code aim.temporal.*}.
 */
class TemporalOverlaysTest {
  private static final Path K8S = Path.of("..", "k8s");

  @ParameterizedTest
  @ValueSource(strings = {"temporal-cloud-mtls", "temporal-cloud-api-key", "self-hosted-tls"})
  void mountsWhatTheSettingsPointAtAndBindsToTheIntendedSettings(String overlay) throws Exception {
    List<JsonNode> objects = render(K8S.resolve("overlays").resolve(overlay));
    for (String app : List.of("worker", "starter")) {
      JsonNode pod = find(objects, "Deployment", "aim-" + app).path("spec").path("template").path("spec");
      JsonNode container = pod.path("containers").get(0);
      assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
      Map<String, String> env = environment(objects, container);

      // Every file setting lies in a read-only mount of a Secret (or, for a CA, a ConfigMap).
      for (var e : env.entrySet()) {
        if (e.getKey().matches("TEMPORAL_.*_(PATH|FILE)|AIM_PAYLOAD_CODEC_KEY_DIR")) {
          JsonNode mount = mountHolding(container, e.getValue());
          assertThat(mount).as("%s %s=%s is in no mount", app, e.getKey(), e.getValue()).isNotNull();
          assertThat(mount.path("readOnly").asBoolean()).as("%s mount %s", app, mount).isTrue();
          JsonNode volume = volume(pod, mount.path("name").asText());
          boolean ca = e.getKey().equals("TEMPORAL_TLS_SERVER_CA_CERT_PATH");
          assertThat(volume.has(ca ? "configMap" : "secret")).as("%s volume %s", app, volume).isTrue();
        }
      }

      TemporalProperties props = bind(app, env);
      assertThat(props.codec().enabled()).isTrue();
      assertThat(props.codec().keyDir()).isEqualTo("/etc/aim/payload-codec-keys");
      assertThat(props.usesTls()).isTrue();
      switch (overlay) {
        case "temporal-cloud-mtls" -> {
          assertThat(props.target()).endsWith(".tmprl.cloud:7233");
          assertThat(props.tls().clientCertFile()).isEqualTo("/etc/aim/temporal-client-tls/tls.crt");
          assertThat(props.tls().clientKeyFile()).isEqualTo("/etc/aim/temporal-client-tls/tls.key");
          assertThat(props.tls().caFile()).as("Temporal Cloud: the JVM's trusted CAs").isEmpty();
          assertThat(props.apiKey().file()).isEmpty();
        }
        case "temporal-cloud-api-key" -> {
          assertThat(props.target()).endsWith(".api.temporal.io:7233");
          assertThat(props.apiKey().file()).isEqualTo("/etc/aim/temporal-api-key/api-key");
          assertThat(props.tls().clientCertFile()).isEmpty();
        }
        default -> {
          assertThat(props.tls().caFile()).isEqualTo("/etc/aim/temporal-ca/ca.crt");
          assertThat(props.tls().serverName()).isEqualTo("temporal-frontend.temporal.svc");
          assertThat(props.tls().clientCertFile()).isEqualTo("/etc/aim/temporal-client-tls/tls.crt");
        }
      }
      if (app.equals("starter")) {
        var codecServer =
            binder(app, env).bind("aim.starter.codec-server", aim.orchestrator.starter.api.CodecServerProperties.class).get();
        assertThat(codecServer.allowedOrigins()).containsExactly("https://temporal-ui.example.com");
      }
    }
    JsonNode decoder = find(objects, "ClusterRole", "aim-payload-decoder");
    assertThat(decoder.path("rules").get(0).path("resources").get(0).asText()).isEqualTo("workflowpayloads");
    assertThat(decoder.path("rules").get(0).path("verbs").get(0).asText()).isEqualTo("decode");
  }

  /** The container's environment as the pod would see it: the {@code aim-temporal} ConfigMap, then its own env. */
  private static Map<String, String> environment(List<JsonNode> objects, JsonNode container) {
    Map<String, String> env = new HashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      find(objects, "ConfigMap", from.path("configMapRef").path("name").asText()).path("data").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
    }
    for (JsonNode e : container.path("env")) {
      if (e.has("value")) {
        env.put(e.path("name").asText(), e.path("value").asText());
      }
    }
    return env;
  }

  private static TemporalProperties bind(String app, Map<String, String> env) throws IOException {
    return binder(app, env).bind("aim.temporal", TemporalProperties.class).get();
  }

  /** The application's own configuration file (the worker's aim-worker.yaml, the starter's application.yaml) over the given environment variables, as Spring Boot resolves them. */
  private static Binder binder(String app, Map<String, String> env) throws IOException {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(env)));
    String file = app.equals("worker") ? "aim-worker.yaml" : "application.yaml";
    var yaml =
        new YamlPropertySourceLoader()
            .load(file, new FileSystemResource(Path.of("..", app, "src", "main", "resources", file)));
    yaml.forEach(environment.getPropertySources()::addLast);
    return Binder.get(environment);
  }

  private static JsonNode mountHolding(JsonNode container, String path) {
    for (JsonNode m : container.path("volumeMounts")) {
      String dir = m.path("mountPath").asText();
      if (path.equals(dir) || path.startsWith(dir + "/")) {
        return m;
      }
    }
    return null;
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static JsonNode find(List<JsonNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + " " + name + " not rendered"));
  }

  private static List<JsonNode> render(Path dir) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.assumeFalse("true".equals(System.getenv("AIM_SKIP_KUSTOMIZE")), "kubectl missing; skipped by AIM_SKIP_KUSTOMIZE");
      fail("kubectl is needed to render " + dir + " (kubectl kustomize); install it or set AIM_SKIP_KUSTOMIZE=true", e);
      return List.of();
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize %s:%n%s", dir, out).isZero();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> objects = new ArrayList<>();
    try (var parser = yaml.getFactory().createParser(out)) {
      yaml.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
    }
    return objects;
  }
}
