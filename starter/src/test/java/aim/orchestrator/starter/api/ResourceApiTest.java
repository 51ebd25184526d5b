package aim.orchestrator.starter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** Create, get, list, patch and delete AIM resources through the REST API. */
class ResourceApiTest extends ApiTestSupport {
  private static final String PROBLEM = "https://aim-orchestrator.dev/problems/";

  private String services() {
    return "/api/v1/namespaces/" + ns + "/aimservices";
  }

  private void create(String body) throws Exception {
    mvc.perform(post(services()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isCreated());
  }

  @Test
  void createsAServiceAndAnswersItsLocation() throws Exception {
    mvc.perform(
            post(services())
                .header(HttpHeaders.AUTHORIZATION, admin())
                .contentType(MediaType.APPLICATION_JSON)
                .content(json("{'metadata':{'name':'chat'},'spec':{'model':{'name':'qwen3-32b'}}}")))
        .andExpect(status().isCreated())
        .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost" + services() + "/chat"))
        .andExpect(jsonPath("$.apiVersion").value("aim.eai.amd.com/v1alpha1"))
        .andExpect(jsonPath("$.kind").value("AIMService"))
        .andExpect(jsonPath("$.metadata.namespace").value(ns))
        .andExpect(jsonPath("$.spec.model.name").value("qwen3-32b"));

    var stored = kubernetes.genericKubernetesResources(AimResourceType.byPlural("aimservices").orElseThrow().context()).inNamespace(ns).withName("chat").get();
    assertThat(stored).isNotNull();
    mvc.perform(get(services() + "/chat").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.metadata.uid").value(stored.getMetadata().getUid()));
  }

  @Test
  void refusesAnInvalidObjectListingEveryProblemByField() throws Exception {
    String body =
        json("{'apiVersion':'aim.eai.amd.com/v1alpha1','kind':'AIMService','metadata':{'name':'Bad_Name'},"
            + "'spec':{'replicaz':2,'caching':{'mode':'Sometimes'},'minReplicas':0}}");

    mvc.perform(post(services()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value(PROBLEM + "validation"))
        .andExpect(jsonPath("$.status").value(422))
        .andExpect(jsonPath("$.detail").value("AIMService \"Bad_Name\" is invalid: 5 problems"))
        .andExpect(jsonPath("$.instance").value(services()))
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("metadata.name", "spec.replicaz", "spec.model", "spec.caching.mode", "spec.minReplicas")))
        .andExpect(jsonPath("$.errors[?(@.field == 'spec.model')].message").value(hasItem("Required value")))
        .andExpect(jsonPath("$.errors[?(@.field == 'spec.caching.mode')].reason").value(hasItem("FieldValueNotSupported")))
        .andExpect(jsonPath("$.errors[?(@.field == 'spec.replicaz')].message").value(hasItem("unknown field \"spec.replicaz\"")));

    assertThat(kubernetes.genericKubernetesResources(AimResourceType.byPlural("aimservices").orElseThrow().context()).inNamespace(ns).list().getItems())
        .isEmpty();
  }

  @Test
  void checksTheCrdsCelRulesAndTypeMeta() throws Exception {
    String body = json("{'apiVersion':'v1','kind':'AIMModel','metadata':{'name':'chat','namespace':'elsewhere'},'spec':{'model':{'name':'a','image':'b'}}}");

    mvc.perform(post(services()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("apiVersion", "kind", "metadata.namespace", "spec.model")))
        .andExpect(
            jsonPath("$.errors[?(@.field == 'spec.model')].message")
                .value(hasItem("Invalid value: \"object\": exactly one of model.name, model.image or model.custom must be set")));
  }

  @Test
  void answersConflictWhenTheNameIsTaken() throws Exception {
    create(service("chat", "{'model':{'name':'a'}}"));

    mvc.perform(post(services()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(service("chat", "{'model':{'name':'a'}}")))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value(PROBLEM + "already-exists"));
  }

  @Test
  void answersNotFoundForMissingObjectsAndUnknownKinds() throws Exception {
    mvc.perform(get(services() + "/missing").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value(PROBLEM + "not-found"))
        .andExpect(jsonPath("$.detail").value("aimservices \"missing\" not found"));
    mvc.perform(get("/api/v1/namespaces/" + ns + "/deployments").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value(containsString("Unknown resource \"deployments\": expected one of aimservices")));
    mvc.perform(get("/api/v1/namespaces/" + ns + "/aimclustermodels").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value("aimclustermodels are cluster-scoped: use /api/v1/aimclustermodels"));
    mvc.perform(get("/api/v1/aimservices/chat").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value("aimservices are namespaced: use /api/v1/namespaces/{namespace}/aimservices"));
  }

  @Test
  void listsByLabelSelectorInANamespaceAndAcrossNamespaces() throws Exception {
    create(json("{'metadata':{'name':'a','labels':{'team':'x'}},'spec':{'model':{'name':'m'}}}"));
    create(json("{'metadata':{'name':'b','labels':{'team':'y'}},'spec':{'model':{'name':'m'}}}"));

    mvc.perform(get(services()).param("labelSelector", "team=x").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items[*].metadata.name").value(containsInAnyOrder("a")));
    mvc.perform(get("/api/v1/aimservices").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items[?(@.metadata.namespace == '" + ns + "')].metadata.name").value(containsInAnyOrder("a", "b")));
  }

  @Test
  void passesLimitAndContinueToKubernetes() throws Exception {
    String path = "/apis/aim.eai.amd.com/v1alpha1/namespaces/" + ns + "/aimservices";
    KUBE.expect()
        .get()
        .withPath(path + "?limit=1")
        .andReturn(200, json("{'apiVersion':'aim.eai.amd.com/v1alpha1','kind':'AIMServiceList','metadata':{'continue':'page-2'},'items':[{'apiVersion':'aim.eai.amd.com/v1alpha1','kind':'AIMService','metadata':{'name':'a'}}]}"))
        .once();
    KUBE.expect()
        .get()
        .withPath(path + "?continue=page-2&limit=1")
        .andReturn(200, json("{'apiVersion':'aim.eai.amd.com/v1alpha1','kind':'AIMServiceList','metadata':{},'items':[{'apiVersion':'aim.eai.amd.com/v1alpha1','kind':'AIMService','metadata':{'name':'b'}}]}"))
        .once();

    mvc.perform(get(services()).param("limit", "1").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.metadata.continue").value("page-2"))
        .andExpect(jsonPath("$.items[0].metadata.name").value("a"));
    mvc.perform(get(services()).param("limit", "1").param("continue", "page-2").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items[0].metadata.name").value("b"));
  }

  @Test
  void patchesWithJsonMergePatchAfterValidatingTheResult() throws Exception {
    create(service("chat", "{'model':{'name':'a'},'template':{'name':'t1'},'replicas':1}"));
    String chat = services() + "/chat";

    mvc.perform(
            patch(chat).header(HttpHeaders.AUTHORIZATION, admin()).contentType("application/merge-patch+json").content(json("{'spec':{'replicas':2}}")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.spec.replicas").value(2))
        .andExpect(jsonPath("$.spec.template.name").value("t1"));

    mvc.perform(
            patch(chat)
                .header(HttpHeaders.AUTHORIZATION, admin())
                .contentType("application/merge-patch+json")
                .content(json("{'spec':{'replicas':'three','template':{'name':'t2'}}}")))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("spec.replicas")));
    mvc.perform(
            patch(chat).header(HttpHeaders.AUTHORIZATION, admin()).contentType("application/merge-patch+json").content(json("{'spec':{'template':{'name':'t2'}}}")))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.errors[0].field").value("spec.template"))
        .andExpect(jsonPath("$.errors[0].message").value("Invalid value: \"object\": template is immutable"));
    mvc.perform(patch(services() + "/missing").header(HttpHeaders.AUTHORIZATION, admin()).contentType("application/merge-patch+json").content("{}"))
        .andExpect(status().isNotFound());
  }

  @Test
  void answersKubernetesConflictsAs409() throws Exception {
    create(service("chat", "{'model':{'name':'a'}}"));
    KUBE.expect()
        .patch()
        .withPath("/apis/aim.eai.amd.com/v1alpha1/namespaces/" + ns + "/aimservices/chat")
        .andReturn(
            409,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Conflict")
                .withCode(409)
                .withMessage("Operation cannot be fulfilled on aimservices.aim.eai.amd.com \"chat\": the object has been modified")
                .build())
        .once();

    mvc.perform(
            patch(services() + "/chat")
                .header(HttpHeaders.AUTHORIZATION, admin())
                .contentType("application/merge-patch+json")
                .content(json("{'metadata':{'resourceVersion':'1'},'spec':{'replicas':2}}")))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value(PROBLEM + "conflict"))
        .andExpect(jsonPath("$.detail").value(containsString("the object has been modified")));
  }

  @Test
  void deletesAndAnswersAccepted() throws Exception {
    create(service("chat", "{'model':{'name':'a'}}"));

    mvc.perform(delete(services() + "/chat").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isAccepted())
        .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost" + services() + "/chat"))
        .andExpect(jsonPath("$.action").value("delete"))
        .andExpect(jsonPath("$.workflowId").value("AIMService/" + ns + "/chat"))
        .andExpect(jsonPath("$.requestedBy").value("admin"));
    mvc.perform(get(services() + "/chat").header(HttpHeaders.AUTHORIZATION, admin())).andExpect(status().isNotFound());
    mvc.perform(delete(services() + "/chat").header(HttpHeaders.AUTHORIZATION, admin())).andExpect(status().isNotFound());
  }

  @Test
  void servesClusterScopedKinds() throws Exception {
    String model = json("{'metadata':{'name':'qwen3'},'spec':{'image':'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'}}");

    mvc.perform(post("/api/v1/aimclustermodels").header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(model))
        .andExpect(status().isCreated())
        .andExpect(header().string(HttpHeaders.LOCATION, "http://localhost/api/v1/aimclustermodels/qwen3"))
        .andExpect(jsonPath("$.kind").value("AIMClusterModel"));
    mvc.perform(get("/api/v1/aimclustermodels/qwen3").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.metadata.namespace").doesNotExist());
    mvc.perform(post("/api/v1/aimclustermodels").header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content(json("{'metadata':{'name':'x'},'spec':{}}")))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("spec.image")));
    mvc.perform(delete("/api/v1/aimclustermodels/qwen3").header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.workflowId").value("AIMClusterModel/qwen3"));
  }

  @Test
  void answersSpringErrorsAsProblemsToo() throws Exception {
    mvc.perform(post(services()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content("{not json"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value(PROBLEM + "bad-request"));
    mvc.perform(post(services()).header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.APPLICATION_JSON).content("[1,2]"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("The request body must be a JSON object"));
    mvc.perform(patch(services() + "/chat").header(HttpHeaders.AUTHORIZATION, admin()).contentType(MediaType.TEXT_PLAIN).content("x"))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(jsonPath("$.type").value(PROBLEM + "unsupported-media-type"));
    mvc.perform(delete(services()).header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isMethodNotAllowed())
        .andExpect(jsonPath("$.type").value(PROBLEM + "method-not-allowed"));
  }

  @Test
  void listAnswersAnEmptyListForAnEmptyNamespace() throws Exception {
    mvc.perform(get(services()).header(HttpHeaders.AUTHORIZATION, admin()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items", hasSize(0)));
  }
}
