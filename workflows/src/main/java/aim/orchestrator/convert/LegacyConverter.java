package aim.orchestrator.convert;

import aim.orchestrator.convert.ConvertedDocument.Result;
import aim.orchestrator.model.Aim;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Converts legacy AIM manifests (seeds 000 and 001) to {@code aim.eai.amd.com/v1alpha1}. The files given together
 * are one batch: model ids resolve through the catalog entries of the whole batch, and a namespace config's pull
 * secrets reach the objects of its namespace in the batch. Documents of other APIs are copied unchanged.
 *
 * <pre>{@code
 * Conversion c = LegacyConverter.convert(List.of(new SourceFile("svc.yaml", yaml)));
 * System.out.print(c.yaml());
 * c.notConverted().forEach(System.err::println);
 * }</pre>
 */
public final class LegacyConverter {
  /** Why a field nobody took is reported. */
  static final String UNKNOWN_FIELD = "no field of aim.eai.amd.com/v1alpha1 takes it; not converted";

  /** Metadata the API server sets; meaningless on a new object, dropped without a word. */
  private static final List<String> SERVER_SET_METADATA =
      List.of("uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink");

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private LegacyConverter() {}

  /**
   * Converts the files as one batch.
   *
   * @throws UnreadableInputException if a file is not YAML; nothing is converted then
   */
  public static Conversion convert(List<SourceFile> files) {
    List<LegacyDocument> docs = new ArrayList<>();
    for (SourceFile file : files) {
      List<JsonNode> nodes = expandLists(ManifestYaml.read(file));
      for (int i = 0; i < nodes.size(); i++) {
        docs.add(new LegacyDocument(file.name(), i, nodes.get(i)));
      }
    }
    Batch batch = Batch.index(docs);
    docs.forEach(doc -> convert(doc, batch));
    docs.forEach(doc -> reportNamespacePullSecrets(doc, batch));
    List<ConvertedDocument> converted = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (LegacyDocument doc : docs) {
      if (doc.result != Result.COPIED_UNCHANGED) {
        doc.result = doc.outputs.isEmpty() ? Result.NOT_CONVERTED : doc.lostSomething() ? Result.PARTLY_CONVERTED : Result.CONVERTED;
      }
      converted.add(new ConvertedDocument(doc.file, doc.index, doc.apiVersion, doc.kind, doc.namespace, doc.name, doc.result, List.copyOf(doc.outputs)));
      findings.addAll(doc.findings);
    }
    return new Conversion(files.stream().map(SourceFile::name).toList(), converted, findings);
  }

  /** The items of a {@code v1 List} (what {@code kubectl get -o yaml} prints) count as documents of their own. */
  private static List<JsonNode> expandLists(List<JsonNode> nodes) {
    List<JsonNode> documents = new ArrayList<>();
    for (JsonNode node : nodes) {
      if (node.path("apiVersion").asText().equals("v1") && node.path("kind").asText().equals("List") && node.path("items").isArray()) {
        node.path("items").forEach(documents::add);
      } else {
        documents.add(node);
      }
    }
    return documents;
  }

