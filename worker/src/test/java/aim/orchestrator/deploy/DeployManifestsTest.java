package aim.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import aim.orchestrator.activities.kube.RequiredPermissions;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ApiPermission;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders k8s/deploy with kubectl's built-in kustomize and checks it: every RBAC rule the code needs
 * ({@link RequiredPermissions} of the activities and of the starter) is granted, nothing else is, no wildcards; the
 * Deployments run non-root on a read-only root filesystem with probes, resources and the project's image.
 * Set {@code AIM_SKIP_KUSTOMIZE=true} to skip where kubectl is missing.
 */
class DeployManifestsTest {
  private static final Path DEPLOY = Path.of("..", "k8s", "deploy");
  private static final String NAMESPACE = "aim-system";
  private static List<JsonNode> objects;

  @BeforeAll
  static void render() throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("kubectl", "kustomize", DEPLOY.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.assumeFalse("true".equals(System.getenv("AIM_SKIP_KUSTOMIZE")), "kubectl missing; skipped by AIM_SKIP_KUSTOMIZE");
      fail("kubectl is needed to render k8s/deploy (kubectl kustomize); install it or set AIM_SKIP_KUSTOMIZE=true", e);
      return;
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize k8s/deploy:%n%s", out).isZero();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    objects = new ArrayList<>();
    try (var parser = yaml.getFactory().createParser(out)) {
      yaml.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
    }
  }

  @Test
  void theWorkerIsGrantedExactlyWhatItsActivitiesCall() {
    Set<String> granted = new TreeSet<>(grants("ClusterRole", "aim-worker"));
    granted.addAll(grants("Role", "aim-worker-leases"));
    assertThat(granted).isEqualTo(expand(RequiredPermissions.worker(NAMESPACE)));
    assertBound("aim-worker", "ClusterRoleBinding", "aim-worker");
    assertBound("aim-worker", "RoleBinding", "aim-worker-leases");
  }

  @Test
  void theStarterIsGrantedExactlyWhatItsInformersWatch() {
    assertThat(grants("ClusterRole", "aim-starter"))
        .isEqualTo(expand(aim.orchestrator.starter.watch.RequiredPermissions.starter()));
    assertBound("aim-starter", "ClusterRoleBinding", "aim-starter");
  }

  @Test
  void theDownloaderRoleGrantsOnlyStatusPatches() {
    assertThat(grants("ClusterRole", "aim-downloader")).isEqualTo(expand(RequiredPermissions.downloader()));
  }

  @Test
  void noRuleUsesAWildcard() {
    for (JsonNode o : objects) {
      for (JsonNode rule : o.path("rules")) {
        for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames")) {
          for (JsonNode v : rule.path(field)) {
            assertThat(v.asText()).as("%s %s %s", o.path("kind").asText(), name(o), field).doesNotContain("*");
          }
        }
      }
    }
  }

  @Test
  void deploymentsAreHardenedAndProbed() {
    for (String name : List.of("aim-worker", "aim-starter")) {
      JsonNode pod = find("Deployment", name).path("spec").path("template").path("spec");
      assertThat(pod.path("serviceAccountName").asText()).isEqualTo(name);
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
      JsonNode c = pod.path("containers").get(0);
      assertThat(c.path("image").asText()).as("the image the download Jobs run too").isEqualTo(Aim.DEFAULT_DOWNLOAD_IMAGE);
      assertThat(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
      assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
      assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/actuator/health/readiness");
      assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/actuator/health/liveness");
      assertThat(c.path("resources").path("requests").path("memory").asText()).isNotBlank();
      assertThat(c.path("resources").path("limits").path("memory").asText()).isNotBlank();
      assertThat(c.path("volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
      JsonNode tmp = null;
      for (JsonNode v : pod.path("volumes")) {
        if (v.path("name").asText().equals("tmp")) {
          tmp = v;
        }
      }
      assertThat(tmp).as("an emptyDir for /tmp").isNotNull();
      assertThat(tmp.has("emptyDir")).isTrue();
      assertThat(find("Deployment", name).path("metadata").path("namespace").asText()).isEqualTo(NAMESPACE);
    }
  }

  @Test
  void theRestApiIsAServiceOnPort8080AndTheCrdsAreIncluded() {
    JsonNode service = find("Service", "aim-starter");
    assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(8080);
    assertThat(service.path("spec").path("selector").path("app.kubernetes.io/name").asText()).isEqualTo("aim-starter");
    assertThat(objects.stream().filter(o -> o.path("kind").asText().equals("CustomResourceDefinition")))
        .hasSize(aim.orchestrator.model.AimKinds.ALL.size());
    assertThat(find("Namespace", NAMESPACE)).isNotNull();
    assertThat(find("ConfigMap", "aim-temporal").path("data").path("TEMPORAL_ADDRESS").asText()).isNotBlank();
  }

  /** Rules of a (Cluster)Role as "group|resource|verb|namespace" strings. */
  private static Set<String> grants(String kind, String name) {
    JsonNode role = find(kind, name);
    String ns = kind.equals("Role") ? role.path("metadata").path("namespace").asText() : "";
    Set<String> out = new TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      assertThat(rule.has("resourceNames")).as("no resourceNames in %s", name).isFalse();
      for (JsonNode g : rule.path("apiGroups")) {
        for (JsonNode r : rule.path("resources")) {
          for (JsonNode v : rule.path("verbs")) {
            out.add(g.asText() + "|" + r.asText() + "|" + v.asText() + "|" + ns);
          }
        }
      }
    }
    return out;
  }

  private static Set<String> expand(List<ApiPermission> permissions) {
    Set<String> out = new TreeSet<>();
    for (ApiPermission p : permissions) {
      for (String v : p.verbs()) {
        out.add(p.apiGroup() + "|" + p.resource() + "|" + v + "|" + (p.namespace() == null ? "" : p.namespace()));
      }
    }
    return out;
  }

  private static void assertBound(String serviceAccount, String bindingKind, String role) {
    JsonNode binding = find(bindingKind, role);
    assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(role);
    JsonNode subject = binding.path("subjects").get(0);
    assertThat(subject.path("name").asText()).isEqualTo(serviceAccount);
    assertThat(subject.path("namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(find("ServiceAccount", serviceAccount).path("metadata").path("namespace").asText()).isEqualTo(NAMESPACE);
  }

  private static JsonNode find(String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind) && name(o).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + " " + name + " not in k8s/deploy"));
  }

  private static String name(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }

}
