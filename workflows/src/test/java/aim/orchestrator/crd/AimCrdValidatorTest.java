package aim.orchestrator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The generated AIM CRDs, as packed in the jar, check objects the way the cluster will. */
class AimCrdValidatorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final AimCrdValidator VALIDATOR = new AimCrdValidator();

  private static JsonNode service(String spec) throws Exception {
    return MAPPER.readTree(
        ("{'apiVersion':'aim.eai.amd.com/v1alpha1','kind':'AIMService',"
                + "'metadata':{'name':'chat','namespace':'ml'},'spec':" + spec + "}")
            .replace('\'', '"'));
  }

  @Test
  void acceptsAValidService() throws Exception {
    assertThat(VALIDATOR.validate("AIMService", service("{'model':{'name':'qwen3-32b'}}"), null)).isEmpty();
  }

  @Test
  void listsEverySchemaProblemByField() throws Exception {
    JsonNode bad = service("{'replicaz':2,'caching':{'mode':'Sometimes'},'minReplicas':0,'replicas':'two'}");

    assertThat(VALIDATOR.validate("AIMService", bad, null))
        .extracting(FieldError::field, FieldError::reason)
        .containsExactlyInAnyOrder(
            tuple("spec.replicaz", "FieldValueUnknown"),
            tuple("spec.model", "FieldValueRequired"),
            tuple("spec.caching.mode", "FieldValueNotSupported"),
            tuple("spec.minReplicas", "FieldValueInvalid"),
            tuple("spec.replicas", "FieldValueInvalid"));
    assertThat(bad.path("spec").has("replicaz")).as("the input is not modified").isTrue();
  }

  @Test
  void evaluatesCelRulesWithTheStoredObjectOnUpdates() throws Exception {
    assertThat(VALIDATOR.validate("AIMService", service("{'model':{'name':'a','image':'b'}}"), null))
        .extracting(FieldError::field, FieldError::message)
        .containsExactly(
            tuple("spec.model", "Invalid value: \"object\": exactly one of model.name, model.image or model.custom must be set"));

    JsonNode old = service("{'model':{'name':'a'},'template':{'name':'t1'}}");
    JsonNode changed = service("{'model':{'name':'a'},'template':{'name':'t2'}}");
    assertThat(VALIDATOR.validate("AIMService", changed, null)).isEmpty();
    assertThat(VALIDATOR.validate("AIMService", changed, old))
        .extracting(FieldError::field, FieldError::message)
        .containsExactly(tuple("spec.template", "Invalid value: \"object\": template is immutable"));
  }

  @Test
  void servesEveryAimKind() {
    for (var kind : aim.orchestrator.model.AimKinds.ALL) {
      String name = io.fabric8.kubernetes.api.model.HasMetadata.getKind(kind);
      JsonNode empty = MAPPER.createObjectNode().put("apiVersion", "aim.eai.amd.com/v1alpha1").put("kind", name);
      assertThat(VALIDATOR.validate(name, empty, null)).as(name).isNotNull();
    }
  }
}
