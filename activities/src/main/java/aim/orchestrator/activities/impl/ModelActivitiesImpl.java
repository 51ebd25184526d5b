package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activities.registry.ImageInspector;
import aim.orchestrator.activities.registry.PullSecrets;
import aim.orchestrator.activities.registry.RegistryException;
import aim.orchestrator.activities.registry.RegistrySettings;
import aim.orchestrator.activity.ModelActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSpec;
import aim.orchestrator.model.AIMModelStatus;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.ImageMetadata;
import aim.orchestrator.metadata.ImageLabels;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AIMModel and AIMClusterModel stages.
 *
 * <p>Image metadata comes from {@code spec.imageMetadata} when given, else from {@code status.imageMetadata} once
 * read, else from the image's labels in its registry, read with the model's image pull secrets (from the model's
 * namespace, or for cluster models from the operator namespace).
 */
public class ModelActivitiesImpl implements ModelActivities {
  private static final Logger log = LoggerFactory.getLogger(ModelActivitiesImpl.class);
  private static final String IMAGE_METADATA = "ImageMetadata";
  private static final String EXTRACTION_FAILED = "MetadataExtractionFailed";

  private final Kube kube;
  private final ImageInspector inspector;
  private final String operatorNamespace;

  /** Without registry access: models without inline metadata wait ({@code AwaitingMetadata}). */
  public ModelActivitiesImpl(Kube kube) {
    this(kube, null, RegistrySettings.DEFAULT_OPERATOR_NAMESPACE);
  }

  /**
   * @param inspector reads image labels from registries; null switches registry reads off
   * @param operatorNamespace where the pull secrets of AIMClusterModels live
   */
  public ModelActivitiesImpl(Kube kube, ImageInspector inspector, String operatorNamespace) {
    this.kube = kube;
    this.inspector = inspector;
    this.operatorNamespace = operatorNamespace;
  }

  @Override
  public StageResult imageMetadata(ResourceRef ref) {
    return Kube.stage(
        IMAGE_METADATA,
        DependencyType.UPSTREAM,
        () -> {
          HasMetadata model = kube.current(ref, HasMetadata.class);
          AIMModelSpec spec = spec(model);
          AIMModelStatus status = status(model);
          boolean custom = spec.modelSources != null && !spec.modelSources.isEmpty();
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("sourceType", custom ? AIMModelStatus.SourceType.Custom : AIMModelStatus.SourceType.Image);
          boolean extract = spec.discovery == null || spec.discovery.extractMetadata == null || spec.discovery.extractMetadata;
          if (custom || !extract) {
            return new StageResult(List.of(), fields, null, null);
          }
          var metadata = spec.imageMetadata != null ? spec.imageMetadata : status == null ? null : status.imageMetadata;
          if (metadata == null) {
            if (inspector == null) {
              return new StageResult(
                  List.of(
                      ComponentHealth.of(
                          IMAGE_METADATA,
                          AIMStatus.Progressing,
                          "AwaitingMetadata",
                          "Registry reads are switched off in this worker; set spec.imageMetadata or discovery.extractMetadata: false",
                          DependencyType.UPSTREAM)),
                  fields,
                  null,
                  null);
            }
            String secretNamespace = model instanceof AIMClusterModel ? operatorNamespace : model.getMetadata().getNamespace();
            RegistryRead read = fromRegistry(ref, spec, secretNamespace);
            if (read.failure() != null) {
              return new StageResult(List.of(read.failure()), fields, null, null);
            }
            metadata = read.metadata();
          }
          fields.put("imageMetadata", metadata);
          boolean canonical = metadata.model != null && metadata.model.canonicalName != null;
          return new StageResult(
              List.of(
                  ComponentHealth.ready(
                      IMAGE_METADATA,
                      canonical ? "ImageMetadataFound" : "ImageFound",
                      canonical ? "Model " + metadata.model.canonicalName : "Image " + spec.image,
                      DependencyType.UPSTREAM)),
              fields,
              null,
              null);
        });
  }

