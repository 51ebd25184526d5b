package aim.orchestrator.modelsource;

import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterModelSource;
import aim.orchestrator.model.AIMModelSpec;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.Aim;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.DependencyType;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decisions of one model-source sync (spec §2.8, §3.13): which images become new AIMClusterModels, the counts
 * and the health the status shows. Append-only: models that exist are never changed or removed, even when their
 * image is gone from the registry.
 *
 * @param newImages images to create models for, at most {@code maxModels} minus the models that exist
 * @param available distinct images the filters kept ({@code status.availableModels})
 * @param discovered models that exist plus the new ones ({@code status.discoveredModels})
 * @param limitReached more images are available than models exist ({@code status.modelsLimitReached})
 * @param components {@code ExistingModels} and {@code Filters} health
 * @param limitCondition the {@code MaxModelsLimitReached} condition
 */
public record SyncPlan(
    List<RegistryImage> newImages,
    int available,
    int discovered,
    boolean limitReached,
    List<ComponentHealth> components,
    ConditionSpec limitCondition) {

  public static final String LABEL_MODEL_SOURCE = Aim.LABEL_PREFIX + "model-source";
  public static final String ANNOTATION_SOURCE_REGISTRY = Aim.LABEL_PREFIX + "source-registry";
  public static final String ANNOTATION_SOURCE_REPOSITORY = Aim.LABEL_PREFIX + "source-repository";
  public static final String ANNOTATION_SOURCE_TAG = Aim.LABEL_PREFIX + "source-tag";
  public static final int DEFAULT_MAX_MODELS = 100;
  private static final int MODEL_NAME_HASH_LENGTH = 6;

  /**
   * Plans a sync.
   *
   * @param existingImages {@code spec.image} of every AIMClusterModel that carries this source's label
   * @param outcomes what each filter found, in filter order
   * @param maxModels the source's {@code maxModels}
   */
  public static SyncPlan plan(Collection<String> existingImages, List<FilterOutcome> outcomes, int maxModels) {
    Set<String> existing = new LinkedHashSet<>(existingImages);
    Map<String, RegistryImage> available = new LinkedHashMap<>();
    for (FilterOutcome outcome : outcomes) {
      for (RegistryImage image : outcome.images()) {
        available.putIfAbsent(image.uri(), image);
      }
    }
    List<RegistryImage> newImages = new ArrayList<>();
    for (var e : available.entrySet()) {
      if (!existing.contains(e.getKey()) && existing.size() + newImages.size() < maxModels) {
        newImages.add(e.getValue());
      }
    }
    int discovered = existing.size() + newImages.size();
    boolean limitReached = available.size() > discovered;
    ConditionSpec limit =
        limitReached
            ? ConditionSpec.isTrue(
                "MaxModelsLimitReached", "LimitReached", "Limit reached: " + discovered + " created, " + available.size() + " available")
            : ConditionSpec.isFalse("MaxModelsLimitReached", "WithinLimit", "Created " + discovered + " models, within limit");
    List<ComponentHealth> components =
        List.of(
            ComponentHealth.ready(
                "ExistingModels", "Listed", "Found " + existing.size() + " existing models", DependencyType.DOWNSTREAM),
            filters(outcomes));
    return new SyncPlan(List.copyOf(newImages), available.size(), discovered, limitReached, components, limit);
  }

  /** The {@code Filters} component: all, some or none of the filters could list their images. */
  static ComponentHealth filters(List<FilterOutcome> outcomes) {
    DependencyType d = DependencyType.UPSTREAM;
    if (outcomes.isEmpty()) {
      return ComponentHealth.of("Filters", AIMStatus.Progressing, "NoFilters", "No filters configured", d);
    }
    List<String> errors = outcomes.stream().filter(FilterOutcome::failed).map(o -> o.filter() + ": " + o.error()).toList();
    int total = outcomes.size();
    if (errors.isEmpty()) {
      return ComponentHealth.ready("Filters", "AllFiltersSucceeded", "All " + total + " filters succeeded", d);
    }
    String detail = String.join("; ", errors);
    if (errors.size() < total) {
      return ComponentHealth.of(
          "Filters", AIMStatus.Degraded, "SomeFiltersFailed", errors.size() + " of " + total + " filters had errors: " + detail, d);
    }
    return ComponentHealth.of("Filters", AIMStatus.Failed, "AllFiltersFailed", "All " + total + " filters failed: " + detail, d);
  }

  /**
   * The name of the model created for an image: derived name {@code [repository, tag]} with a six-character hash of
   * {@code (registry, repository, tag)}.
   */
  public static String modelName(RegistryImage image) {
    return DerivedNames.derive(
        List.of(image.repository(), image.tag()),
        List.of(image.registry(), image.repository(), image.tag()),
        MODEL_NAME_HASH_LENGTH,
        DerivedNames.MAX_NAME_LENGTH);
  }

  /**
   * The AIMClusterModel for an image: source label and {@code origin=auto-generated}, the source-registry,
   * -repository and -tag annotations, spec {@code {image, imagePullSecrets}}, and an owner reference to the source
   * (not a controller reference, and not blocking its deletion) so Kubernetes removes the models with the source.
   */
  public static AIMClusterModel clusterModel(AIMClusterModelSource source, RegistryImage image) {
    AIMClusterModel model = new AIMClusterModel();
    model.getMetadata().setName(modelName(image));
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_MODEL_SOURCE, source.getMetadata().getName());
    labels.put(Aim.LABEL_ORIGIN, "auto-generated");
    model.getMetadata().setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ANNOTATION_SOURCE_REGISTRY, image.registry());
    annotations.put(ANNOTATION_SOURCE_REPOSITORY, image.repository());
    annotations.put(ANNOTATION_SOURCE_TAG, image.tag());
    model.getMetadata().setAnnotations(annotations);
    model.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(source.getApiVersion())
                    .withKind(source.getKind())
                    .withName(source.getMetadata().getName())
                    .withUid(source.getMetadata().getUid())
                    .withBlockOwnerDeletion(false)
                    .build()));
    AIMModelSpec spec = new AIMModelSpec();
    spec.image = image.uri();
    spec.imagePullSecrets = source.getSpec().imagePullSecrets;
    model.setSpec(spec);
    return model;
  }
}
