package aim.orchestrator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code x-kubernetes-validations} rules of a CRD schema, compiled with CEL-Java and evaluated like
 * kube-apiserver does: {@code self} is the value at the rule's schema level, {@code oldSelf} the
 * stored value there on an update. A rule that mentions {@code oldSelf} is a transition rule and is
 * skipped when there is no old value (on create, or when the field is new), unless it sets {@code
 * optionalOldSelf}, in which case {@code oldSelf} is an optional. The environment is CEL's standard
 * library with the standard macros ({@code has}, {@code all}, {@code exists}, {@code exists_one},
 * {@code map}, {@code filter}) plus the strings, sets, lists and optional extensions; Kubernetes'
 * own libraries (quantity, URL, IP/CIDR, format, list {@code isSorted}/{@code sum}, ...) are not
 * available, and a rule using them is not enforced (a warning says so).
 */
final class CelRules {

  private static final Logger log = LoggerFactory.getLogger(CelRules.class);

  /** One compiled rule. */
  record Rule(
      String source,
      String message,
      String fieldPath,
      String reason,
      boolean transition,
      boolean optionalOldSelf,
      CelRuntime.Program program,
      CelRuntime.Program messageProgram) {}

  /** Why a rule failed: its message (rule message, messageExpression result, or the default). */
  record Failure(String message, boolean evaluationError) {}

  private static final CelOptions OPTIONS = CelOptions.current().build();
  private static final Cel RULES = environment(SimpleType.BOOL, false);
  private static final Cel RULES_OPTIONAL_OLD = environment(SimpleType.BOOL, true);
  private static final Cel MESSAGES = environment(SimpleType.STRING, false);
  private static final Cel MESSAGES_OPTIONAL_OLD = environment(SimpleType.STRING, true);

  private CelRules() {}

  private static Cel environment(CelType result, boolean optionalOldSelf) {
    return CelFactory.standardCelBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addCompilerLibraries(
            CelExtensions.strings(),
            CelExtensions.sets(OPTIONS),
            CelExtensions.lists(),
            CelExtensions.optional())
        .addRuntimeLibraries(
            CelExtensions.strings(),
            CelExtensions.sets(OPTIONS),
            CelExtensions.lists(),
            CelExtensions.optional())
        .addVar("self", SimpleType.DYN)
        .addVar("oldSelf", optionalOldSelf ? OptionalType.create(SimpleType.DYN) : SimpleType.DYN)
        .setResultType(result)
        .build();
  }

  /**
   * The syntax error of a rule or message expression, if any: what kube-apiserver rejects a CRD
   * for. (Type-check errors are not reported here: they may come from a Kubernetes library this
   * environment lacks.)
   */
  static Optional<String> syntaxError(String expression) {
    CelValidationResult parsed = RULES.parse(expression);
    return parsed.hasError() ? Optional.of(parsed.getErrorString()) : Optional.empty();
  }

