package aim.orchestrator.starter.status;

import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import aim.orchestrator.starter.status.ServiceStatus.ArtifactProgress;
import aim.orchestrator.starter.status.ServiceStatus.ConditionView;
import aim.orchestrator.starter.status.ServiceStatus.Step;
import aim.orchestrator.starter.status.ServiceStatus.WorkflowView;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The status page's JSON and the page itself at {@code /}. */
@WebMvcTest(StatusController.class)
@org.springframework.boot.context.properties.EnableConfigurationProperties(aim.orchestrator.starter.api.ApiProperties.class)
class StatusControllerTest {
  @Autowired MockMvc mvc;
  @MockitoBean ServiceStatusReader reader;
  /** The REST API's interceptor is part of every MVC slice; the status page does not use it. */
  @MockitoBean aim.orchestrator.starter.api.KubernetesAuth kubernetesAuth;

  @Test
  void listsServicesWithStepsAndDownloads() throws Exception {
    when(reader.all())
        .thenReturn(
            List.of(
                new ServiceStatus(
                    "ml-team",
                    "chat",
                    "Starting",
                    "2026-01-01T10:00:00Z",
                    "qwen3-32b",
                    "qwen3-32b-mi300x",
                    "ml-team/cache",
                    "/ml-team/chat",
                    List.of(new ConditionView("CacheReady", "False", "Downloading", "1 artifact downloading", "2026-01-01T10:00:05Z")),
                    new WorkflowView("AIMService/ml-team/chat", WorkflowView.FOUND, "waiting", 4, null),
                    List.of(new Step("Cache", "Progressing", "Downloading", "1 artifact downloading", "2026-01-01T10:00:05Z")),
                    List.of(new ArtifactProgress("ml-team", "a", "Qwen/Qwen3-32B", "Progressing", 100L, 42L, 42, "42%", null)))));

    mvc.perform(get("/status/services.json"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith("application/json"))
        .andExpect(jsonPath("$.generatedAt").isString())
        .andExpect(jsonPath("$.services[0].namespace").value("ml-team"))
        .andExpect(jsonPath("$.services[0].status").value("Starting"))
        .andExpect(jsonPath("$.services[0].workflow.state").value("found"))
        .andExpect(jsonPath("$.services[0].timeline[0].since").value("2026-01-01T10:00:05Z"))
        .andExpect(jsonPath("$.services[0].artifacts[0].percentage").value(42))
        .andExpect(jsonPath("$.services[0].conditions[0].reason").value("Downloading"));
  }

  @Test
  void thePageIsServedAtTheRoot() throws Exception {
    mvc.perform(get("/")).andExpect(status().isOk()).andExpect(forwardedUrl("index.html"));
    mvc.perform(get("/status.js")).andExpect(status().isOk()).andExpect(content().string(org.hamcrest.Matchers.containsString("status/services.json")));
  }
}
