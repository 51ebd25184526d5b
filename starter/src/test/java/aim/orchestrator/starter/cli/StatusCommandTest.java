package aim.orchestrator.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactSpec;
import aim.orchestrator.model.AIMArtifactStatus;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.model.AIMServiceStatus.ServiceStatusValue;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.AIMTemplateCacheStatus;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.workflow.ResourceEvent;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.workflow.service.ServiceWorkflow;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aim status}: output and exit codes against a fabric8 CRUD mock and a Temporal test server where a stand-in
 * service workflow answers the {@code status} query.
 */
@EnableKubernetesMockClient(crud = true)
class StatusCommandTest {
  private static final String TASK_QUEUE = "status-command-test";
  private static final String NS = "ml-team";

  static KubernetesClient client;
  private static TestServer.PortBoundTestServer temporalServer;
  private static WorkflowServiceStubs stubs;
  private static WorkerFactory workers;
  private static String temporalTarget;

  @TempDir Path dir;
  private Path kubeconfig;

  /** Stands in for the real service workflow: runs until cancelled and answers {@code status} from {@link #VIEWS}. */
  public static class CannedServiceWorkflow implements ServiceWorkflow {
    static final Map<String, ResourceView> VIEWS = new ConcurrentHashMap<>();

    @Override
    public void run(ResourceRef service) {
      Workflow.await(() -> false);
    }

    @Override
    public void observe(ResourceEvent event) {}

    @Override
    public ResourceView status() {
      return VIEWS.get(Workflow.getInfo().getWorkflowId());
    }
  }