  /**
   * Compiles the rules of one schema node ({@code validations} is its {@code
   * x-kubernetes-validations} array); {@code where} names the node in warnings.
   */
  static List<Rule> compile(JsonNode validations, String where) {
    List<Rule> rules = new ArrayList<>();
    for (JsonNode v : validations) {
      String source = v.path("rule").asText("");
      if (source.isBlank()) {
        continue;
      }
      boolean optionalOld = v.path("optionalOldSelf").asBoolean(false);
      CelValidationResult compiled = (optionalOld ? RULES_OPTIONAL_OLD : RULES).compile(source);
      if (compiled.hasError()) {
        log.warn(
            "x-kubernetes-validations rule at {} is not enforced (the rule does not compile in its CEL"
                + " environment): {}\n{}",
            where.isEmpty() ? "<root>" : where,
            source,
            compiled.getErrorString());
        continue;
      }
      try {
        CelAbstractSyntaxTree ast = compiled.getAst();
        boolean transition =
            ast.getReferenceMap().values().stream().anyMatch(r -> r.name().equals("oldSelf"));
        CelRuntime.Program program = (optionalOld ? RULES_OPTIONAL_OLD : RULES).createProgram(ast);
        CelRuntime.Program messageProgram = null;
        String messageExpression = v.path("messageExpression").asText("");
        if (!messageExpression.isBlank()) {
          Cel messages = optionalOld ? MESSAGES_OPTIONAL_OLD : MESSAGES;
          CelValidationResult message = messages.compile(messageExpression);
          if (message.hasError()) {
            log.warn(
                "messageExpression at {} does not compile; its rule reports its message"
                    + " instead: {}",
                where,
                message.getErrorString());
          } else {
            messageProgram = messages.createProgram(message.getAst());
          }
        }
        rules.add(
            new Rule(
                source,
                v.path("message").asText(""),
                v.path("fieldPath").asText(""),
                v.path("reason").asText("FieldValueInvalid"),
                transition,
                optionalOld,
                program,
                messageProgram));
      } catch (Exception e) {
        // CelValidationException; a compiled AST that cannot be planned is as unusable
        log.warn("rule at {} is not enforced: {}", where, e.toString());
      }
    }
    return List.copyOf(rules);
  }

  /**
   * Evaluates a rule. {@code oldSelf} is only looked at when {@code hasOld}; the caller has already
   * skipped transition rules without an old value (unless they set optionalOldSelf).
   *
   * @return empty when the rule holds
   */
  static Optional<Failure> evaluate(Rule rule, Object self, Object oldSelf, boolean hasOld) {
    Map<String, Object> activation = new LinkedHashMap<>();
    activation.put("self", self);
    if (rule.optionalOldSelf()) {
      activation.put("oldSelf", hasOld ? Optional.of(oldSelf) : Optional.empty());
    } else {
      activation.put("oldSelf", hasOld ? oldSelf : NullValue.NULL_VALUE);
    }
    Object result;
    try {
      result = rule.program().eval(activation);
    } catch (CelEvaluationException | RuntimeException e) {
      return Optional.of(
          new Failure(rootMessage(e) + " evaluating rule: " + rule.source().strip(), true));
    }
    if (Boolean.TRUE.equals(result)) {
      return Optional.empty();
    }
    return Optional.of(new Failure(message(rule, activation), false));
  }

  private static String message(Rule rule, Map<String, Object> activation) {
    if (rule.messageProgram() != null) {
      try {
        Object text = rule.messageProgram().eval(activation);
        if (text instanceof String s && !s.isBlank()) {
          return s;
        }
      } catch (CelEvaluationException | RuntimeException e) {
        log.debug("messageExpression failed: {}", e.toString());
      }
    }
    if (!rule.message().isBlank()) {
      return rule.message();
    }
    return "failed rule: " + rule.source().strip();
  }

  private static String rootMessage(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replaceFirst("^evaluation error at <input>:\\d+: ", "");
  }

  /**
   * The CEL value of a JSON value under a schema node: objects become maps, arrays lists, integers
   * {@code long}, numbers {@code double} (an integral number in a {@code type: number} field, too,
   * as Kubernetes types it), null CEL's null.
   */
  static Object value(JsonNode node, JsonNode schema) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    String type = schema == null ? "" : schema.path("type").asText("");
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      JsonNode props = schema == null ? null : schema.get("properties");
      JsonNode additional = schema == null ? null : schema.get("additionalProperties");
      node.properties()
          .forEach(
              e -> {
                JsonNode sub = props != null ? props.get(e.getKey()) : null;
                if (sub == null && additional != null && additional.isObject()) {
                  sub = additional;
                }
                map.put(e.getKey(), value(e.getValue(), sub));
              });
      return map;
    }
    if (node.isArray()) {
      JsonNode items = schema == null ? null : schema.get("items");
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(value(item, items)));
      return list;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      if (type.equals("number") || !node.canConvertToLong() || !node.isIntegralNumber()) {
        return node.doubleValue();
      }
      return node.longValue();
    }
    return node.asText();
  }
}
