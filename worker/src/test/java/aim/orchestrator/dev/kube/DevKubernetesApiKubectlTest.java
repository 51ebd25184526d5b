package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real kubectl ({@code /usr/bin/kubectl}, which picks its 1.31 binary from the dev API's
 * /version) against the dev API through a written kubeconfig.
 */
class DevKubernetesApiKubectlTest {

  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path tmp;

  private static DevKubernetesApi api;
  private static Path kubeconfig;

  @BeforeAll
  static void start() {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed at " + KUBECTL);
    api = DevKubernetesApi.start(0);
    kubeconfig = api.writeKubeconfig(tmp.resolve("kube/config"));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void versionReportsTheDevServerAsKubernetes131() throws Exception {
    Result result = kubectl("version");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Server Version: v1.31.0").contains("Client Version: v1.31");
  }

  @Test
  void apiResourcesListsAimKindsWithShortNamesAndBuiltins() throws Exception {
    Result result = kubectl("api-resources");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().lines())
        .anySatisfy(
            line ->
                assertThat(line.split("\\s+"))
                    .containsExactly(
                        "aimservices", "aimsvc", "aim.eai.amd.com/v1alpha1", "true", "AIMService"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("inferenceservices")
                    .contains("isvc")
                    .contains("serving.kserve.io/v1beta1"))
        .anySatisfy(
            line ->
                assertThat(line).startsWith("httproutes").contains("gateway.networking.k8s.io/v1"))
        .anySatisfy(
            line -> assertThat(line).startsWith("scaledobjects").contains("keda.sh/v1alpha1"))
        .anySatisfy(line -> assertThat(line).startsWith("deployments").contains("apps/v1"))
        .anySatisfy(
            line -> assertThat(line).startsWith("leases").contains("coordination.k8s.io/v1"));
  }

  @Test
  void applyGetUpdateAndDeleteAimManifests() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("manifests"));
    Files.writeString(dir.resolve("service.yaml"), service(1));
    Files.writeString(
        dir.resolve("clustermodel.yaml"),
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMClusterModel
        metadata:
          name: llama-3-8b
        spec:
          image: docker.io/amdenterpriseai/aim-meta-llama-llama-3-1-8b-instruct:0.8.4
        """);
    Files.writeString(
        dir.resolve("template.yaml"),
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMServiceTemplate
        metadata:
          name: llama-latency-fp8
          namespace: kubectl-test
        spec:
          modelName: llama-3-8b
          metric: latency
          precision: fp8
        """);

