package aim.orchestrator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A CRD's structural schema: pruning, defaults, the JSON Schema translation and CEL rules. */
class CrdSchemaTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void prunesAndDefaultsLikeAStructuralSchema() throws Exception {
    CrdSchema schema =
        new CrdSchema(
            json(
                "{'type':'object','properties':{'metadata':{'type':'object'},"
                    + "'spec':{'type':'object','properties':{"
                    + "'mode':{'type':'string','default':'Shared'},"
                    + "'opts':{'type':'object','properties':{'a':{'type':'integer','default':1}}},"
                    + "'free':{'type':'object','x-kubernetes-preserve-unknown-fields':true},"
                    + "'labels':{'type':'object','additionalProperties':{'type':'string'}},"
                    + "'items':{'type':'array','items':{'type':'object',"
                    + "'properties':{'n':{'type':'string'}}}},"
                    + "'nullable':{'type':'string','nullable':true}}}}}"),
            MAPPER);
    com.fasterxml.jackson.databind.node.ObjectNode object =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json(
                "{'apiVersion':'x/v1','kind':'X','metadata':{'name':'a','labels':{'l':'v'}},"
                    + "'spec':{'mode':null,'opts':{},'free':{'any':{'thing':1}},'labels':{'k':'v'},"
                    + "'items':[{'n':'1','junk':2}],'nullable':null,'typo':3},'extra':true}");

    List<String> unknown = schema.prune(object);
    schema.applyDefaults(object);

    assertThat(unknown).containsExactlyInAnyOrder("spec.items[0].junk", "spec.typo", "extra");
    assertThat(object)
        .isEqualTo(
            json(
                "{'apiVersion':'x/v1','kind':'X','metadata':{'name':'a','labels':{'l':'v'}},"
                    + "'spec':{'opts':{'a':1},'free':{'any':{'thing':1}},'labels':{'k':'v'},"
                    + "'items':[{'n':'1'}],'nullable':null,'mode':'Shared'}}"));
  }

  @Test
  void translatesKubernetesSchemaKeywords() throws Exception {
    JsonNode translated =
        CrdSchema.translate(
            json(
                "{'type':'object','properties':{"
                    + "'size':{'anyOf':[{'type':'integer'},{'type':'string'}],"
                    + "'x-kubernetes-int-or-string':true},"
                    + "'n':{'type':'integer','minimum':1.0,'exclusiveMinimum':true,'nullable':true,"
                    + "'default':2,'description':'d',"
                    + "'x-kubernetes-validations':[{'rule':'self > 1'}]}}}"),
            MAPPER);

    assertThat(translated)
        .isEqualTo(
            json(
                "{'type':'object','properties':{"
                    + "'size':{'type':['integer','string']},"
                    + "'n':{'type':['integer','null'],'exclusiveMinimum':1.0}}}"));
  }

  @Test
  void evaluatesCelRulesAtEverySchemaLevelWithOldSelf() throws Exception {
    CrdSchema schema =
        new CrdSchema(
            MAPPER.readTree(
                """
                {"type": "object", "properties": {"spec": {"type": "object",
                  "x-kubernetes-validations": [{"rule": "self.min <= self.max",
                    "messageExpression": "'min ' + string(self.min) + ' above max'"}],
                  "properties": {
                    "min": {"type": "integer"}, "max": {"type": "integer"},
                    "ratio": {"type": "number", "x-kubernetes-validations":
                      [{"rule": "self < 1.5", "message": "ratio too high"}]},
                    "name": {"type": "string", "x-kubernetes-validations":
                      [{"rule": "self == oldSelf", "message": "name is immutable"}]},
                    "tags": {"type": "object", "additionalProperties": {"type": "string",
                      "x-kubernetes-validations": [{"rule": "self.size() < 4",
                        "reason": "FieldValueForbidden", "message": "tag too long"}]}}}}}}
                """),
            MAPPER);
    com.fasterxml.jackson.databind.node.ObjectNode old =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json("{'metadata':{'name':'a'},'spec':{'min':1,'max':2,'name':'x'}}");
    com.fasterxml.jackson.databind.node.ObjectNode bad =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json(
                "{'metadata':{'name':'a'},'spec':{'min':3,'max':2,'ratio':2,'name':'y',"
                    + "'tags':{'ok':'abc','long':'abcd'}}}");

    assertThat(schema.hasRules()).isTrue();
    assertThat(schema.validateRules(old, null)).isEmpty();
    assertThat(schema.validateRules(bad, null))
        .extracting(FieldError::field, FieldError::message)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "spec", "Invalid value: \"object\": min 3 above max"),
            // an integral value of a number field is a double: compared with 1.5 without error
            org.assertj.core.groups.Tuple.tuple(
                "spec.ratio", "Invalid value: \"number\": ratio too high"),
            org.assertj.core.groups.Tuple.tuple("spec.tags[long]", "Forbidden: tag too long"));
    assertThat(schema.validateRules(bad, old))
        .extracting(FieldError::field)
        .contains("spec.name");
  }

  @Test
  void joinsRuleFieldPaths() {
    assertThat(CrdSchema.joinFieldPath("spec", ".model.name")).isEqualTo("spec.model.name");
    assertThat(CrdSchema.joinFieldPath("spec", ".env['A.B']")).isEqualTo("spec.env.A.B");
    assertThat(CrdSchema.joinFieldPath("", ".spec")).isEqualTo("spec");
    assertThat(CrdSchema.joinFieldPath("spec", ".list[2]")).isEqualTo("spec.list[2]");
  }
}
