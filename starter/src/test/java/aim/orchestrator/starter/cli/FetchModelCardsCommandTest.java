package aim.orchestrator.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fetch-model-cards} against a real HTTP server on loopback that answers like the Hugging Face API. */
class FetchModelCardsCommandTest {
  @TempDir Path workDir;
  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/models/", exchange -> {
      paths.add(exchange.getRequestURI().getPath());
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      String id = exchange.getRequestURI().getPath().substring("/api/models/".length());
      String body;
      int status = 200;
      switch (id) {
        case "org/open" -> body = """
            {"id": "org/open", "gated": false, "cardData": {"license": "apache-2.0"},
             "safetensors": {"parameters": {"BF16": 1234567890}, "total": 1234567890}, "tags": ["license:apache-2.0"]}""";
        case "org/gated" -> {
          if (auth == null) {
            status = 401;
            body = "{\"error\": \"Access to model org/gated is restricted.\"}";
          } else {
            body = """
                {"id": "org/gated", "gated": "manual", "tags": ["text-generation", "license:llama3.1"],
                 "safetensors": {"total": 135000000}}""";
          }
        }
        default -> {
          status = 404;
          body = "{\"error\": \"Repository not found\"}";
        }
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private Path models() throws Exception {
    Path dir = Files.createDirectories(workDir.resolve("models"));
    Files.writeString(dir.resolve("open.yaml"), """
        # An open model.
        model_id: org/open
        huggingface_id: org/open
        name: Open
        parameters_b: 1.0
        native_precision: bf16
        size_gb: 2.3          # GiB
        license: unknown
        gated: true
        aim:
          image: amdenterpriseai/aim-org-open:0.1.0
          title: Open
        """);
    Files.writeString(dir.resolve("gated.yaml"), """
        model_id: org/gated
        huggingface_id: org/gated
        name: Gated
        parameters_b: 0.1
        native_precision: bf16
        size_gb: 0.3
        aim:
          image: amdenterpriseai/aim-org-gated:0.1.0
          title: Gated
        """);
    return dir;
  }

  private int run(Map<String, String> env, StringWriter out, String... args) {
    return RecipesCommand.execute(args, new PrintWriter(out), new PrintWriter(new StringWriter()),
        new RecipesCommand.Context(env, workDir, HttpClient.newHttpClient()));
  }

  @Test
  void updatesModelFilesWithTheTokenAsBearer() throws Exception {
    Path dir = models();
    var out = new StringWriter();
    int code = run(Map.of("HF_TOKEN", "hf_secret"), out, "fetch-model-cards", "--endpoint", endpoint(), "--models-dir", "models");

    assertThat(code).as(out.toString()).isZero();
    assertThat(authorizations).containsOnly("Bearer hf_secret");
    assertThat(paths).containsExactlyInAnyOrder("/api/models/org/open", "/api/models/org/gated");
    String open = Files.readString(dir.resolve("open.yaml"));
    assertThat(open).contains("# An open model.", "parameters_b: 1.23\n", "license: apache-2.0\n", "gated: false\n", "size_gb: 2.3          # GiB");
    String gated = Files.readString(dir.resolve("gated.yaml"));
    assertThat(gated).contains("parameters_b: 0.135\n", "license: llama3.1\ngated: true\naim:");
    assertThat(out.toString()).contains("updated models/open.yaml", "updated models/gated.yaml");
    // The files are still valid catalog models.
    var validate = new StringWriter();
    assertThat(run(Map.of(), validate, "validate-models", "--models-dir", "models")).as(validate.toString()).isZero();
  }

  @Test
  void withoutATokenAGatedModelFailsAndExitsOne() throws Exception {
    models();
    var out = new StringWriter();
    int code = run(Map.of(), out, "fetch-model-cards", "--endpoint", endpoint(), "--models-dir", "models", "--output", "json");

    assertThat(code).isEqualTo(1);
    assertThat(authorizations).containsOnly("");
    assertThat(out.toString()).contains("\"error\" : \"HTTP 401 for org/gated (set HF_TOKEN)\"");
  }

  @Test
  void withoutAModelsDirectoryNothingIsWritten() {
    var out = new StringWriter();
    int code = run(Map.of(), out, "fetch-model-cards", "--endpoint", endpoint());
    // The built-in catalog's models are not on this server: every fetch is a 404, reported, and nothing written.
    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("error: HTTP 404: Qwen/Qwen3-32B does not exist on " + endpoint());
  }
}
