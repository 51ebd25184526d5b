package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real kubectl ({@code /usr/bin/kubectl}, which picks its 1.31 binary from the dev API's
 * /version) against the dev API through a written kubeconfig, through every verb the orchestrator's
 * users and docs rely on: version, api-resources, apply (file, folder, stdin), get (-o json, yaml,
 * jsonpath, wide; printer columns; -l; -w), describe (with Events), explain, patch (also
 * --subresource=status), wait (condition and jsonpath), delete (objects and namespaces).
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
    Namespaces.create(
        api,
        "kubectl-test",
        "kubectl-invalid",
        "kubectl-strict",
        "kubectl-watch",
        "kubectl-dry",
        "kubectl-get",
        "kubectl-describe",
        "kubectl-wait",
        "kubectl-cel");
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
    Result json = kubectl("version", "-o", "json");
    int minor =
        Integer.parseInt(MAPPER.readTree(json.out()).path("serverVersion").path("minor").asText());
    assertThat(minor).isBetween(27, 33);
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

  @Test
  void applyFromStdinAndGetInEveryOutputFormat() throws Exception {
    String crd;
    try (var in =
        DevKubernetesApiKubectlTest.class.getResourceAsStream("/dev/kube/gadgets-crd.yaml")) {
      crd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path crdFile = tmp.resolve("gadgets-crd.yaml");
    Files.writeString(crdFile, crd);
    Result crdCreated = kubectl("apply", "-f", crdFile.toString());
    assertThat(crdCreated.exitCode()).as(crdCreated.toString()).isZero();
    assertThat(crdCreated.out())
        .contains("customresourcedefinition.apiextensions.k8s.io/gadgets.fixtures.aim.dev created");

    Result applied =
        kubectlWithInput(
            """
            apiVersion: fixtures.aim.dev/v1
            kind: Gadget
            metadata:
              name: big
              namespace: kubectl-get
              labels: {size: big}
            spec:
              size: 9
              owner: team-ml
            ---
            apiVersion: fixtures.aim.dev/v1
            kind: Gadget
            metadata:
              name: small
              namespace: kubectl-get
              labels: {size: small}
            spec:
              size: 1
            """,
            "apply",
            "-f",
            "-");
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    assertThat(applied.out())
        .contains("gadget.fixtures.aim.dev/big created")
        .contains("gadget.fixtures.aim.dev/small created");

    // printer columns; -o wide adds the priority-1 column
    Result table = kubectl("get", "gadgets", "-n", "kubectl-get");
    assertThat(table.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "SIZE", "MODE", "AGE");
    assertThat(table.out()).containsPattern("(?m)^big\\s+9\\s+Normal\\s");
    Result wide = kubectl("get", "gdg", "-n", "kubectl-get", "-o", "wide");
    assertThat(wide.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "SIZE", "MODE", "OWNER", "AGE");
    assertThat(wide.out()).containsPattern("(?m)^big\\s+9\\s+Normal\\s+team-ml\\s");

    Result selected =
        kubectl("get", "gadgets", "-n", "kubectl-get", "-l", "size=small", "-o", "name");
    assertThat(selected.out().strip()).isEqualTo("gadget.fixtures.aim.dev/small");
    Result notIn =
        kubectl("get", "gadgets", "-n", "kubectl-get", "-l", "size notin (small)", "-o", "name");
    assertThat(notIn.out().strip()).isEqualTo("gadget.fixtures.aim.dev/big");

    Result yaml = kubectl("get", "gadget", "big", "-n", "kubectl-get", "-o", "yaml");
    assertThat(yaml.out())
        .contains("kind: Gadget")
        .contains("mode: Normal") // the CRD's default
        .contains("generation: 1");
    Result jsonpath =
        kubectl(
            "get",
            "gadgets",
            "-n",
            "kubectl-get",
            "-o",
            "jsonpath={range .items[*]}{.metadata.name}={.spec.size} {end}");
    assertThat(jsonpath.out().strip()).isEqualTo("big=9 small=1");
    JsonNode list =
        MAPPER.readTree(kubectl("get", "gadgets", "-n", "kubectl-get", "-o", "json").out());
    assertThat(list.path("items")).hasSize(2);
  }

  @Test
  void describeShowsTheEventsOfAnObject() throws Exception {
    Path file = tmp.resolve("described.yaml");
    Files.writeString(file, service(1).replace("kubectl-test", "kubectl-describe"));
    assertThat(kubectl("apply", "-f", file.toString()).exitCode()).isZero();
    try (KubernetesClient client = api.newClient()) {
      String uid =
          client
              .genericKubernetesResources("aim.eai.amd.com/v1alpha1", "AIMService")
              .inNamespace("kubectl-describe")
              .withName("chat")
              .get()
              .getMetadata()
              .getUid();
      client
          .v1()
          .events()
          .inNamespace("kubectl-describe")
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName("chat.resolved")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("aim.eai.amd.com/v1alpha1")
                  .withKind("AIMService")
                  .withName("chat")
                  .withNamespace("kubectl-describe")
                  .withUid(uid)
                  .endInvolvedObject()
                  .withType("Normal")
                  .withReason("ModelResolved")
                  .withMessage("model llama-3-8b resolved")
                  .withNewSource("aim-orchestrator", null)
                  .withFirstTimestamp(Instant.now().toString())
                  .withLastTimestamp(Instant.now().toString())
                  .withCount(1)
                  .build())
          .create();
      // an Event about another object must not show up
      client
          .v1()
          .events()
          .inNamespace("kubectl-describe")
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName("other")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind("AIMService")
                  .withName("other")
                  .withNamespace("kubectl-describe")
                  .endInvolvedObject()
                  .withReason("Unrelated")
                  .withMessage("not about chat")
                  .build())
          .create();
    }

    Result described = kubectl("describe", "aimsvc", "chat", "-n", "kubectl-describe");

    assertThat(described.exitCode()).as(described.toString()).isZero();
    assertThat(described.out())
        .contains("Name:         chat")
        .contains("Kind:         AIMService")
        .containsPattern("(?m)^Events:\\s*$")
        .containsPattern(
            "Normal\\s+ModelResolved\\s+\\S+\\s+aim-orchestrator\\s+model llama-3-8b resolved")
        .doesNotContain("not about chat");
  }

  @Test
  void explainShowsTheCrdSchema() throws Exception {
    Result explained = kubectl("explain", "aimservice.spec.model");

    assertThat(explained.exitCode()).as(explained.toString()).isZero();
    assertThat(explained.out())
        .contains("GROUP:      aim.eai.amd.com")
        .contains("KIND:       AIMService")
        .contains("FIELD: model <Object>")
        .containsPattern("(?m)^\\s+name\\s+<string>")
        .containsPattern("(?m)^\\s+image\\s+<string>")
        .containsPattern("(?m)^\\s+custom\\s+<Object>");
    Result top = kubectl("explain", "aimservices");
    assertThat(top.out()).containsPattern("(?m)^\\s+metadata\\s+<ObjectMeta>");
  }

  @Test
  void waitForAReadyConditionPatchedIntoStatus() throws Exception {
    Path file = tmp.resolve("ready.yaml");
    Files.writeString(file, service(1).replace("kubectl-test", "kubectl-wait"));
    assertThat(kubectl("apply", "-f", file.toString()).exitCode()).isZero();
    Path waitOut = tmp.resolve("wait-ready.out");
    Process wait =
        background(
            waitOut,
            "wait",
            "aimservice/chat",
            "-n",
            "kubectl-wait",
            "--for=condition=Ready",
            "--timeout=50s");
    try {
      Result patched =
          kubectl(
              "patch",
              "aimsvc",
              "chat",
              "-n",
              "kubectl-wait",
              "--subresource=status",
              "--type=merge",
              "-p",
              "{\"status\":{\"status\":\"Running\",\"conditions\":[{\"type\":\"Ready\","
                  + "\"status\":\"True\",\"reason\":\"Serving\",\"message\":\"ok\","
                  + "\"lastTransitionTime\":\"2025-01-01T00:00:00Z\"}]}}");
      assertThat(patched.exitCode()).as(patched.toString()).isZero();

      assertThat(wait.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(wait.exitValue()).as(Files.readString(waitOut)).isZero();
      assertThat(Files.readString(waitOut))
          .contains("aimservice.aim.eai.amd.com/chat condition met");
    } finally {
      wait.destroyForcibly();
    }
  }

  @Test
  void deletingANamespaceDeletesItsObjects() throws Exception {
    Result created = kubectl("create", "namespace", "kubectl-doomed");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    Path file = tmp.resolve("doomed.yaml");
    Files.writeString(file, service(1).replace("kubectl-test", "kubectl-doomed"));
    assertThat(kubectl("apply", "-f", file.toString()).exitCode()).isZero();
    assertThat(
            kubectl("create", "configmap", "settings", "-n", "kubectl-doomed", "--from-literal=a=b")
                .exitCode())
        .isZero();

    Result deleted = kubectl("delete", "namespace", "kubectl-doomed", "--timeout=30s");

    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    assertThat(deleted.out()).contains("namespace \"kubectl-doomed\" deleted");
    Result gone = kubectl("get", "namespace", "kubectl-doomed");
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.err()).contains("namespaces \"kubectl-doomed\" not found");
    assertThat(kubectl("get", "aimsvc,configmaps", "-n", "kubectl-doomed").err())
        .contains("No resources found");
    Result missing = kubectl("apply", "-f", file.toString());
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("namespaces \"kubectl-doomed\" not found");
  }

  @Test
  void celRulesOfTheCrdsAreEnforcedForKubectl() throws Exception {
    Path file = tmp.resolve("cel.yaml");
    Files.writeString(file, service(1).replace("kubectl-test", "kubectl-cel"));
    assertThat(kubectl("apply", "-f", file.toString()).exitCode()).isZero();
    Files.writeString(file, Files.readString(file).replace("name: llama-3-8b", "name: qwen3-32b"));

    Result changed = kubectl("apply", "-f", file.toString());

    assertThat(changed.exitCode()).isNotZero();
    assertThat(changed.err())
        .contains("The AIMService \"chat\" is invalid")
        .contains("spec.model: Invalid value: \"object\": model is immutable");
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
    return kubectlWithInput(null, args);
  }

  /** Runs kubectl with {@code input} (if not null) as its standard input. */
  private static Result kubectlWithInput(String input, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(base());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "kubectl", ".out");
    Path err = Files.createTempFile(tmp, "kubectl", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (input != null) {
      Path in = Files.createTempFile(tmp, "kubectl", ".in");
      Files.writeString(in, input);
      builder.redirectInput(in.toFile());
    }
    Process process = builder.start();
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