  /** Metadata read from the registry, or the health that says why it could not be. */
  private record RegistryRead(ImageMetadata metadata, ComponentHealth failure) {
    static RegistryRead failed(ErrorCategory category, String reason, String message) {
      return new RegistryRead(null, ComponentHealth.error(IMAGE_METADATA, category, reason, message, DependencyType.UPSTREAM));
    }
  }

  /**
   * Reads and parses the image's labels. Every referenced pull secret must exist first (the reference's
   * {@code SecretNotFound}, a missing upstream dependency that fails the model).
   */
  private RegistryRead fromRegistry(ResourceRef ref, AIMModelSpec spec, String secretNamespace) {
    PullSecrets.Lookup secrets = PullSecrets.read(kube.client(), secretNamespace, spec.imagePullSecrets);
    if (!secrets.missing().isEmpty()) {
      return RegistryRead.failed(
          ErrorCategory.MISSING_UPSTREAM,
          "SecretNotFound",
          "image pull secret " + String.join(", ", secrets.missing()) + " not found in namespace " + secretNamespace);
    }
    try {
      Map<String, String> labels = inspector.labels(spec.image, secrets.keychain());
      ImageMetadata metadata = ImageLabels.parse(labels);
      log.info("{}: read {} labels of {}", ref, labels.size(), spec.image);
      return new RegistryRead(metadata, null);
    } catch (RegistryException e) {
      log.info("{}: cannot read the labels of {}: {}", ref, spec.image, e.getMessage());
      return RegistryRead.failed(e.reason().category(), EXTRACTION_FAILED, e.getMessage());
    } catch (IllegalArgumentException e) {
      // Unreadable labels (InvalidImageLabelsException) or an unreadable pull secret: the inputs are wrong.
      return RegistryRead.failed(ErrorCategory.INVALID_SPEC, EXTRACTION_FAILED, e.getMessage());
    }
  }

  @Override
  public StageResult templates(ResourceRef ref) {
    boolean cluster = "AIMClusterModel".equals(ref.kind());
    String component = cluster ? "ClusterServiceTemplates" : "ServiceTemplates";
    return Kube.stage(
        component,
        DependencyType.DOWNSTREAM,
        () -> {
          HasMetadata model = kube.current(ref, HasMetadata.class);
          AIMModelSpec spec = spec(model);
          ImageMetadata metadata = metadataOf(spec, status(model));
          String rejectedNote = "";
          boolean create = spec.discovery == null || !Boolean.FALSE.equals(spec.discovery.createServiceTemplates);
          if (spec.modelSources != null && !spec.modelSources.isEmpty()) {
            for (HasMetadata t : customTemplates(model, spec)) {
              kube.apply(t);
            }
          } else if (create) {
            AutoTemplates.Plan plan = AutoTemplates.fromRecommendedDeployments(model, spec, metadata);
            for (HasMetadata t : plan.templates()) {
              kube.apply(t);
            }
            if (spec.customTemplates != null && !spec.customTemplates.isEmpty()) {
              for (HasMetadata t : customTemplates(model, spec)) {
                kube.apply(t);
              }
            }
            if (!plan.rejected().isEmpty()) {
              rejectedNote =
                  "; skipped recommended deployments: "
                      + plan.rejected().stream().map(r -> "#" + r.index() + " (" + r.reason() + ")").toList();
            }
          }
          List<ResourceStatusValue> statuses =
              cluster
                  ? kube.aim(AIMClusterServiceTemplate.class).list().getItems().stream()
                      .filter(t -> ref.name().equals(t.getSpec().modelName))
                      .map(t -> t.getStatus() == null ? null : t.getStatus().status)
                      .toList()
                  : kube.aim(AIMServiceTemplate.class).inNamespace(ref.namespace()).list().getItems().stream()
                      .filter(t -> ref.name().equals(t.getSpec().modelName))
                      .map(t -> t.getStatus() == null ? null : t.getStatus().status)
                      .toList();
          ComponentHealth health = aggregate(component, statuses, expectsTemplates(spec, metadata));
          if (!rejectedNote.isEmpty()) {
            health = new ComponentHealth(
                health.component(), health.state(), health.reason(), health.message() + rejectedNote,
                health.error(), health.dependency());
          }
          return StageResult.of(health);
        });
  }

