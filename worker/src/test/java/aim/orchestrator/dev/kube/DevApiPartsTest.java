package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of the dev API: path parsing, patches, printer-column JSONPath, ages, version
 * priority.
 */
class DevApiPartsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void parsesKubernetesPaths() {
    ApiPath status =
        ApiPath.parse("/apis/aim.eai.amd.com/v1alpha1/namespaces/ns/aimservices/chat/status?x=1")
            .orElseThrow();
    assertThat(status)
        .extracting(
            ApiPath::group,
            ApiPath::version,
            ApiPath::namespace,
            ApiPath::resource,
            ApiPath::name,
            ApiPath::subresource)
        .containsExactly("aim.eai.amd.com", "v1alpha1", "ns", "aimservices", "chat", "status");
    assertThat(status.query()).containsEntry("x", "1");
    assertThat(status.objectPath())
        .isEqualTo("/apis/aim.eai.amd.com/v1alpha1/namespaces/ns/aimservices/chat");

    ApiPath namespaceStatus = ApiPath.parse("/api/v1/namespaces/team-a/status").orElseThrow();
    assertThat(namespaceStatus.namespace()).isNull();
    assertThat(namespaceStatus.resource()).isEqualTo("namespaces");
    assertThat(namespaceStatus.name()).isEqualTo("team-a");

    ApiPath pods =
        ApiPath.parse("/api/v1/namespaces/team-a/pods?fieldValidation=Strict").orElseThrow();
    assertThat(pods.namespace()).isEqualTo("team-a");
    assertThat(pods.resource()).isEqualTo("pods");
    assertThat(pods.query()).containsEntry("fieldValidation", "Strict");

