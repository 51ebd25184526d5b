package aim.orchestrator.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverterException;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow run with the payload codec on both sides (the worker and the client use {@link TemporalConnection}'s
 * data converter, as the applications do): every payload in its history, as the Temporal server stores it, is
 * encrypted; the client reads the result, queries and all; a client without the keys cannot.
 */
class CodecWorkflowTest {
  private static final String QUEUE = "codec-test";

  /** A workflow that touches every kind of payload: input, memo, activity input and result, signal, query, result. */
  @WorkflowInterface
  public interface Deploy {
    @WorkflowMethod
    String deploy(Request request);

    @SignalMethod
    void approve(String by);

    @QueryMethod
    String state();
  }

  public record Request(String service, String secretNote) {}

  @ActivityInterface
  public interface Render {
    String render(Request request);
  }

  public static class DeployImpl implements Deploy {
    private final Render render =
        Workflow.newActivityStub(Render.class, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    private String approvedBy;
    private String state = "waiting";

    @Override
    public String deploy(Request request) {
      Workflow.await(() -> approvedBy != null);
      state = render.render(request);
      return state + " approved by " + approvedBy;
    }

    @Override
    public void approve(String by) {
      approvedBy = by;
    }

    @Override
    public String state() {
      return state;
    }
  }

  public static class RenderImpl implements Render {
    @Override
    public String render(Request request) {
      return "rendered " + request.service() + " (" + request.secretNote() + ")";
    }
  }

  private TestWorkflowEnvironment env;
  private TemporalConnection connection;

  @BeforeEach
  void start(@TempDir Path keys) throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.writeString(keys.resolve("k1"), Base64.getEncoder().encodeToString(key));
    connection =
        TemporalConnection.of(TemporalProperties.plain("unused:7233", "default").withCodec(TemporalProperties.Codec.keys(keys, "")));
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setWorkflowClientOptions(connection.clientOptions()).build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(DeployImpl.class);
    worker.registerActivitiesImplementations(new RenderImpl());
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void theServerStoresOnlyEncryptedPayloadsAndTheClientReadsThemBack() {
    WorkflowClient client = env.getWorkflowClient();
    Deploy workflow =
        client.newWorkflowStub(
            Deploy.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("deploy-1").setMemo(Map.of("owner", "ml-team")).build());
    WorkflowExecution execution = WorkflowClient.start(workflow::deploy, new Request("qwen3-chat", "token-in-a-note"));
    workflow.approve("alice");
    String result = WorkflowStub.fromTyped(workflow).getResult(String.class);

    assertThat(result).isEqualTo("rendered qwen3-chat (token-in-a-note) approved by alice");
    assertThat(workflow.state()).isEqualTo("rendered qwen3-chat (token-in-a-note)");

    List<HistoryEvent> history =
        env.getWorkflowServiceStubs()
            .blockingStub()
            .getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace("default").setExecution(execution).build())
            .getHistory()
            .getEventsList();
    List<Payload> payloads = new ArrayList<>();
    history.forEach(event -> collectPayloads(event, payloads));

    // input, memo, signal, activity input, activity result, workflow result
    assertThat(payloads).hasSizeGreaterThanOrEqualTo(6);
    assertThat(payloads).allSatisfy(p -> assertThat(AesGcmPayloadCodec.isEncrypted(p)).as("%s", p).isTrue());
    assertThat(history.toString()).doesNotContain("qwen3-chat").doesNotContain("token-in-a-note").doesNotContain("alice").doesNotContain("ml-team");
  }

  @Test
  void aClientWithoutTheKeysCannotReadTheResult() {
    Deploy workflow = env.getWorkflowClient().newWorkflowStub(Deploy.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("deploy-2").build());
    WorkflowClient.start(workflow::deploy, new Request("llama", "n"));
    workflow.approve("bob");
    WorkflowStub.fromTyped(workflow).getResult(String.class);

    WorkflowClient plain = WorkflowClient.newInstance(env.getWorkflowServiceStubs(), WorkflowClientOptions.newBuilder().setNamespace("default").build());
    assertThatThrownBy(() -> plain.newUntypedWorkflowStub("deploy-2").getResult(String.class))
        .isInstanceOf(WorkflowServiceException.class)
        .rootCause()
        .isInstanceOf(DataConverterException.class)
        .hasMessageContaining("binary/encrypted");
  }

  /** Every {@link Payload} anywhere in a message, found by walking its fields. */
  private static void collectPayloads(Message message, List<Payload> out) {
    if (message instanceof Payload payload) {
      out.add(payload);
      return;
    }
    message
        .getAllFields()
        .forEach(
            (field, value) -> {
              if (value instanceof Message m) {
                collectPayloads(m, out);
              } else if (value instanceof List<?> list) {
                for (Object item : list) {
                  if (item instanceof Message m) {
                    collectPayloads(m, out);
                  }
                }
              }
            });
  }
}
