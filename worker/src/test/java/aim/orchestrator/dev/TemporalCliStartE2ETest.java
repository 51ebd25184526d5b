package aim.orchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import aim.orchestrator.activities.kube.ApplyMode;
import aim.orchestrator.dev.sim.SimulatorOptions;
import aim.orchestrator.model.AimKinds;
import aim.orchestrator.workflow.AimSearchAttributes;
import aim.orchestrator.workflow.ErrorTypes;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import aim.orchestrator.workflow.TaskQueues;
import aim.orchestrator.workflow.WorkflowIds;
import aim.orchestrator.worker.AimWorkers;
import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Starts every workflow type the way {@code temporal workflow start --type ... --input '{...}'} does: by type name,
 * with a hand-built {@code json/plain} payload over the raw gRPC API, against the port-bound Temporal test server and
 * the dev Kubernetes API (docs/temporal-cli.md). No watch bridge runs, so the CLI start is the only trigger.
 */
class TemporalCliStartE2ETest {
  private static final String NS = "cli";

  private static DevEnvironment env;
  private static WorkflowServiceStubs stubs;
  private static WorkflowClient temporal;
  private static WorkerFactory worker;
  private static KubernetesClient workerClient;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    env = DevEnvironment.start(0, 0, new SimulatorOptions(1, "MI300X", Duration.ofMillis(100)));
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(env.temporalTarget()).build());
    temporal = WorkflowClient.newInstance(stubs);
    client = env.kubernetes().newClient();
    workerClient = env.kubernetes().newClient();
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    worker = WorkerFactory.newInstance(temporal);
    // Registers the Aim* search attributes on the test server as a side effect (SearchAttributeRegistration).
    AimWorkers.register(
        worker, workerClient, ApplyMode.CREATE_OR_MERGE_PATCH, new AimWorkers.Sizing(10, 10, false), Clock.systemUTC(), env.registrySettings());
    worker.start();
  }

  @AfterAll
  static void stop() {
    worker.shutdownNow();
    workerClient.close();
    client.close();
    stubs.shutdownNow();
    env.close();
  }

  /** One start line per workflow type, as docs/temporal-cli.md shows it: type, kind, namespace, name, spec. */
  static Stream<Arguments> workflowTypes() {
    return Stream.of(
        Arguments.of("ServiceWorkflow", "AIMService", NS, "chat",
            "{\"model\":{\"name\":\"qwen3-32b\"},\"template\":{\"name\":\"qwen3-32b-mi300x-fp16-latency\"}}"),
        Arguments.of("ModelWorkflow", "AIMClusterModel", null, "qwen3-32b-cli",
            "{\"image\":\"amdenterpriseai/aim-qwen-qwen3-32b:0.8.5\",\"imageMetadata\":{\"model\":{\"canonicalName\":\"Qwen/Qwen3-32B\"}}}"),
        Arguments.of("TemplateWorkflow", "AIMServiceTemplate", NS, "qwen3-32b-mi300x-fp16-latency",
            "{\"modelName\":\"qwen3-32b\",\"metric\":\"latency\",\"precision\":\"fp16\",\"hardware\":{\"gpu\":{\"requests\":1,\"model\":\"MI300X\"}},"
                + "\"modelSources\":[{\"modelId\":\"Qwen/Qwen3-32B\",\"sourceUri\":\"hf://Qwen/Qwen3-32B\",\"size\":\"66Gi\"}]}"),
        Arguments.of("TemplateCacheWorkflow", "AIMTemplateCache", NS, "qwen3-32b-mi300x-fp16-latency",
            "{\"templateName\":\"qwen3-32b-mi300x-fp16-latency\",\"templateScope\":\"Namespace\"}"),
        Arguments.of("ArtifactWorkflow", "AIMArtifact", NS, "qwen3-32b-weights",
            "{\"sourceUri\":\"hf://Qwen/Qwen3-32B\",\"modelId\":\"Qwen/Qwen3-32B\",\"size\":\"1Mi\"}"),
        Arguments.of("ModelSourceWorkflow", "AIMClusterModelSource", null, "cli-source",
            "{\"filters\":[{\"image\":\"amdenterpriseai/aim-*\"}],\"maxModels\":1}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workflowTypes")
  void startedByTypeNameWithASpecCreatesTheResourceAndReconcilesIt(
      String type, String kind, String namespace, String name, String spec) {
    String id = WorkflowIds.of(kind, namespace, name);
    startAsTheCliDoes(type, id, input(kind, namespace, name, spec, "{\"team\":\"cli\"}"));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HasMetadata object = get(kind, namespace, name);
      assertThat(object).as("created from the input").isNotNull();
      assertThat(object.getMetadata().getLabels()).containsEntry("team", "cli");
      assertThat(statusOf(object)).as("status written by the workflow").isNotBlank();
    });
    ResourceView view = temporal.newUntypedWorkflowStub(id).query("status", ResourceView.class);
    assertThat(view.ref().name()).isEqualTo(name);
    assertThat(view.ref().spec()).as("the spec stays out of the workflow's state").isNull();
  }

  @Test
  void anExistingResourceNeedsNoSpec() {
    startAsTheCliDoes("ServiceWorkflow", "AIMService/" + NS + "/chat-existing",
        input("AIMService", NS, "chat-existing", "{\"model\":{\"name\":\"qwen3-32b\"}}", null));
    await().atMost(Duration.ofSeconds(30)).until(() -> get("AIMService", NS, "chat-existing") != null);
    temporal.newUntypedWorkflowStub("AIMService/" + NS + "/chat-existing").terminate("restart from the CLI");

    startAsTheCliDoes("ServiceWorkflow", "AIMService/" + NS + "/chat-existing",
        "{\"kind\":\"AIMService\",\"namespace\":\"" + NS + "\",\"name\":\"chat-existing\"}");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(temporal.newUntypedWorkflowStub("AIMService/" + NS + "/chat-existing").query("status", ResourceView.class).passes())
            .isPositive());
  }

  @Test
  void aNonCanonicalWorkflowIdFailsAtOnce() {
    startAsTheCliDoes("ServiceWorkflow", "my-service", "{\"kind\":\"AIMService\",\"namespace\":\"" + NS + "\",\"name\":\"chat\"}");
    assertFailsWith("my-service", "workflow ID \"my-service\" is not the canonical ID of AIMService chat; start it with --workflow-id AIMService/cli/chat");
  }

  @Test
  void aMissingResourceWithoutASpecFailsAtOnce() {
    startAsTheCliDoes("ServiceWorkflow", "AIMService/" + NS + "/nowhere", "{\"kind\":\"AIMService\",\"namespace\":\"" + NS + "\",\"name\":\"nowhere\"}");
    assertFailsWith("AIMService/" + NS + "/nowhere", "AIMService/cli/nowhere does not exist and the input has no spec to create it from");
  }

  @Test
  void aKindTheTypeDoesNotRunFailsAtOnce() {
    startAsTheCliDoes("ServiceWorkflow", "AIMModel/" + NS + "/m", "{\"kind\":\"AIMModel\",\"namespace\":\"" + NS + "\",\"name\":\"m\"}");
    assertFailsWith("AIMModel/" + NS + "/m", "ServiceWorkflow does not run kind AIMModel; start ModelWorkflow");
  }

  @Test
  void searchAttributesNameTheResourceAndFollowItsStatus() {
    String id = "AIMService/" + NS + "/searchable";
    startAsTheCliDoes("ServiceWorkflow", id, input("AIMService", NS, "searchable", "{\"model\":{\"name\":\"no-such-model\"}}", null));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HasMetadata object = get("AIMService", NS, "searchable");
      assertThat(object).isNotNull();
      String status = statusOf(object);
      assertThat(status).isNotBlank();
      SearchAttributes attributes = temporal.newUntypedWorkflowStub(id).describe().getTypedSearchAttributes();
      assertThat(attributes.get(AimSearchAttributes.KIND)).isEqualTo("AIMService");
      assertThat(attributes.get(AimSearchAttributes.NAMESPACE)).isEqualTo(NS);
      assertThat(attributes.get(AimSearchAttributes.NAME)).isEqualTo("searchable");
      assertThat(attributes.get(AimSearchAttributes.STATUS)).as("the status written to the resource").isEqualTo(status);
    });
  }

  /** What {@code temporal workflow start --input} sends: one payload, encoding {@code json/plain}, the JSON as typed. */
  private static void startAsTheCliDoes(String type, String workflowId, String json) {
    Payload payload =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8(json))
            .build();
    stubs.blockingStub()
        .startWorkflowExecution(
            StartWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setWorkflowId(workflowId)
                .setWorkflowType(WorkflowType.newBuilder().setName(type))
                .setTaskQueue(TaskQueue.newBuilder().setName(TaskQueues.WORKFLOWS))
                .setInput(Payloads.newBuilder().addPayloads(payload))
                .setIdentity("temporal-cli-test")
                .setRequestId(UUID.randomUUID().toString())
                .build());
  }

  private static void assertFailsWith(String workflowId, String message) {
    assertThatThrownBy(() -> temporal.newUntypedWorkflowStub(workflowId).getResult(10, java.util.concurrent.TimeUnit.SECONDS, Void.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOf(ApplicationFailure.class)
        .satisfies(f -> {
          assertThat(((ApplicationFailure) f).getOriginalMessage()).isEqualTo(message);
          assertThat(((ApplicationFailure) f).getType()).isEqualTo(ErrorTypes.InvalidInput.name());
          assertThat(((ApplicationFailure) f).isNonRetryable()).isTrue();
        });
  }

  private static String input(String kind, String namespace, String name, String spec, String labels) {
    return "{\"kind\":\"" + kind + "\","
        + (namespace == null ? "" : "\"namespace\":\"" + namespace + "\",")
        + "\"name\":\"" + name + "\""
        + (spec == null ? "" : ",\"spec\":" + spec)
        + (labels == null ? "" : ",\"labels\":" + labels)
        + "}";
  }

  private static HasMetadata get(String kind, String namespace, String name) {
    return new ResourceRef(kind, namespace, name, null).clusterScoped()
        ? client.resources(AimKinds.byKind(kind)).withName(name).get()
        : client.resources(AimKinds.byKind(kind)).inNamespace(namespace).withName(name).get();
  }

  private static String statusOf(HasMetadata object) {
    return client.getKubernetesSerialization().convertValue(object, com.fasterxml.jackson.databind.JsonNode.class)
        .path("status").path("status").asText("");
  }
}
