package aim.orchestrator.starter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import aim.orchestrator.naming.DerivedNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatcher;
import org.springframework.http.HttpHeaders;

/** Actions: re-run discovery, warm or re-verify a template cache, retry a failed artifact. */
class ActionApiTest extends ApiTestSupport {
  private static final String PROBLEM = "https://aim-orchestrator.dev/problems/";

  private Job job(String name, Map<String, String> labels, HasMetadata owner, String failedOrComplete) {
    JobBuilder builder =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .addNewOwnerReference()
            .withApiVersion("aim.eai.amd.com/v1alpha1")
            .withKind(owner.getKind())
            .withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid())
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .endTemplate()
            .endSpec();
    Job created = kubernetes.batch().v1().jobs().inNamespace(ns).resource(builder.build()).create();
    if (failedOrComplete != null) {
      created.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().addNewCondition().withType(failedOrComplete).withStatus("True").endCondition().build());
      created = kubernetes.batch().v1().jobs().inNamespace(ns).resource(created).updateStatus();
    }
    return created;
  }

  private Job getJob(String name) {
    return kubernetes.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  private static ArgumentMatcher<HasMetadata> named(String kind, String name) {
    return o -> o != null && kind.equals(o.getKind()) && name.equals(o.getMetadata().getName());
  }

  @Test
  void rediscoverClearsDiscoveryDeletesItsJobsAndWakesTheWorkflow() throws Exception {
    GenericKubernetesResource template =
        store(
            "aimservicetemplates",
            "{'metadata':{'name':'tpl'},'spec':{'modelName':'qwen3-32b'},'status':{'status':'Ready',"
                + "'discovery':{'attempts':1,'specHash':'abc','lastAttemptTime':'2026-01-01T00:00:00Z'},"
                + "'profile':{'metadata':{'engine':'vllm'}},'discoveryJob':{'kind':'Job','name':'tpl-discovery'},"
                + "'modelSources':[{'name':'m','sourceUri':'hf://Qwen/Qwen3-32B'}]}}");
    Map<String, String> labels = Map.of("app.kubernetes.io/name", "aim-discovery", "aim.eai.amd.com/template", "tpl");
    job("tpl-discovery", labels, template, "Complete");
    GenericKubernetesResource stranger = store("aimservicetemplates", "{'metadata':{'name':'other'},'spec':{'modelName':'x'}}");
    job("tpl-discovery-of-an-earlier-tpl", labels, stranger, null);

    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimservicetemplates/tpl/actions/rediscover").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isAccepted())
        .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost/api/v1/namespaces/" + ns + "/aimservicetemplates/tpl"))
        .andExpect(jsonPath("$.action").value("rediscover"))
        .andExpect(jsonPath("$.workflowId").value("AIMServiceTemplate/" + ns + "/tpl"))
        .andExpect(jsonPath("$.requestedBy").value("admin"))
        .andExpect(jsonPath("$.message").value(containsString("1 discovery Job(s) deleted")));

    GenericKubernetesResource after = read("aimservicetemplates", "tpl");
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) after.getAdditionalProperties().get("status");
    // Removed by a real API server; the CRUD mock keeps them as nulls. Either way the template workflow sees none.
    assertThat(status).extractingByKeys("discovery", "profile", "discoveryJob").containsOnlyNulls();
    assertThat(status).containsEntry("status", "Ready");
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry("aim.eai.amd.com/requested-action", "rediscover")
        .containsEntry("aim.eai.amd.com/requested-action-by", "admin")
        .containsKey("aim.eai.amd.com/requested-action-at");
    assertThat(getJob("tpl-discovery")).isNull();
    assertThat(getJob("tpl-discovery-of-an-earlier-tpl")).isNotNull();
    verify(workflows).wake(argThat(named("AIMServiceTemplate", "tpl")));
  }

  @Test
  void rediscoverRefusesTemplatesWithInlineSourcesAndMissingOnes() throws Exception {
    store("aimservicetemplates", "{'metadata':{'name':'inline'},'spec':{'modelName':'m','modelSources':[{'name':'w','sourceUri':'hf://a/b'}]}}");

    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimservicetemplates/inline/actions/rediscover").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value(PROBLEM + "action-not-applicable"));
    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimservicetemplates/missing/actions/rediscover").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isNotFound());
    verify(workflows, never()).wake(argThat(named("AIMServiceTemplate", "inline")));
  }

  @Test
  void rediscoversClusterTemplates() throws Exception {
    String name = "cluster-" + ns;
    store("aimclusterservicetemplates", "{'metadata':{'name':'" + name + "'},'spec':{'modelName':'qwen3-32b'},'status':{'profile':{'metadata':{'engine':'vllm'}}}}");

    mvc.perform(post("/api/v1/aimclusterservicetemplates/" + name + "/actions/rediscover").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isAccepted())
        .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost/api/v1/aimclusterservicetemplates/" + name))
        .andExpect(jsonPath("$.workflowId").value("AIMClusterServiceTemplate/" + name));
    verify(workflows).wake(argThat(named("AIMClusterServiceTemplate", name)));
  }

  @Test
  void warmWakesTheCacheAndItsArtifacts() throws Exception {
    store("aimartifacts", "{'metadata':{'name':'a1'},'spec':{'sourceUri':'hf://a/one'}}");
    store("aimartifacts", "{'metadata':{'name':'a2'},'spec':{'sourceUri':'hf://a/two'}}");
    store(
        "aimtemplatecaches",
        "{'metadata':{'name':'cache'},'spec':{'templateName':'tpl','templateScope':'Namespace'},"
            + "'status':{'artifacts':{'hf://a/one':{'name':'a1'},'hf://a/two':{'name':'a2'}}}}");

    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimtemplatecaches/cache/actions/warm").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isAccepted())
        .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost/api/v1/namespaces/" + ns + "/aimtemplatecaches/cache"))
        .andExpect(jsonPath("$.action").value("warm"))
        .andExpect(jsonPath("$.message").value("The template cache and its 2 artifact(s) reconcile now"));
    verify(workflows).wake(argThat(named("AIMTemplateCache", "cache")));
    verify(workflows).wake(argThat(named("AIMArtifact", "a1")));
    verify(workflows).wake(argThat(named("AIMArtifact", "a2")));
    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimtemplatecaches/missing/actions/warm").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isNotFound());
  }

  @Test
  void verifyRunsTheDownloadOfReadyArtifactsAgain() throws Exception {
    GenericKubernetesResource ready = store("aimartifacts", "{'metadata':{'name':'ready'},'spec':{'sourceUri':'hf://a/one'},'status':{'status':'Ready'}}");
    store("aimartifacts", "{'metadata':{'name':'busy'},'spec':{'sourceUri':'hf://a/two'},'status':{'status':'Progressing'}}");
    store(
        "aimtemplatecaches",
        "{'metadata':{'name':'cache'},'spec':{'templateName':'tpl','templateScope':'Namespace'},"
            + "'status':{'artifacts':{'hf://a/one':{'name':'ready'},'hf://a/two':{'name':'busy'}}}}");
    String download = DerivedNames.artifactDownloadJob("ready", ready.getMetadata().getUid());
    job(download, Map.of(), ready, "Complete");

    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimtemplatecaches/cache/actions/verify").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.action").value("verify"))
        .andExpect(jsonPath("$.message").value("Re-verifying ready: their download Jobs run again"));

    assertThat(getJob(download)).isNull();
    assertThat(read("aimartifacts", "ready").getAdditionalProperties().get("status")).isEqualTo(Map.of("status", "Progressing"));
    assertThat(read("aimartifacts", "busy").getAdditionalProperties().get("status")).isEqualTo(Map.of("status", "Progressing"));
    assertThat(read("aimartifacts", "ready").getMetadata().getAnnotations()).containsEntry("aim.eai.amd.com/requested-action", "verify");
    verify(workflows).wake(argThat(named("AIMArtifact", "ready")));
    verify(workflows).wake(argThat(named("AIMTemplateCache", "cache")));
  }

  @Test
  void verifyNeedsPatchOnEveryArtifact() throws Exception {
    store("aimartifacts", "{'metadata':{'name':'ready'},'spec':{'sourceUri':'hf://a/one'},'status':{'status':'Ready'}}");
    store("aimtemplatecaches", "{'metadata':{'name':'cache'},'spec':{'templateName':'tpl','templateScope':'Namespace'},'status':{'artifacts':{'x':{'name':'ready'}}}}");
    REVIEWS.addUser("carol-token", "carol");
    REVIEWS.allow("carol", "patch aimtemplatecaches");

    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimtemplatecaches/cache/actions/verify").header(HttpHeaders.AUTHORIZATION, bearer("carol-token")))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.resource").value("aimartifacts"))
        .andExpect(jsonPath("$.name").value("ready"));
    assertThat(read("aimartifacts", "ready").getAdditionalProperties().get("status")).isEqualTo(Map.of("status", "Ready"));
    assertThat(read("aimtemplatecaches", "cache").getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void retryDeletesTheFailedDownloadJobOfAFailedArtifact() throws Exception {
    GenericKubernetesResource failed = store("aimartifacts", "{'metadata':{'name':'broken'},'spec':{'sourceUri':'hf://a/one'},'status':{'status':'Failed'}}");
    String download = DerivedNames.artifactDownloadJob("broken", failed.getMetadata().getUid());
    job(download, Map.of(), failed, "Failed");

    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimartifacts/broken/actions/retry").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isAccepted())
        .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost/api/v1/namespaces/" + ns + "/aimartifacts/broken"))
        .andExpect(jsonPath("$.workflowId").value("AIMArtifact/" + ns + "/broken"));

    assertThat(getJob(download)).isNull();
    verify(workflows, times(1)).wake(argThat(named("AIMArtifact", "broken")));
  }

  @Test
  void retryRefusesArtifactsThatHaveNotFailed() throws Exception {
    store("aimartifacts", "{'metadata':{'name':'fine'},'spec':{'sourceUri':'hf://a/one'},'status':{'status':'Ready'}}");

    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimartifacts/fine/actions/retry").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value(PROBLEM + "action-not-applicable"))
        .andExpect(jsonPath("$.status").value(409));
    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimartifacts/missing/actions/retry").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isNotFound());
  }

  @Test
  void actionsNeedPatchOnTheResource() throws Exception {
    store("aimartifacts", "{'metadata':{'name':'broken'},'spec':{'sourceUri':'hf://a/one'},'status':{'status':'Failed'}}");
    REVIEWS.addUser("dan-token", "dan");
    REVIEWS.allow("dan", "get aimartifacts");

    mvc.perform(post("/api/v1/namespaces/" + ns + "/aimartifacts/broken/actions/retry").header(HttpHeaders.AUTHORIZATION, bearer("dan-token")))
        .andExpect(status().isForbidden())
        .andExpect(jsonPath("$.verb").value("patch"));
  }
}
