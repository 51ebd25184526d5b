package aim.orchestrator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CEL {@code x-kubernetes-validations}: the AIM CRDs' own rules, and rules added at run time to a
 * fixture CRD through the API (no code knows about them), including transition rules.
 */
class DevKubernetesApiCelTest {

  private static final String NS = "cel";
  private static final ResourceDefinitionContext AIM_SERVICE =
      new ResourceDefinitionContext.Builder()
          .withGroup("aim.eai.amd.com")
          .withVersion("v1alpha1")
          .withKind("AIMService")
          .withPlural("aimservices")
          .withNamespaced(true)
          .build();
  private static final ResourceDefinitionContext GADGET =
      new ResourceDefinitionContext.Builder()
          .withGroup("fixtures.aim.dev")
          .withVersion("v1")
          .withKind("Gadget")
          .withPlural("gadgets")
          .withNamespaced(true)
          .build();
  private static final String GADGET_CRD = "gadgets.fixtures.aim.dev";

  private static DevKubernetesApi api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    api = DevKubernetesApi.start(0);
    client = api.newClient();
    Namespaces.create(api, NS);
    try (InputStream in =
        DevKubernetesApiCelTest.class.getResourceAsStream("/dev/kube/gadgets-crd.yaml")) {
      client.apiextensions().v1().customResourceDefinitions().load(in).create();
    }
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private static GenericKubernetesResource object(
      String apiVersion, String kind, String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private static Resource<GenericKubernetesResource> service(String name) {
    return client.genericKubernetesResources(AIM_SERVICE).inNamespace(NS).withName(name);
  }

  private static GenericKubernetesResource createService(String name, Map<String, Object> spec) {
    return client
        .genericKubernetesResources(AIM_SERVICE)
        .inNamespace(NS)
        .resource(object("aim.eai.amd.com/v1alpha1", "AIMService", name, spec))
        .create();
  }

  private static Resource<GenericKubernetesResource> gadget(String name) {
    return client.genericKubernetesResources(GADGET).inNamespace(NS).withName(name);
  }

  private static GenericKubernetesResource createGadget(String name, Map<String, Object> spec) {
    return client
        .genericKubernetesResources(GADGET)
        .inNamespace(NS)
        .resource(object("fixtures.aim.dev/v1", "Gadget", name, spec))
        .create();
  }

  private static void mergePatch(Resource<GenericKubernetesResource> r, String json) {
    r.patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }

  /** Asserts a 422 Invalid whose causes include {@code field} with a message containing text. */
  private static void assertInvalid(ThrowingCallable call, String field, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
              assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
              assertThat(e.getStatus().getDetails().getCauses())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getField()).isEqualTo(field);
                        assertThat(c.getMessage()).contains(message);
                      });
            });
  }

  /** Adds rules to the fixture CRD through the API, at a property path under the schema root. */
  private static void addRules(List<String> propertyPath, ValidationRule... rules) {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(GADGET_CRD)
        .edit(
            crd -> {
              JSONSchemaProps node =
                  crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
              for (String property : propertyPath) {
                node = node.getProperties().get(property);
              }
              List<ValidationRule> all = new ArrayList<>();
              if (node.getXKubernetesValidations() != null) {
                all.addAll(node.getXKubernetesValidations());
              }
              all.addAll(List.of(rules));
              node.setXKubernetesValidations(all);
              return crd;
            });
  }

  private static void editCrd(Consumer<CustomResourceDefinition> change) {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(GADGET_CRD)
        .edit(
            crd -> {
              change.accept(crd);
              return crd;
            });
  }

  private static ValidationRule rule(String rule, String message) {
    return new ValidationRuleBuilder().withRule(rule).withMessage(message).build();
  }

  // ---------------------------------------------------------------- the AIM CRDs' rules

  @Test
  void anAimServiceNeedsExactlyOneModelSourceAndNothingIsStoredOtherwise() {
    assertInvalid(
        () -> createService("two-sources", Map.of("model", Map.of("name", "m", "image", "i"))),
        "spec.model",
        "Invalid value: \"object\": exactly one of model.name, model.image or model.custom must"
            + " be set");
    assertThat(service("two-sources").get()).isNull();
    assertInvalid(
        () -> createService("no-source", Map.of("model", Map.of())),
        "spec.model",
        "exactly one of");

    assertThat(createService("one-source", Map.of("model", Map.of("image", "img:1")))).isNotNull();
  }

  @Test
  void immutableFieldsRejectChangesButAllowEverythingElse() {
    createService(
        "immutable", Map.of("model", Map.of("name", "llama"), "caching", Map.of("mode", "Shared")));

    assertInvalid(
        () -> mergePatch(service("immutable"), "{\"spec\":{\"model\":{\"name\":\"qwen\"}}}"),
        "spec.model",
        "Invalid value: \"object\": model is immutable");
    assertInvalid(
        () -> mergePatch(service("immutable"), "{\"spec\":{\"caching\":{\"mode\":\"Never\"}}}"),
        "spec.caching.mode",
        "caching mode is immutable");
    assertThat(service("immutable").get().<String>get("spec", "model", "name")).isEqualTo("llama");

    // transition rules hold for unchanged values, and status writes leave them alone
    mergePatch(service("immutable"), "{\"spec\":{\"replicas\":3}}");
    service("immutable")
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"status\":\"Pending\"}}");
    GenericKubernetesResource stored = service("immutable").get();
    assertThat(stored.<Integer>get("spec", "replicas")).isEqualTo(3);
    assertThat(stored.<String>get("status", "status")).isEqualTo("Pending");
  }

  // ---------------------------------------------------------------- rules added at run time

  @Test
  void aRuleAddedToACrdThroughTheApiIsEnforcedWithoutCodeChanges() {
    createGadget("before-rule", Map.of("size", 50));

    addRules(List.of("spec"), rule("self.size <= 10", "size may be at most 10"));

    assertInvalid(
        () -> createGadget("too-big", Map.of("size", 11)),
        "spec",
        "Invalid value: \"object\": size may be at most 10");
    assertThat(gadget("too-big").get()).isNull();
    assertThat(createGadget("small", Map.of("size", 10))).isNotNull();
    // an object stored before the rule can still change elsewhere (ratcheting) ...
    mergePatch(gadget("before-rule"), "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    // ... but not be changed into another violation
    assertInvalid(
        () -> mergePatch(gadget("before-rule"), "{\"spec\":{\"size\":40}}"),
        "spec",
        "size may be at most 10");
  }

  @Test
  void messageExpressionFieldPathAndReasonShapeTheError() {
    addRules(
        List.of("spec"),
        new ValidationRuleBuilder()
            .withRule("!has(self.owner) || self.owner.startsWith('team-')")
            .withMessageExpression("'owner ' + self.owner + ' is not a team'")
            .withFieldPath(".owner")
            .withReason("FieldValueForbidden")
            .build(),
        new ValidationRuleBuilder().withRule("!has(self.limits) || size(self.limits) < 3").build());

    assertInvalid(
        () -> createGadget("bad-owner", Map.of("size", 1, "owner", "bob")),
        "spec.owner",
        "Forbidden: owner bob is not a team");
    assertInvalid(
        () ->
            createGadget(
                "many-limits", Map.of("size", 1, "limits", Map.of("a", 1, "b", 2, "c", 3))),
        "spec",
        "failed rule: !has(self.limits) || size(self.limits) < 3");
    assertThat(createGadget("team-owned", Map.of("size", 1, "owner", "team-ml"))).isNotNull();
  }

  @Test
  void transitionRulesSeeOldSelfAndAreSkippedOnCreate() {
    addRules(List.of("spec", "mode"), rule("self == oldSelf", "mode is immutable"));
    addRules(
        List.of("spec", "version"),
        new ValidationRuleBuilder()
            .withRule("oldSelf.hasValue() ? self >= oldSelf.value() : self == 1")
            .withOptionalOldSelf(true)
            .withMessage("version starts at 1 and never goes down")
            .build());

    // on create: "self == oldSelf" is skipped, optionalOldSelf sees no old value
    assertInvalid(
        () -> createGadget("v2", Map.of("size", 1, "mode", "Fast", "version", 2)),
        "spec.version",
        "version starts at 1 and never goes down");
    createGadget("evolving", Map.of("size", 1, "mode", "Fast", "version", 1));

    assertInvalid(
        () -> mergePatch(gadget("evolving"), "{\"spec\":{\"mode\":\"Slow\"}}"),
        "spec.mode",
        "mode is immutable");
    mergePatch(gadget("evolving"), "{\"spec\":{\"version\":3}}");
    assertInvalid(
        () -> mergePatch(gadget("evolving"), "{\"spec\":{\"version\":2}}"),
        "spec.version",
        "never goes down");
    assertThat(gadget("evolving").get().<Integer>get("spec", "version")).isEqualTo(3);
    // a field added by an update has no old value either
    createGadget("late-version", Map.of("size", 1));
    assertInvalid(
        () -> mergePatch(gadget("late-version"), "{\"spec\":{\"version\":5}}"),
        "spec.version",
        "version starts at 1");
    mergePatch(gadget("late-version"), "{\"spec\":{\"version\":1}}");
  }

  @Test
  void elementsOfMapListsAreCorrelatedByTheirKeys() {
    editCrd(
        crd -> {
          JSONSchemaProps item =
              crd.getSpec()
                  .getVersions()
                  .get(0)
                  .getSchema()
                  .getOpenAPIV3Schema()
                  .getProperties()
                  .get("spec")
                  .getProperties()
                  .get("ports")
                  .getItems()
                  .getSchema();
          item.setXKubernetesValidations(
              List.of(rule("self.value == oldSelf.value", "a port's value is immutable")));
        });
    createGadget(
        "ported", Map.of("size", 1, "ports", List.of(Map.of("name", "http", "value", 80))));

    // a new element has no old value; an existing one (same key, other position) keeps its value
    mergePatch(
        gadget("ported"),
        "{\"spec\":{\"ports\":[{\"name\":\"grpc\",\"value\":9000},"
            + "{\"name\":\"http\",\"value\":80}]}}");
    assertInvalid(
        () ->
            mergePatch(
                gadget("ported"),
                "{\"spec\":{\"ports\":[{\"name\":\"grpc\",\"value\":9000},"
                    + "{\"name\":\"http\",\"value\":8080}]}}"),
        "spec.ports[1]",
        "a port's value is immutable");
  }

  @Test
  void aCrdWhoseRuleDoesNotParseIsRejected() {
    assertThatThrownBy(() -> addRules(List.of("spec", "size"), rule("self >", "never compiles")))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(StatusCause::getField)
                  .containsExactly(
                      "spec.versions[0].schema.openAPIV3Schema.properties[spec]"
                          + ".properties[size].x-kubernetes-validations[0].rule");
            });
  }
}
