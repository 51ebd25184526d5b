package aim.orchestrator.crd;

import aim.orchestrator.model.Aim;
import aim.orchestrator.model.AimKinds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an AIM object against its CRD as kube-apiserver would with strict field validation: unknown fields, the
 * {@code openAPIV3Schema} (after defaulting) and the {@code x-kubernetes-validations} CEL rules, with {@code oldSelf}
 * on updates. The CRDs are the generated ones packed in this jar under {@code crds/}, so the check matches what the
 * cluster enforces. Metadata (name syntax, namespace) is the caller's to check, as it is the API machinery's.
 */
public final class AimCrdValidator {
  private final ObjectMapper mapper = new ObjectMapper();
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
  private final Map<String, CrdSchema> schemas = new ConcurrentHashMap<>();

  /**
   * Every problem of {@code object} as the kind's CRD sees it; empty when it is valid.
   *
   * @param kind an AIM kind, e.g. {@code AIMService}
   * @param object the whole object (apiVersion, kind, metadata, spec); not modified
   * @param old the stored object on an update (for transition rules), null on a create
   */
  public List<FieldError> validate(String kind, JsonNode object, JsonNode old) {
    CrdSchema schema = schemas.computeIfAbsent(kind, this::load);
    ObjectNode copy = (ObjectNode) object.deepCopy();
    List<FieldError> errors = new ArrayList<>();
    for (String field : schema.prune(copy)) {
      errors.add(new FieldError("FieldValueUnknown", field, "unknown field \"" + field + "\""));
    }
    schema.applyDefaults(copy);
    errors.addAll(schema.validate(copy, mapper));
    if (errors.isEmpty() && schema.hasRules()) {
      // CEL runs on well-typed objects only (as in the dev API), so a type error is not reported twice.
      errors.addAll(schema.validateRules(copy, old instanceof ObjectNode o ? o : null));
    }
    return errors;
  }

  private CrdSchema load(String kind) {
    Class<? extends HasMetadata> type = AimKinds.byKind(kind);
    String resource = "crds/" + HasMetadata.getPlural(type) + "." + Aim.GROUP + "-v1.yml";
    try (InputStream in = AimCrdValidator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no CRD " + resource + " on the classpath");
      }
      JsonNode crd = yaml.readTree(in);
      for (JsonNode version : crd.path("spec").path("versions")) {
        if (Aim.VERSION.equals(version.path("name").asText())) {
          return new CrdSchema(version.path("schema").path("openAPIV3Schema"), mapper);
        }
      }
      throw new IllegalStateException(resource + " does not serve " + Aim.VERSION);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
