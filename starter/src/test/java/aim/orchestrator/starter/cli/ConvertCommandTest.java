package aim.orchestrator.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aim convert ...}: where output goes, and the exit codes (0 all converted, 1 something not, 2 usage/input). */
class ConvertCommandTest {
  @TempDir Path workDir;

  private static final String CATALOG = """
      apiVersion: aim.silogen.ai/v1alpha1
      kind: AIMClusterImage
      metadata:
        name: meta-llama-3-8b
      spec:
        modelId: meta/llama-3-8b:1.1+20240915
        image: registry.example.com/aim/llama3-8b:1.1
        defaultServiceTemplate: llama3-8b-latency-gpu1
      """;

  private static final String SERVICE = """
      apiVersion: aim.silogen.ai/v1alpha1
      kind: AIMService
      metadata:
        name: llama3-svc
        namespace: team-a
      spec:
        aimModelId: meta/llama-3-8b:1.1+20240915
        cacheModel: true
      """;

  private static final String NAMESPACE_CONFIG = """
      apiVersion: config.kaiwo.silogen.ai/v1alpha1
      kind: AIMNamespaceConfig
      metadata:
        name: default
        namespace: team-a
      spec:
        credentials:
          huggingFaceToken: {secretName: hf-creds, secretKey: token}
        images:
          imagePullSecrets: [my-regcred]
      """;

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  @BeforeEach
  void files() throws Exception {
    Files.createDirectories(workDir.resolve("legacy"));
    Files.writeString(workDir.resolve("legacy/catalog.yaml"), CATALOG);
    Files.writeString(workDir.resolve("legacy/service.yaml"), SERVICE);
    Files.writeString(workDir.resolve("config.yaml"), NAMESPACE_CONFIG);
  }

  Run runWithStdin(String stdin, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var context = new ConvertCommand.Context(workDir, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    int code = ConvertCommand.execute(args, new PrintWriter(out), new PrintWriter(err), context);
    return new Run(code, out.toString(), err.toString());
  }

  Run run(String... args) {
    return runWithStdin("", args);
  }

  @Test
  void convertsABatchToStandardOutput() {
    Run r = run("legacy/catalog.yaml", "legacy/service.yaml");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMClusterModel\n")
        .contains("---\napiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\n")
        .contains("  model:\n    name: meta-llama-3-8b\n  template:\n    name: llama3-8b-latency-gpu1\n");
    assertThat(r.err())
        .contains("legacy/service.yaml#0 AIMService team-a/llama3-svc: spec.templateRef: note: not given: template.name is llama3-8b-latency-gpu1")
        .endsWith("2 document(s) in 2 file(s): 2 converted, 0 partly converted, 0 not converted, 0 copied unchanged; 0 field(s) not converted\n");
  }

  @Test
  void somethingNotConvertedExitsOneAndStillPrintsWhatItCould() {
    Run r = run("legacy", "config.yaml");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("kind: AIMRuntimeConfig", "kind: AIMService", "- name: my-regcred").doesNotContain("hf-creds\n  token");
    assertThat(r.err())
        .contains("config.yaml#0 AIMNamespaceConfig team-a/default: spec.images.imagePullSecrets: not converted: an AIMRuntimeConfig has no image pull secrets."
            + " Copied to spec.imagePullSecrets of AIMService llama3-svc in this batch")
        .contains("1 field(s) not converted");
  }

  @Test
  void jsonCarriesTheReportAndTheManifests() throws Exception {
    Run r = run("--output", "json", "legacy", "config.yaml");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    JsonNode json = r.json();
    assertThat(json.path("summary").path("partlyConverted").asInt()).isEqualTo(1);
    assertThat(json.path("notConverted")).singleElement().satisfies(f -> {
      assertThat(f.path("file").asText()).isEqualTo("config.yaml");
      assertThat(f.path("document").asInt()).isZero();
      assertThat(f.path("field").asText()).isEqualTo("spec.images.imagePullSecrets");
      assertThat(f.path("reason").asText()).startsWith("an AIMRuntimeConfig has no image pull secrets");
    });
    assertThat(json.path("documents").get(0).path("file").asText()).isEqualTo("legacy/catalog.yaml");
    assertThat(json.path("documents").get(2).path("result").asText()).isEqualTo("partly converted");
    assertThat(json.path("manifests")).extracting(m -> m.path("kind").asText()).containsExactly("AIMClusterModel", "AIMService", "AIMRuntimeConfig");
  }

  @Test
  void outWritesOneFilePerInput() throws Exception {
    Run r = run("--out", "converted", "legacy/catalog.yaml", "-");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readString(workDir.resolve("converted/catalog.yaml"))).contains("kind: AIMClusterModel");
    assertThat(workDir.resolve("converted/stdin.yaml")).doesNotExist(); // standard input was empty

    Run json = runWithStdin(SERVICE, "--out", "converted", "--output", "json", "legacy/catalog.yaml", "-");
    assertThat(json.code()).isZero();
    assertThat(json.json().path("written")).extracting(JsonNode::asText)
        .containsExactly(workDir.resolve("converted/catalog.yaml").toString(), workDir.resolve("converted/stdin.yaml").toString());
    assertThat(Files.readString(workDir.resolve("converted/stdin.yaml"))).contains("name: meta-llama-3-8b");
  }

  @Test
  void usageErrorsAndUnreadableInputExitTwo() throws Exception {
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("--output", "xml", "config.yaml").code()).isEqualTo(2);

    Run missing = run("nope.yaml");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("aim convert: cannot read nope.yaml: no such file\n");

    Files.writeString(workDir.resolve("broken.yaml"), "spec: [unclosed\n");
    Run broken = run("config.yaml", "broken.yaml");
    assertThat(broken.code()).isEqualTo(2);
    assertThat(broken.out()).isEmpty();
    assertThat(broken.err()).startsWith("aim convert: broken.yaml: not YAML");

    Files.createDirectories(workDir.resolve("other"));
    Files.writeString(workDir.resolve("other/catalog.yaml"), CATALOG);
    Run clash = run("--out", "converted", "legacy/catalog.yaml", "other/catalog.yaml");
    assertThat(clash.code()).isEqualTo(2);
    assertThat(clash.err()).contains("same file name");
  }

  @Test
  void helpDescribesTheCommandAndItsExitCodes() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: aim convert [-hV] [--out=DIR] [--output=FORMAT] FILE...", "Exit codes:", "2   usage error");
  }
}