  private static void convert(LegacyDocument doc, Batch batch) {
    if (!doc.node.isObject() || doc.kind.isEmpty() || doc.apiVersion.isEmpty()) {
      doc.lost("", "not a Kubernetes object (a mapping with apiVersion and kind); nothing written");
      return;
    }
    if (!LegacyKind.isLegacyGroup(doc.group())) {
      doc.outputs.add(((ObjectNode) doc.node).deepCopy());
      doc.result = Result.COPIED_UNCHANGED;
      doc.note("", doc.group().equals(Aim.GROUP) ? "already " + Aim.GROUP + "; copied unchanged" : "not a legacy AIM object; copied unchanged");
      return;
    }
    LegacyKind kind = LegacyKind.of(doc.kind);
    if (kind == null) {
      doc.lost("kind", doc.kind + " has no counterpart in " + Aim.API_VERSION + " (the converter knows the kinds of seeds 000 and 001); nothing written");
      return;
    }
    Fields top = new Fields((ObjectNode) doc.node, "", doc);
    top.take("apiVersion");
    top.take("kind");
    ObjectMeta meta = metadata(top.object("metadata"), doc, kind);
    if (meta == null) {
      return;
    }
    if (top.take("status") != null) {
      doc.note("status", "not converted: the new API's controllers write status");
    }
    Fields spec = top.object("spec");
    if (spec == null) {
      spec = new Fields(Values.JSON.createObjectNode(), "spec", doc);
    }
    List<HasMetadata> written =
        switch (kind) {
          case CLUSTER_MODEL, MODEL -> single(ModelConverter.convert(doc, spec, meta, kind == LegacyKind.CLUSTER_MODEL, batch));
          case CLUSTER_TEMPLATE, TEMPLATE -> TemplateConverter.convert(doc, spec, meta, kind == LegacyKind.CLUSTER_TEMPLATE, batch);
          case SERVICE -> single(ServiceConverter.convert(doc, spec, meta, batch));
          case MODEL_CACHE -> single(CacheConverter.artifact(doc, spec, meta));
          case TEMPLATE_CACHE -> single(CacheConverter.templateCache(doc, spec, meta));
          case NAMESPACE_CONFIG, CLUSTER_CONFIG -> single(ConfigConverter.convert(doc, spec, meta, kind == LegacyKind.CLUSTER_CONFIG));
        };
    if (!written.isEmpty()) { // else the document's own finding says nothing was written
      top.reportLeftovers(UNKNOWN_FIELD);
    }
    written.forEach(object -> doc.outputs.add(Values.JSON.valueToTree(object)));
  }

  private static List<HasMetadata> single(HasMetadata object) {
    return object == null ? List.of() : List.of(object);
  }

  /** Name, namespace, labels and annotations; null (reported) without a name. */
  private static ObjectMeta metadata(Fields metadata, LegacyDocument doc, LegacyKind kind) {
    String name = metadata == null ? null : metadata.text("name");
    String generateName = metadata == null ? null : metadata.text("generateName");
    if ((name == null || name.isEmpty()) && (generateName == null || generateName.isEmpty())) {
      doc.lost("metadata.name", "required; nothing written");
      return null;
    }
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setGenerateName(generateName);
    String namespace = metadata.text("namespace");
    if (namespace != null && kind.clusterScoped()) {
      doc.note("metadata.namespace", "dropped: the converted object is cluster-scoped");
    } else {
      meta.setNamespace(namespace);
    }
    meta.setLabels(Values.stringMap(metadata, "labels", doc));
    Map<String, String> annotations = Values.stringMap(metadata, "annotations", doc);
    annotations = annotations == null ? new LinkedHashMap<>() : annotations;
    annotations.remove(LAST_APPLIED); // kubectl's copy of the legacy object
    annotations.put(Converted.ANNOTATION_CONVERTED_FROM, doc.describe());
    meta.setAnnotations(annotations);
    SERVER_SET_METADATA.forEach(metadata::take);
    if (metadata.take("ownerReferences") != null) {
      doc.note("metadata.ownerReferences", "dropped: they name legacy objects");
    }
    if (metadata.take("finalizers") != null) {
      doc.note("metadata.finalizers", "dropped: they belong to the legacy operator");
    }
    return meta;
  }

  /**
   * The new API has no namespace-wide image pull secrets. A namespace config's are copied to the AIM objects of its
   * namespace in the batch (services, templates, models); the config reports the rest.
   */
  private static void reportNamespacePullSecrets(LegacyDocument doc, Batch batch) {
    if (!LegacyKind.isLegacyGroup(doc.group()) || LegacyKind.of(doc.kind) != LegacyKind.NAMESPACE_CONFIG) {
      return;
    }
    JsonNode value = doc.node.path("spec").path("images").path("imagePullSecrets");
    List<LocalObjectReference> secrets = value.isMissingNode() || value.isNull() ? null : Values.pullSecrets(value);
    if (secrets == null || secrets.isEmpty()) {
      return;
    }
    String names = secrets.stream().map(LocalObjectReference::getName).collect(Collectors.joining(", "));
    List<String> copies = batch.pullSecretCopies(doc.namespace);
    doc.lost(
        "spec.images.imagePullSecrets",
        "an AIMRuntimeConfig has no image pull secrets. "
            + (copies.isEmpty()
                ? "No AIM object of namespace " + Values.displayNamespace(doc.namespace) + " is in this batch"
                : "Copied to spec.imagePullSecrets of " + String.join(", ", copies) + " in this batch")
            + "; give " + names + " to the AIMServices, AIMServiceTemplates and AIMModels of the namespace created later");
  }
}