    Result created = kubectl("apply", "-f", dir.toString());
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out())
        .contains("aimservice.aim.eai.amd.com/chat created")
        .contains("aimclustermodel.aim.eai.amd.com/llama-3-8b created")
        .contains("aimservicetemplate.aim.eai.amd.com/llama-latency-fp8 created");

    Result all = kubectl("get", "aimservices", "-A");
    assertThat(all.exitCode()).as(all.toString()).isZero();
    // server-side printing: the CRD's printer columns, as on a real cluster
    assertThat(all.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAMESPACE", "NAME", "STATUS", "MODEL", "TEMPLATE", "REPLICAS", "AGE");
    assertThat(all.out()).containsPattern("(?m)^kubectl-test\\s+chat\\s");

    Result json = kubectl("get", "aimsvc", "-n", "kubectl-test", "-o", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode items = MAPPER.readTree(json.out()).path("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("spec").path("model").path("name").asText())
        .isEqualTo("llama-3-8b");
    assertThat(items.get(0).path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(items.get(0).path("metadata").path("generation").asInt()).isEqualTo(1);

    Files.writeString(dir.resolve("service.yaml"), service(3));
    Result updated = kubectl("apply", "-f", dir.toString());
    assertThat(updated.exitCode()).as(updated.toString()).isZero();
    assertThat(updated.out())
        .contains("aimservice.aim.eai.amd.com/chat configured")
        .contains("aimclustermodel.aim.eai.amd.com/llama-3-8b unchanged");
    JsonNode service =
        MAPPER.readTree(kubectl("get", "aimsvc", "chat", "-n", "kubectl-test", "-o", "json").out());
    assertThat(service.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(service.path("metadata").path("generation").asInt()).isEqualTo(2);

    Result deleted = kubectl("delete", "-f", dir.toString());
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    assertThat(deleted.out())
        .contains("aimservice.aim.eai.amd.com \"chat\" deleted")
        .contains("aimclustermodel.aim.eai.amd.com \"llama-3-8b\" deleted")
        .contains("aimservicetemplate.aim.eai.amd.com \"llama-latency-fp8\" deleted");
    Result empty = kubectl("get", "aimservices,aimservicetemplates", "-n", "kubectl-test");
    assertThat(empty.exitCode()).as(empty.toString()).isZero();
    assertThat(empty.err()).contains("No resources found");
    assertThat(kubectl("get", "aimclustermodels").out()).doesNotContain("llama-3-8b");
  }

  @Test
  void applyOfAnInvalidServiceFailsWithTheServersFieldErrors() throws Exception {
    Path file = tmp.resolve("invalid.yaml");
    Files.writeString(
        file,
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMService
        metadata:
          name: invalid
          namespace: kubectl-invalid
        spec:
          model:
            name: llama-3-8b
          caching:
            mode: Sometimes
        """);

    Result result = kubectl("apply", "-f", file.toString());

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err())
        .contains("The AIMService \"invalid\" is invalid")
        .contains("spec.caching.mode: Unsupported value: \"Sometimes\"");
    assertThat(kubectl("get", "aimsvc", "-n", "kubectl-invalid").err())
        .contains("No resources found");
  }

  @Test
  void applyWithAnUnknownFieldIsRejectedByStrictFieldValidation() throws Exception {
    Path file = tmp.resolve("unknown-field.yaml");
    Files.writeString(
        file,
        """
        apiVersion: aim.eai.amd.com/v1alpha1
        kind: AIMService
        metadata:
          name: typo
          namespace: kubectl-strict
        spec:
          model:
            name: llama-3-8b
          replicaz: 2
        """);

    Result result = kubectl("apply", "-f", file.toString());

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("strict decoding error: unknown field \"spec.replicaz\"");
  }

  @Test
  void builtInKindsWorkToo() throws Exception {
    Path file = tmp.resolve("configmap.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: default
        data:
          a: "1"
        """);
    assertThat(kubectl("apply", "-f", file.toString()).out())
        .contains("configmap/settings created");
    Files.writeString(file, Files.readString(file).replace("a: \"1\"", "a: \"2\"\n  b: \"3\""));

    Result updated = kubectl("apply", "-f", file.toString());

    assertThat(updated.exitCode()).as(updated.toString()).isZero();
    assertThat(updated.out()).contains("configmap/settings configured");
    JsonNode cm = MAPPER.readTree(kubectl("get", "cm", "settings", "-o", "json").out());
    assertThat(cm.path("data").path("a").asText()).isEqualTo("2");
    assertThat(cm.path("data").path("b").asText()).isEqualTo("3");
    assertThat(kubectl("get", "namespaces").out()).contains("default").contains("kube-system");
  }

  @Test
  void watchesAndWaitsFollowStatusChanges() throws Exception {
    Path file = tmp.resolve("watched.yaml");
    Files.writeString(file, service(1).replace("kubectl-test", "kubectl-watch"));
    assertThat(kubectl("apply", "-f", file.toString()).exitCode()).isZero();
    Path watchOut = tmp.resolve("watch.out");
    Process watch = background(watchOut, "get", "aimsvc", "-n", "kubectl-watch", "-w");
    Process wait =
        background(
            tmp.resolve("wait.out"),
            "wait",
            "aimsvc/chat",
            "-n",
            "kubectl-watch",
            "--for=jsonpath={.status.status}=Running",
            "--timeout=50s");
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(Files.readString(watchOut)).contains("chat"));

      Result patched =
          kubectl(
              "patch",
              "aimsvc",
              "chat",
              "-n",
              "kubectl-watch",
              "--subresource=status",
              "--type=merge",
              "-p",
              "{\"status\":{\"status\":\"Running\",\"resolvedModel\":{\"name\":\"m1\"}}}");
      assertThat(patched.exitCode()).as(patched.toString()).isZero();
      assertThat(patched.out()).contains("aimservice.aim.eai.amd.com/chat patched");

      // the watch streams the change as a table row with the printer columns
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(Files.readString(watchOut))
                      .containsPattern("(?m)^chat\\s+Running\\s+m1\\s+\\S+\\s*$"));
      assertThat(wait.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(wait.exitValue()).isZero();
      assertThat(Files.readString(tmp.resolve("wait.out"))).contains("condition met");
    } finally {
      watch.destroyForcibly();
      wait.destroyForcibly();
    }
  }

  @Test
  void serverSideDryRunValidatesWithoutStoring() throws Exception {
    Path file = tmp.resolve("dry.yaml");
    Files.writeString(file, service(2).replace("kubectl-test", "kubectl-dry"));

    Result created = kubectl("apply", "--dry-run=server", "-f", file.toString());

    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).contains("aimservice.aim.eai.amd.com/chat created (server dry run)");
    assertThat(kubectl("get", "aimsvc", "-n", "kubectl-dry").err()).contains("No resources found");
    Files.writeString(file, Files.readString(file).replace("replicas: 2", "replicas: \"two\""));
    Result invalid = kubectl("apply", "--dry-run=server", "-f", file.toString());
    assertThat(invalid.exitCode()).isNotZero();
    assertThat(invalid.err()).contains("spec.replicas in body must be of type integer");
  }

  private static Process background(Path output, String... args) throws IOException {
    List<String> command = new ArrayList<>(base());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  private static List<String> base() {
    return List.of(
        KUBECTL.toString(),
        "--kubeconfig=" + kubeconfig,
        // a private discovery cache: ports get reused across runs, and stale discovery would
        // mislead kubectl
        "--cache-dir=" + tmp.resolve("kube/cache"));
  }

  private static String service(int replicas) {
    return """
    apiVersion: aim.eai.amd.com/v1alpha1
    kind: AIMService
    metadata:
      name: chat
      namespace: kubectl-test
    spec:
      model:
        name: llama-3-8b
      replicas: %d
    """
        .formatted(replicas);
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(base());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "kubectl", ".out");
    Path err = Files.createTempFile(tmp, "kubectl", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within 60s");
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