  /**
   * The templates of a custom model (spec §3.3): one per {@code customTemplates} entry, or one
   * {@code <model>-custom-<hash>} when there are none; inline model sources (no discovery), hardware from
   * {@code custom.hardware} overlaid by the entry's, env = model env ⊕ entry env, type default unoptimized; owned by
   * the model, so they go with it.
   */
  static List<HasMetadata> customTemplates(HasMetadata model, AIMModelSpec spec) {
    List<AIMModelSpec.CustomTemplate> entries =
        spec.customTemplates == null || spec.customTemplates.isEmpty()
            ? List.of(new AIMModelSpec.CustomTemplate())
            : spec.customTemplates;
    boolean cluster = model instanceof AIMClusterModel;
    List<HasMetadata> out = new java.util.ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      AIMModelSpec.CustomTemplate e = entries.get(i);
      var hw = aim.orchestrator.hardware.Hardware.merge(spec.custom == null ? null : spec.custom.hardware, e.hardware);
      String precision = e.profile == null || e.profile.precision == null ? null : e.profile.precision.name();
      String metric = e.profile == null || e.profile.metric == null ? null : e.profile.metric.name();
      Integer gpuRequests = hw == null || hw.gpu == null ? null : hw.gpu.requests;
      String gpuModel = hw == null || hw.gpu == null ? null : hw.gpu.model;
      String name = aim.orchestrator.naming.DerivedNames.customTemplate(model.getMetadata().getName(), i, e.name, precision, metric, gpuRequests, gpuModel);
      aim.orchestrator.model.AIMServiceTemplateSpecCommon ts =
          cluster ? new aim.orchestrator.model.AIMClusterServiceTemplateSpec() : new aim.orchestrator.model.AIMServiceTemplateSpec();
      ts.modelName = model.getMetadata().getName();
      ts.hardware = hw;
      ts.metric = e.profile == null ? null : e.profile.metric;
      ts.precision = e.profile == null ? null : e.profile.precision;
      ts.type =
          e.type != null ? e.type : spec.custom != null && spec.custom.type != null ? spec.custom.type : aim.orchestrator.model.AIMProfileType.unoptimized;
      ts.modelSources = spec.modelSources;
      ts.env = aim.orchestrator.config.RuntimeConfigMerge.mergeEnv(spec.env, e.env);
      ts.runtimeConfigName = spec.runtimeConfigName;
      ts.imagePullSecrets = spec.imagePullSecrets;
      ts.serviceAccountName = spec.serviceAccountName;
      if (hw != null && hw.cpu != null) {
        ts.resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
            .addToRequests("cpu", hw.cpu.requests)
            .addToLimits(hw.cpu.limits == null ? java.util.Map.of() : java.util.Map.of("cpu", hw.cpu.limits))
            .build();
      }
      HasMetadata t;
      if (cluster) {
        var ct = new AIMClusterServiceTemplate();
        ct.setSpec((aim.orchestrator.model.AIMClusterServiceTemplateSpec) ts);
        t = ct;
      } else {
        var nt = new AIMServiceTemplate();
        nt.setSpec((aim.orchestrator.model.AIMServiceTemplateSpec) ts);
        nt.getMetadata().setNamespace(model.getMetadata().getNamespace());
        t = nt;
      }
      t.getMetadata().setName(name);
      java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
      labels.put(aim.orchestrator.model.Aim.LABEL_MODEL, model.getMetadata().getName());
      labels.put(aim.orchestrator.model.Aim.LABEL_ORIGIN, "auto-generated");
      if (e.name != null && !e.name.isEmpty()) {
        labels.put(aim.orchestrator.model.Aim.LABEL_PREFIX + "template.alias", e.name);
      }
      t.getMetadata().setLabels(labels);
      t.getMetadata().setOwnerReferences(List.of(aim.orchestrator.render.Owners.controller(model)));
      out.add(t);
    }
    return out;
  }

  /** True, false, or null (unknown until metadata is read). */
  static Boolean expectsTemplates(AIMModelSpec spec, ImageMetadata metadata) {
    if (spec.discovery != null && Boolean.FALSE.equals(spec.discovery.createServiceTemplates)) {
      return false;
    }
    if (spec.modelSources != null && !spec.modelSources.isEmpty()) {
      return true;
    }
    if (metadata == null) {
      return spec.customTemplates != null && !spec.customTemplates.isEmpty() ? Boolean.TRUE : null;
    }
    boolean recommended =
        metadata.model != null
            && metadata.model.recommendedDeployments != null
            && !metadata.model.recommendedDeployments.isEmpty();
    return recommended || (spec.customTemplates != null && !spec.customTemplates.isEmpty());
  }

  /** The reference's aggregation of template statuses into the model's health (spec §3.3). */
  static ComponentHealth aggregate(String component, List<ResourceStatusValue> statuses, Boolean expected) {
    DependencyType d = DependencyType.DOWNSTREAM;
    if (statuses.isEmpty()) {
      if (expected == null) {
        return ComponentHealth.of(component, AIMStatus.Progressing, "AwaitingMetadata", "Waiting for image metadata", d);
      }
      return expected
          ? ComponentHealth.of(component, AIMStatus.Progressing, "CreatingTemplates", "Waiting for templates", d)
          : ComponentHealth.ready(component, "NoTemplatesExpected", "No templates expected", d);
    }
    long ready = statuses.stream().filter(s -> s == ResourceStatusValue.Ready).count();
    long bad = statuses.stream().filter(s -> s == ResourceStatusValue.Failed || s == ResourceStatusValue.Degraded).count();
    long notAvailable = statuses.stream().filter(s -> s == ResourceStatusValue.NotAvailable).count();
    int n = statuses.size();
    String counts = ready + "/" + n + " templates ready";
    if (ready == n) {
      return ComponentHealth.ready(component, "AllTemplatesReady", counts, d);
    }
    if (bad == n) {
      return ComponentHealth.of(component, AIMStatus.Failed, "AllTemplatesFailed", counts, d);
    }
    if (notAvailable == n) {
      return ComponentHealth.of(component, AIMStatus.NotAvailable, "NoTemplatesAvailable", counts, d);
    }
    if (bad > 0) {
      return ComponentHealth.of(component, AIMStatus.Degraded, "SomeTemplatesDegraded", counts, d);
    }
    if (ready + notAvailable < n) {
      return ComponentHealth.of(component, AIMStatus.Progressing, "TemplatesProgressing", counts, d);
    }
    return ComponentHealth.ready(component, "SomeTemplatesReady", counts, d);
  }

  /** The image metadata in use: the spec's (air-gapped) else what an earlier pass read from the registry. */
  static ImageMetadata metadataOf(AIMModelSpec spec, AIMModelStatus status) {
    if (spec.imageMetadata != null) {
      return spec.imageMetadata;
    }
    return status == null ? null : status.imageMetadata;
  }

  private static AIMModelSpec spec(HasMetadata m) {
    return m instanceof AIMModel am ? am.getSpec() : ((AIMClusterModel) m).getSpec();
  }

  private static AIMModelStatus status(HasMetadata m) {
    return m instanceof AIMModel am ? am.getStatus() : ((AIMClusterModel) m).getStatus();
  }
}