    assertThat(ApiPath.parse("/version")).isEmpty();
  }

  @Test
  void mergePatchFollowsRfc7386() throws Exception {
    JsonNode result =
        Patches.apply(
            Patches.Type.MERGE,
            json("{'a':{'b':1,'c':2},'l':[1,2]}"),
            json("{'a':{'b':null,'d':3},'l':[3]}"),
            true);

    assertThat(result).isEqualTo(json("{'a':{'c':2,'d':3},'l':[3]}"));
  }

  @Test
  void strategicMergePatchMergesKnownListsByKeyForBuiltins() throws Exception {
    JsonNode target =
        json(
            "{'spec':{'containers':[{'name':'a','image':'x','args':['1']},"
                + "{'name':'b','image':'y'}],"
                + "'tolerations':[{'key':'k'}]},'metadata':{'finalizers':['f1']}}");
    JsonNode patch =
        json(
            "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                + "'containers':[{'name':'a','image':'z'},{'name':'b','$patch':'delete'}],"
                + "'tolerations':[{'key':'n'}]},"
                + "'metadata':{'finalizers':['f2']}}");

    JsonNode result = Patches.apply(Patches.Type.STRATEGIC, target, patch, false);

    assertThat(result)
        .isEqualTo(
            json(
                "{'spec':{'containers':[{'name':'a','image':'z','args':['1']}],"
                    + "'tolerations':[{'key':'n'}]},'metadata':{'finalizers':['f1','f2']}}"));
    // custom resources: plain merge patch semantics, directives dropped
    assertThat(
            Patches.apply(Patches.Type.STRATEGIC, target, patch, true)
                .path("spec")
                .path("containers"))
        .isEqualTo(json("[{'name':'a','image':'z'},{'name':'b'}]"));
  }

  @Test
  void evaluatesPrinterColumnPaths() throws Exception {
    JsonNode object =
        json(
            "{'status':{'conditions':[{'type':'Ready','status':'True'},"
                + "{'type':'Other','status':'False'}],"
                + "'addresses':[{'value':'1.2.3.4'},{'value':'5.6.7.8'}]},"
                + "'spec':{'a':{'b':3}}}");

    assertThat(Tables.evaluate(object, ".status.conditions[?(@.type=='Ready')].status"))
        .extracting(JsonNode::asText)
        .containsExactly("True");
    assertThat(Tables.evaluate(object, ".status.addresses[*].value"))
        .extracting(JsonNode::asText)
        .containsExactly("1.2.3.4", "5.6.7.8");
    assertThat(Tables.evaluate(object, ".status.conditions[1].type"))
        .extracting(JsonNode::asText)
        .containsExactly("Other");
    assertThat(Tables.evaluate(object, "{.spec.a.b}"))
        .extracting(JsonNode::asInt)
        .containsExactly(3);
    assertThat(Tables.evaluate(object, ".spec.missing.x")).isEmpty();
  }

  @Test
  void formatsAgesLikeKubectl() {
    assertThat(Tables.humanDuration(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(Tables.humanDuration(Duration.ofSeconds(192))).isEqualTo("3m12s");
    assertThat(Tables.humanDuration(Duration.ofMinutes(45))).isEqualTo("45m");
    assertThat(Tables.humanDuration(Duration.ofMinutes(310))).isEqualTo("5h10m");
    assertThat(Tables.humanDuration(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(Tables.humanDuration(Duration.ofHours(75))).isEqualTo("3d3h");
    assertThat(Tables.humanDuration(Duration.ofDays(40))).isEqualTo("40d");
  }

  @Test
  void ordersVersionsByKubernetesPriority() {
    assertThat(
            List.of("v1alpha1", "v2beta1", "v1", "v1beta2", "v2", "foo").stream()
                .sorted(CrdRegistry::compareVersions)
                .toList())
        .containsExactly("v2", "v1", "v2beta1", "v1beta2", "v1alpha1", "foo");
  }

  @Test
  void matchesFieldSelectors() throws Exception {
    JsonNode event =
        json(
            "{'metadata':{'name':'e','namespace':'ns'},'type':'Normal',"
                + "'involvedObject':{'kind':'AIMService','name':'chat','uid':'u-1'}}");

    assertThat(
            FieldSelector.parse("involvedObject.name=chat,involvedObject.uid==u-1").matches(event))
        .isTrue();
    assertThat(FieldSelector.parse("involvedObject.kind!=AIMService").matches(event)).isFalse();
    assertThat(FieldSelector.parse("reason=").matches(event)).isTrue();
    assertThat(FieldSelector.parse("metadata.name=e,type=Warning").matches(event)).isFalse();
    assertThat(
            FieldSelector.parse("metadata.name=e,involvedObject.kind=AIMService").storeSupported())
        .isEqualTo("metadata.name=e");
    assertThat(FieldSelector.parse("")).isEqualTo(FieldSelector.EVERYTHING);
    assertThat(
            DevApiDispatcher.replaceQueryParam(
                "/api/v1/events?limit=5&fieldSelector=a%3Db", "fieldSelector", ""))
        .isEqualTo("/api/v1/events?limit=5");
  }

  @Test
  void convertsEventsBetweenTheTwoApis() throws Exception {
    JsonNode recorded =
        json(
            "{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'e'},"
                + "'regarding':{'kind':'Pod','name':'p'},'note':'hello','reason':'Started',"
                + "'reportingController':'kubelet','reportingInstance':'node-1',"
                + "'type':'Normal','deprecatedCount':2}");

    JsonNode core = Events.toCore(recorded);

    assertThat(core.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(core.path("involvedObject").path("name").asText()).isEqualTo("p");
    assertThat(core.path("message").asText()).isEqualTo("hello");
    assertThat(core.path("source").path("component").asText()).isEqualTo("kubelet");
    assertThat(core.path("count").asInt()).isEqualTo(2);
    JsonNode back = Events.toNew(core);
    assertThat(back.path("regarding")).isEqualTo(recorded.path("regarding"));
    assertThat(back.path("note").asText()).isEqualTo("hello");
    assertThat(back.path("reportingController").asText()).isEqualTo("kubelet");
  }

  @Test
  void rbacAggregatesClusterRolesByLabel() throws Exception {
    Map<String, List<JsonNode>> stored =
        Map.of(
            "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            List.of(
                json(
                    "{'metadata':{'name':'aggregate'},'aggregationRule':{'clusterRoleSelectors':"
                        + "[{'matchLabels':{'aim/aggregate':'true'}}]},'rules':[]}"),
                json(
                    "{'metadata':{'name':'part','labels':{'aim/aggregate':'true'}},"
                        + "'rules':[{'apiGroups':['*'],'resources':['*/log'],'verbs':['get']},"
                        + "{'nonResourceURLs':['/healthz/*'],'verbs':['get']}]}")),
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            List.of(
                json(
                    "{'metadata':{'name':'b'},'roleRef':{'kind':'ClusterRole','name':'aggregate'},"
                        + "'subjects':[{'kind':'ServiceAccount','name':'sa','namespace':'ns'}]}")));
    Rbac rbac = new Rbac(path -> stored.getOrDefault(path, List.of()));
    String sa = "system:serviceaccount:ns:sa";

    assertThat(
            rbac.authorize(
                    new Rbac.Request(sa, List.of(), "get", "x", "", "pods", "log", "p", null))
                .allowed())
        .isTrue();
    assertThat(
            rbac.authorize(new Rbac.Request(sa, List.of(), "get", "x", "", "pods", "", "p", null))
                .allowed())
        .isFalse();
    assertThat(
            rbac.authorize(
                    new Rbac.Request(
                        sa, List.of(), "get", null, null, null, null, null, "/healthz/ready"))
                .reason())
        .isEqualTo(
            "RBAC: allowed by ClusterRoleBinding \"b\" of ClusterRole \"aggregate\" to"
                + " ServiceAccount \"sa/ns\"");
  }

  @Test
  void matchesLabelSelectorsWithSetBasedTerms() throws Exception {
    JsonNode object = json("{'metadata':{'labels':{'tier':'gpu','team':'ml'}}}");

    assertThat(LabelSelector.parse("tier in (gpu,cpu),team").matches(object)).isTrue();
    assertThat(LabelSelector.parse("tier notin (gpu)").matches(object)).isFalse();
    assertThat(LabelSelector.parse("tier!=cpu,!missing,team==ml").matches(object)).isTrue();
    assertThat(LabelSelector.parse("missing").matches(object)).isFalse();
    assertThat(LabelSelector.parse("zone notin (a)").matches(object)).isTrue();
    assertThat(LabelSelector.parse(null).isEmpty()).isTrue();
  }
}
