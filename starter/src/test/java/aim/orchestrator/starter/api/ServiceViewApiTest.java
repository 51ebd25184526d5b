package aim.orchestrator.starter.api;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.workflow.ResourceRef;
import aim.orchestrator.workflow.ResourceView;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** A service's live view: Kubernetes status, the workflow's steps, artifact progress, the endpoint. */
class ServiceViewApiTest extends ApiTestSupport {
  private String view;

  @BeforeEach
  void aServiceDownloadingItsWeights() {
    view = "/api/v1/namespaces/" + ns + "/aimservices/chat/view";
    store(
        "aimservices",
        "{'metadata':{'name':'chat'},'spec':{'model':{'name':'qwen3-32b'}},'status':{'status':'Starting','observedGeneration':1,"
            + "'conditions':[{'type':'Ready','status':'False','reason':'CacheNotReady','message':'Waiting for the cache',"
            + "'lastTransitionTime':'2026-01-01T00:00:00Z'}],"
            + "'resolvedModel':{'name':'qwen3-32b','kind':'AIMModel','namespace':'" + ns + "'},"
            + "'resolvedTemplate':{'name':'qwen3-32b-mi300x','kind':'AIMServiceTemplate'},"
            + "'cache':{'templateCacheRef':{'name':'qwen3-cache','kind':'AIMTemplateCache'}},"
            + "'routing':{'path':'/" + ns + "/chat'},"
            + "'templateSelection':{'outcome':'Explicit','message':'spec.template.name'}}}");
    store(
        "aimtemplatecaches",
        "{'metadata':{'name':'qwen3-cache'},'spec':{'templateName':'qwen3-32b-mi300x','templateScope':'Namespace'},"
            + "'status':{'status':'Progressing','artifacts':{'hf://Qwen/Qwen3-32B':{'name':'qwen3-weights','model':'Qwen/Qwen3-32B','status':'Progressing'}}}}");
    store(
        "aimartifacts",
        "{'metadata':{'name':'qwen3-weights'},'spec':{'sourceUri':'hf://Qwen/Qwen3-32B'},"
            + "'status':{'status':'Progressing','persistentVolumeClaim':'qwen3-weights-pvc',"
            + "'progress':{'totalBytes':1000,'downloadedBytes':400,'percentage':40,'displayPercentage':'40%'},"
            + "'download':{'protocol':'hf','attempt':1,'totalAttempts':3,'message':'Downloading'}}}");
  }

  @Test
  void showsStatusStepsProgressAndEndpoint() throws Exception {
    when(workflows.status("AIMService", ns, "chat"))
        .thenReturn(
            new ResourceWorkflows.Lifecycle(
                "AIMService/" + ns + "/chat",
                new ResourceView(
                    new ResourceRef("AIMService", ns, "chat", "uid"),
                    "Starting",
                    List.of(
                        ComponentHealth.ready("Model", "ModelFound", "AIMModel qwen3-32b", DependencyType.UPSTREAM),
                        ComponentHealth.of("Cache", aim.orchestrator.model.AIMStatus.Progressing, "CacheNotReady", "Downloading", DependencyType.DOWNSTREAM)),
                    1,
                    "waiting",
                    4),
                null));

    mvc.perform(get(view).header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.name").value("chat"))
        .andExpect(jsonPath("$.status").value("Starting"))
        .andExpect(jsonPath("$.conditions[0].reason").value("CacheNotReady"))
        .andExpect(jsonPath("$.resolved.model.name").value("qwen3-32b"))
        .andExpect(jsonPath("$.resolved.template.name").value("qwen3-32b-mi300x"))
        .andExpect(jsonPath("$.resolved.templateCache.name").value("qwen3-cache"))
        .andExpect(jsonPath("$.resolved.templateSelection.outcome").value("Explicit"))
        .andExpect(jsonPath("$.lifecycle.workflowId").value("AIMService/" + ns + "/chat"))
        .andExpect(jsonPath("$.lifecycle.available").value(true))
        .andExpect(jsonPath("$.lifecycle.phase").value("waiting"))
        .andExpect(jsonPath("$.lifecycle.passes").value(4))
        .andExpect(jsonPath("$.lifecycle.steps[*].component").value(contains("Model", "Cache")))
        .andExpect(jsonPath("$.lifecycle.steps[1].state").value("Progressing"))
        .andExpect(jsonPath("$.artifacts", hasSize(1)))
        .andExpect(jsonPath("$.artifacts[0].name").value("qwen3-weights"))
        .andExpect(jsonPath("$.artifacts[0].model").value("Qwen/Qwen3-32B"))
        .andExpect(jsonPath("$.artifacts[0].persistentVolumeClaim").value("qwen3-weights-pvc"))
        .andExpect(jsonPath("$.artifacts[0].progress.percentage").value(40))
        .andExpect(jsonPath("$.artifacts[0].progress.downloadedBytes").value(400))
        .andExpect(jsonPath("$.artifacts[0].download.protocol").value("hf"))
        .andExpect(jsonPath("$.endpoint.path").value("/" + ns + "/chat"))
        .andExpect(jsonPath("$.endpoint.url").value("http://gateway.example:8081/" + ns + "/chat"))
        .andExpect(jsonPath("$.omitted").doesNotExist());
  }

  @Test
  void saysWhyTheLifecycleIsMissing() throws Exception {
    when(workflows.status("AIMService", ns, "chat"))
        .thenReturn(new ResourceWorkflows.Lifecycle("AIMService/" + ns + "/chat", null, "no worker answered the status query within 3000 ms"));

    mvc.perform(get(view).header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.lifecycle.available").value(false))
        .andExpect(jsonPath("$.lifecycle.unavailableReason").value("no worker answered the status query within 3000 ms"))
        .andExpect(jsonPath("$.lifecycle.steps").doesNotExist());
  }

  @Test
  void leavesOutWhatTheCallerMayNotRead() throws Exception {
    when(workflows.status("AIMService", ns, "chat")).thenReturn(new ResourceWorkflows.Lifecycle("AIMService/" + ns + "/chat", null, "x"));
    REVIEWS.addUser("bob-token", "bob");
    REVIEWS.allow("bob", "get aimservices", "get aimtemplatecaches");

    mvc.perform(get(view).header(HttpHeaders.AUTHORIZATION, bearer("bob-token")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("Starting"))
        .andExpect(jsonPath("$.artifacts", hasSize(0)))
        .andExpect(jsonPath("$.omitted[0]").value("artifact qwen3-weights: the caller may not get aimartifacts \"qwen3-weights\""));

    REVIEWS.addUser("eve-token", "eve");
    mvc.perform(get(view).header(HttpHeaders.AUTHORIZATION, bearer("eve-token"))).andExpect(status().isForbidden());
  }

  @Test
  void answersNotFoundForAMissingService() throws Exception {
    mvc.perform(get("/api/v1/namespaces/" + ns + "/aimservices/missing/view").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("https://aim-orchestrator.dev/problems/not-found"));
  }
}