  @BeforeAll
  static void startTemporal() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    temporalServer = TestServer.createPortBoundServer(port, true);
    temporalTarget = "127.0.0.1:" + port;
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(temporalTarget).build());
    workers = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
    workers.newWorker(TASK_QUEUE).registerWorkflowImplementationTypes(CannedServiceWorkflow.class);
    workers.start();
  }

  @AfterAll
  static void stopTemporal() {
    workers.shutdownNow();
    stubs.shutdownNow();
    temporalServer.close();
  }

  @BeforeEach
  void writeKubeconfig() throws IOException {
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: test
          user: {token: test}
        contexts:
        - name: test
          context: {cluster: test, user: test, namespace: %s}
        current-context: test
        """
            .formatted(client.getConfiguration().getMasterUrl().replaceAll("/$", ""), NS));
  }

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--kubeconfig", kubeconfig.toString(), "--temporal-target", temporalTarget}, 0, all, args.length, 4);
    int code =
        StatusCommand.execute(
            all, new PrintWriter(out), new PrintWriter(err), new StatusCommand.Context(dir, dir, false, Duration.ofMillis(200)));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void aRunningServiceShowsItsConditionsStepsAndFinishedDownload() {
    service("chat", ServiceStatusValue.Running, "chat-cache", condition("Ready", "True", "AllComponentsReady"));
    cache("chat-cache", "chat-artifact");
    artifact("chat-artifact", ResourceStatusValue.Ready, 100);
    startWorkflow(
        "chat",
        List.of(
            ComponentHealth.ready("Model", "ModelFound", "qwen3-32b", DependencyType.UPSTREAM),
            ComponentHealth.ready("Cache", "CacheReady", "chat-cache is Ready", DependencyType.DOWNSTREAM),
            ComponentHealth.ready("InferenceService", "Ready", "predictor ready", DependencyType.DOWNSTREAM)));

    Run r = run("chat");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("AIMService ml-team/chat  Running\n")
        .contains("  model     qwen3-32b\n")
        .contains("  template  qwen3-32b-mi300x\n")
        .contains("  cache     ml-team/chat-cache\n")
        .contains("  endpoint  /ml-team/chat\n")
        .contains("  workflow  AIMService/ml-team/chat (waiting, 3 passes)\n")
        .containsPattern("(?m)^  Ready +True +AllComponentsReady +2026-01-01T10:00:00Z +all good$")
        .containsPattern("(?m)^  \\+ +Model +Ready +ModelFound +2026-01-01T10:00:00Z +qwen3-32b$")
        .containsPattern("(?m)^  \\+ +InferenceService +Ready +Ready +predictor ready$")
        .contains("  chat-artifact  [" + "#".repeat(30) + "] 100%  66.0 GiB / 66.0 GiB  Ready\n");
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void watchingADownloadPrintsProgressLinesUntilRunning() {
    service("dl", ServiceStatusValue.Starting, "dl-cache");
    cache("dl-cache", "dl-artifact");
    artifact("dl-artifact", ResourceStatusValue.Progressing, 42);
    startWorkflow(
        "dl",
        List.of(
            ComponentHealth.ready("Model", "ModelFound", "qwen3-32b", DependencyType.UPSTREAM),
            ComponentHealth.of("Cache", AIMStatus.Progressing, "Downloading", "1 artifact downloading", DependencyType.DOWNSTREAM)));

    // The download finishes and the service turns Running while the command watches.
    Thread finisher =
        new Thread(
            () -> {
              sleep(700);
              artifact("dl-artifact", ResourceStatusValue.Ready, 100);
              sleep(300);
              service("dl", ServiceStatusValue.Running, "dl-cache");
            });
    finisher.start();
    Run r = run("-n", NS, "dl", "-w");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("AIMService ml-team/dl  Starting\n")
        .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d  ml-team/dl  Starting  step Cache: Progressing \\(Downloading\\)$")
        .containsPattern(
            "(?m)^\\d\\d:\\d\\d:\\d\\d  download dl-artifact  \\[#{12}-{18}\\]  42%  27.7 GiB / 66.0 GiB  Progressing$")
        .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d  download dl-artifact  \\[#{30}\\] 100%  66.0 GiB / 66.0 GiB  Ready$")
        .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d  ml-team/dl  Running  step Cache: Progressing \\(Downloading\\)$");
  }

  @Test
  void aFailedServiceExitsWithOne() {
    service("broken", ServiceStatusValue.Failed, null, condition("Ready", "False", "ModelNotFound"));
    Run r = run("broken");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).startsWith("AIMService ml-team/broken  Failed\n").contains("AIMService/ml-team/broken: no workflow");
  }

  @Test
  void aMissingServiceExitsWithOne() {
    Run r = run("-n", "elsewhere", "nothing");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("AIMService elsewhere/nothing not found");
  }

  @Test
  void usageErrorsExitWithTwoAndHelpDescribesTheExitCodes() {
    Run missing = run();
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required parameter: 'SERVICE'");
    assertThat(run("--no-such-option", "x").code()).isEqualTo(2);

    Run help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("aim status", "-w, --watch", "--temporal-target", "Exit codes:", "2   usage error");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Condition condition(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("all good")
        .withLastTransitionTime("2026-01-01T10:00:00Z")
        .build();
  }

  private static void service(String name, ServiceStatusValue value, String cache, Condition... extra) {
    AIMService svc = new AIMService();
    svc.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).build());
    svc.setSpec(new AIMServiceSpec());
    AIMServiceStatus st = new AIMServiceStatus();
    st.status = value;
    st.resolvedModel = new AIMResolvedReference("qwen3-32b", NS, null, "AIMModel", null);
    st.resolvedTemplate = new AIMResolvedReference("qwen3-32b-mi300x", NS, null, "AIMServiceTemplate", null);
    st.routing = new AIMServiceStatus.Routing();
    st.routing.path = "/" + NS + "/" + name;
    if (cache != null) {
      st.cache = new AIMServiceStatus.Cache();
      st.cache.templateCacheRef = new AIMResolvedReference(cache, NS, null, "AIMTemplateCache", null);
    }
    st.conditions.add(condition("ModelReady", "True", "ModelFound"));
    st.conditions.addAll(List.of(extra));
    svc.setStatus(st);
    save(svc);
  }

  private static void cache(String name, String artifact) {
    AIMTemplateCache cache = new AIMTemplateCache();
    cache.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).build());
    cache.setSpec(new AIMTemplateCacheSpec());
    cache.setStatus(new AIMTemplateCacheStatus());
    var entry = new AIMTemplateCacheStatus.ArtifactEntry();
    entry.name = artifact;
    cache.getStatus().artifacts = Map.of(artifact, entry);
    save(cache);
  }

  private static void artifact(String name, ResourceStatusValue value, int percentage) {
    AIMArtifact a = new AIMArtifact();
    a.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).build());
    a.setSpec(new AIMArtifactSpec());
    a.getSpec().modelId = "Qwen/Qwen3-32B";
    a.setStatus(new AIMArtifactStatus());
    a.getStatus().status = value;
    a.getStatus().progress = new AIMArtifactStatus.Progress();
    a.getStatus().progress.totalBytes = 66L << 30;
    a.getStatus().progress.downloadedBytes = (66L << 30) * percentage / 100;
    a.getStatus().progress.percentage = percentage;
    a.getStatus().progress.displayPercentage = percentage + "%";
    save(a);
  }

  /** Creates or updates the object, then writes its status (a subresource, which an update leaves alone). */
  private static void save(io.fabric8.kubernetes.api.model.HasMetadata object) {
    client.resource(object).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    client.resource(object).patchStatus();
  }

  private static void startWorkflow(String name, List<ComponentHealth> components) {
    String id = WorkflowIds.of("AIMService", NS, name);
    var ref = new ResourceRef("AIMService", NS, name, null);
    CannedServiceWorkflow.VIEWS.put(id, new ResourceView(ref, "Running", components, 1, "waiting", 3));
    ServiceWorkflow wf =
        WorkflowClient.newInstance(stubs)
            .newWorkflowStub(ServiceWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(wf::run, ref);
  }
}
