package aim.orchestrator.convert;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the documents of one conversion know about each other: the model catalog (legacy model ids to the names of
 * the models they become), the image pull secrets of each namespace's legacy config, and which namespace copies of
 * cluster models have been written.
 */
final class Batch {
  /**
   * A catalog entry of the batch.
   *
   * @param modelId the legacy model id ({@code meta/llama-3-8b:1.1+20240915})
   * @param name the name of the converted AIMModel / AIMClusterModel
   * @param namespace its namespace; empty for cluster models
   * @param source the document it comes from
   */
  record ModelEntry(String modelId, String name, String namespace, boolean cluster, LegacyDocument source) {
    String describe() {
      return source.kind + " " + (cluster ? name : namespace + "/" + name);
    }

    /** The legacy {@code defaultServiceTemplate} of the entry, or null. */
    String defaultServiceTemplate() {
      JsonNode value = source.node.path("spec").path("defaultServiceTemplate");
      return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
  }

  /**
   * How a model id resolved.
   *
   * @param entry the entry used, or null when the batch has none
   * @param alternatives other entries with the same id at the same precedence (an ambiguity); empty normally
   */
  record Resolution(ModelEntry entry, List<ModelEntry> alternatives) {}

  private final List<ModelEntry> models = new ArrayList<>();
  private final Map<String, List<LocalObjectReference>> pullSecretsByNamespace = new LinkedHashMap<>();
  private final Map<String, Set<String>> pullSecretCopies = new LinkedHashMap<>();
  private final Set<String> namespaceCopies = new HashSet<>();

  /** Indexes catalog entries and namespace configs; documents are not converted yet. */
  static Batch index(List<LegacyDocument> docs) {
    Batch batch = new Batch();
    for (LegacyDocument doc : docs) {
      boolean legacy = LegacyKind.isLegacyGroup(doc.group());
      boolean current = doc.group().equals(aim.orchestrator.model.Aim.GROUP);
      LegacyKind kind = LegacyKind.of(doc.kind);
      if ((legacy || current) && (kind == LegacyKind.CLUSTER_MODEL || kind == LegacyKind.MODEL) && !doc.name.isEmpty()) {
        String id = legacy ? legacyModelId(doc.node) : currentModelId(doc.node);
        if (id != null) {
          boolean cluster = kind == LegacyKind.CLUSTER_MODEL;
          batch.models.add(new ModelEntry(id, doc.name, cluster ? "" : doc.namespace, cluster, doc));
        }
      }
      if (legacy && kind == LegacyKind.NAMESPACE_CONFIG) {
        JsonNode secrets = doc.node.path("spec").path("images").path("imagePullSecrets");
        List<LocalObjectReference> list = secrets.isMissingNode() ? null : Values.pullSecrets(secrets);
        if (list != null && !list.isEmpty()) {
          batch.pullSecretsByNamespace.merge(doc.namespace, list, Values::mergePullSecrets);
        }
      }
    }
    return batch;
  }

  /** {@code spec.aim.name} (kaiwo.silogen.ai) or {@code spec.modelId} (aim.silogen.ai). */
  private static String legacyModelId(JsonNode node) {
    JsonNode spec = node.path("spec");
    JsonNode id = spec.path("aim").path("name").isTextual() ? spec.path("aim").path("name") : spec.path("modelId");
    return id.isTextual() && !id.asText().isEmpty() ? id.asText() : null;
  }

  /** An already converted model: its legacy-model-id annotation, else its image metadata's canonical name. */
  private static String currentModelId(JsonNode node) {
    JsonNode annotated = node.path("metadata").path("annotations").path(Converted.ANNOTATION_LEGACY_MODEL_ID);
    if (annotated.isTextual()) {
      return annotated.asText();
    }
    JsonNode canonical = node.path("spec").path("imageMetadata").path("model").path("canonicalName");
    return canonical.isTextual() ? canonical.asText() : null;
  }

  /**
   * The catalog entry of {@code modelId} for an object in {@code namespace}: a namespaced entry of that namespace
   * first, then a cluster entry (as the legacy operators looked models up). {@code namespace} null means a
   * cluster-scoped consumer, which can only use cluster entries.
   */
  Resolution resolve(String modelId, String namespace) {
    if (namespace != null) {
      List<ModelEntry> local = distinctNames(models.stream().filter(m -> !m.cluster() && m.namespace().equals(namespace) && m.modelId().equals(modelId)).toList());
      if (!local.isEmpty()) {
        return new Resolution(local.get(0), local.subList(1, local.size()));
      }
    }
    List<ModelEntry> cluster = distinctNames(models.stream().filter(m -> m.cluster() && m.modelId().equals(modelId)).toList());
    return cluster.isEmpty() ? new Resolution(null, List.of()) : new Resolution(cluster.get(0), cluster.subList(1, cluster.size()));
  }

  /** Model ids the batch knows, for messages. */
  List<String> knownModelIds() {
    return models.stream().map(m -> m.modelId() + " (" + m.describe() + ")").distinct().toList();
  }

  /** The same object given twice is one entry, not an ambiguity. */
  private static List<ModelEntry> distinctNames(List<ModelEntry> entries) {
    Map<String, ModelEntry> byName = new LinkedHashMap<>();
    entries.forEach(e -> byName.putIfAbsent(e.name(), e));
    return List.copyOf(byName.values());
  }

  /** The image pull secrets of the legacy AIMNamespaceConfig of {@code namespace}; empty if none. */
  List<LocalObjectReference> namespacePullSecrets(String namespace) {
    return pullSecretsByNamespace.getOrDefault(namespace, List.of());
  }

  /**
   * {@code own} plus the image pull secrets of the legacy AIMNamespaceConfig of {@code namespace}, which applied to
   * every AIM object of the namespace; the new API has no namespace-wide place for them. Records the copy for the
   * config's report.
   */
  List<LocalObjectReference> withNamespacePullSecrets(List<LocalObjectReference> own, String namespace, String object) {
    String ns = namespace == null ? "" : namespace;
    List<LocalObjectReference> extra = namespacePullSecrets(ns);
    if (extra.isEmpty()) {
      return own;
    }
    pullSecretsCopiedTo(ns, object);
    return Values.mergePullSecrets(own, extra);
  }

  /** Records that {@code object} (such as {@code AIMService llama3-svc}) received its namespace's pull secrets. */
  void pullSecretsCopiedTo(String namespace, String object) {
    pullSecretCopies.computeIfAbsent(namespace, n -> new LinkedHashSet<>()).add(object);
  }

  /** The objects of {@code namespace} that received its pull secrets, in order. */
  List<String> pullSecretCopies(String namespace) {
    return List.copyOf(pullSecretCopies.getOrDefault(namespace, Set.of()));
  }

  /** True the first time a namespace copy of model {@code name} is asked for in {@code namespace}. */
  boolean firstNamespaceCopy(String namespace, String name) {
    return namespaceCopies.add(namespace + "/" + name);
  }
}
