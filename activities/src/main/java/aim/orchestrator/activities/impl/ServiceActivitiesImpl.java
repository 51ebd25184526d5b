package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activities.kube.RuntimeConfigs;
import aim.orchestrator.activity.ServiceActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.config.RuntimeConfigMerge;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSpec;
import aim.orchestrator.model.AIMModelStatus;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec.AIMCachingMode;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.status.CacheReasons;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.render.HttpRouteRenderer;
import aim.orchestrator.render.InferenceServiceRenderer;
import aim.orchestrator.render.Owners;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ErrorTypes;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The AIMService stages against the Kubernetes API. */
public class ServiceActivitiesImpl implements ServiceActivities {
  private static final Logger log = LoggerFactory.getLogger(ServiceActivitiesImpl.class);

  private final Kube kube;
  private final RuntimeConfigs runtimeConfigs;
  private final TemplateResolver templates;

  public ServiceActivitiesImpl(Kube kube) {
    this.kube = kube;
    this.runtimeConfigs = new RuntimeConfigs(kube);
    this.templates = new TemplateResolver(kube);
  }

  // ---- model -------------------------------------------------------------------------------------------------

  @Override
  public StageResult resolveModel(ResourceRef ref) {
    return Kube.stage(
        "Model",
        DependencyType.UPSTREAM,
        () -> {
          AIMService svc = kube.current(ref, AIMService.class);
          var model = svc.getSpec().model;
          String ns = ref.namespace();
          // Sticky: keep the resolved model while it exists and stays Ready.
          AIMResolvedReference previous = svc.getStatus() == null ? null : svc.getStatus().resolvedModel;
          if (previous != null) {
            HasMetadata m =
                previous.scope == AIMScope.Cluster
                    ? kube.aim(AIMClusterModel.class).withName(previous.name).get()
                    : kube.aim(AIMModel.class).inNamespace(ns).withName(previous.name).get();
            if (m != null && isReady(m)) {
              return modelHealth(m, previous.scope);
            }
          }
          if (model.name != null) {
            AIMModel m = kube.aim(AIMModel.class).inNamespace(ns).withName(model.name).get();
            if (m != null) {
              return modelHealth(m, AIMScope.Namespace);
            }
            AIMClusterModel cm = kube.aim(AIMClusterModel.class).withName(model.name).get();
            if (cm != null) {
              return modelHealth(cm, AIMScope.Cluster);
            }
            return StageResult.of(
                ComponentHealth.error(
                    "Model",
                    ErrorCategory.MISSING_UPSTREAM,
                    "ModelNotFound",
                    "AIMModel or AIMClusterModel \"" + model.name + "\" not found",
                    DependencyType.UPSTREAM));
          }
          if (model.image != null) {
            return modelForImage(svc, model.image.trim());
          }
          return customModel(svc);
        });
  }

  /**
   * {@code model.custom}: an identical custom model in the namespace (same base image, same sources in the same
   * order, same S3 endpoint) is shared; else one is created, without owner, so identical services share it.
   */
  private StageResult customModel(AIMService svc) {
    var custom = svc.getSpec().model.custom;
    String ns = svc.getMetadata().getNamespace();
    for (AIMModel m : kube.aim(AIMModel.class).inNamespace(ns).list().getItems()) {
      if (custom.baseImage.equals(m.getSpec().image) && sameSources(m.getSpec().modelSources, custom.modelSources)) {
        return modelHealth(m, AIMScope.Namespace);
      }
    }
    String name = DerivedNames.customModel(custom.baseImage, custom.modelSources);
    AIMModel created = new AIMModel();
    created.getMetadata().setName(name);
    created.getMetadata().setNamespace(ns);
    created.getMetadata().setLabels(
        Map.of(Aim.LABEL_ORIGIN, "auto-generated", Aim.LABEL_PREFIX + "custom-model", "true", Aim.LABEL_SERVICE, svc.getMetadata().getName()));
    AIMModelSpec spec = new AIMModelSpec();
    spec.image = custom.baseImage;
    spec.modelSources = custom.modelSources;
    spec.custom = new AIMModelSpec.Custom();
    spec.custom.hardware = custom.hardware;
    spec.runtimeConfigName = svc.getSpec().runtimeConfigName;
    spec.imagePullSecrets = svc.getSpec().imagePullSecrets;
    spec.serviceAccountName = svc.getSpec().serviceAccountName;
    spec.env = svc.getSpec().env;
    created.setSpec(spec);
    kube.apply(created);
    log.info("created custom AIMModel {}/{} for service {}", ns, name, svc.getMetadata().getName());
    return StageResult.of(
        ComponentHealth.of("Model", AIMStatus.Pending, "CreatingModel", "Created custom AIMModel " + name, DependencyType.DOWNSTREAM));
  }

  private static boolean sameSources(List<aim.orchestrator.model.AIMModelSource> a, List<aim.orchestrator.model.AIMModelSource> b) {
    if (a == null || b == null || a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      var x = a.get(i);
      var y = b.get(i);
      if (!java.util.Objects.equals(x.modelId, y.modelId)
          || !java.util.Objects.equals(x.sourceUri, y.sourceUri)
          || !java.util.Objects.equals(DerivedNames.endpointOf(x), DerivedNames.endpointOf(y))) {
        return false;
      }
    }
    return true;
  }

  private StageResult modelForImage(AIMService svc, String image) {
    List<HasMetadata> matches = new ArrayList<>();
    kube.aim(AIMModel.class).inNamespace(svc.getMetadata().getNamespace()).list().getItems().stream()
        .filter(m -> image.equals(m.getSpec().image))
        .forEach(matches::add);
    kube.aim(AIMClusterModel.class).list().getItems().stream()
        .filter(m -> image.equals(m.getSpec().image))
        .forEach(matches::add);
    if (matches.size() > 1) {
      // The reference treats this as an uncategorised (infrastructure) error: Degraded, retried.
      return StageResult.of(
          ComponentHealth.error(
              "Model",
              ErrorCategory.INFRASTRUCTURE,
              "MultipleModelsFound",
              "multiple models found with the same image " + image,
              DependencyType.UPSTREAM));
    }
    if (matches.size() == 1) {
      HasMetadata m = matches.get(0);
      return m instanceof AIMModel am ? modelHealth(am, AIMScope.Namespace) : modelHealth((AIMClusterModel) m, AIMScope.Cluster);
    }
    String name;
    try {
      name = DerivedNames.modelForImage(image);
    } catch (IllegalArgumentException e) {
      return StageResult.of(
          ComponentHealth.error("Model", ErrorCategory.INVALID_SPEC, "InvalidImageReference", e.getMessage(), DependencyType.UPSTREAM));
    }
    AIMModel created = new AIMModel();
    created.getMetadata().setName(name);
    created.getMetadata().setNamespace(svc.getMetadata().getNamespace());
    created.getMetadata().setLabels(Map.of(Aim.LABEL_ORIGIN, "auto-generated"));
    AIMModelSpec spec = new AIMModelSpec();
    spec.image = image;
    spec.runtimeConfigName = svc.getSpec().runtimeConfigName;
    spec.imagePullSecrets = svc.getSpec().imagePullSecrets;
    spec.serviceAccountName = svc.getSpec().serviceAccountName;
    created.setSpec(spec);
    kube.apply(created);
    log.info("created AIMModel {}/{} for image {}", svc.getMetadata().getNamespace(), name, image);
    return StageResult.of(
        ComponentHealth.of("Model", AIMStatus.Pending, "CreatingModel", "Created AIMModel " + name, DependencyType.DOWNSTREAM));
  }

  private static boolean isReady(HasMetadata model) {
    AIMModelStatus status = model instanceof AIMModel m ? m.getStatus() : ((AIMClusterModel) model).getStatus();
    return status != null && status.status == ResourceStatusValue.Ready;
  }

  private StageResult modelHealth(HasMetadata model, AIMScope scope) {
    AIMModelStatus status = model instanceof AIMModel m ? m.getStatus() : ((AIMClusterModel) model).getStatus();
    AIMStatus state = Health.of(status == null ? null : status.status);
    AIMResolvedReference ref = reference(model, scope);
    String name = model.getKind() + " " + model.getMetadata().getName();
    return switch (state) {
      case Ready -> new StageResult(
          List.of(ComponentHealth.ready("Model", "ModelResolved", name + " is ready", DependencyType.UPSTREAM)),
          Map.of("resolvedModel", ref),
          ref,
          null);
      case Failed, Degraded -> new StageResult(
          List.of(ComponentHealth.of("Model", AIMStatus.Failed, "ModelNotReady", name + " is " + state, DependencyType.UPSTREAM)),
          Map.of(),
          ref,
          null);
      // A model is NotAvailable only because none of its templates' GPUs is in the cluster: the model itself is
      // usable, and the template stage names the precise reason (TemplateNotAvailable) instead of stopping here.
      case NotAvailable -> new StageResult(
          List.of(
              ComponentHealth.ready(
                  "Model", "ModelResolved", name + " is resolved (NotAvailable: the cluster lacks its templates' GPUs)", DependencyType.UPSTREAM)),
          Map.of("resolvedModel", ref),
          ref,
          null);
      default -> new StageResult(
          List.of(ComponentHealth.of("Model", AIMStatus.Progressing, "ModelNotReady", name + " is " + state, DependencyType.UPSTREAM)),
          Map.of(),
          ref,
          null);
    };
  }

  // ---- template ----------------------------------------------------------------------------------------------

  @Override
  public StageResult resolveTemplate(ResourceRef ref, AIMResolvedReference model) {
    return Kube.stage(
        "Template", DependencyType.UPSTREAM, () -> templates.resolve(kube.current(ref, AIMService.class), model));
  }

  private static AIMServiceTemplateStatus statusOf(HasMetadata t) {
    return t instanceof AIMServiceTemplate nt ? nt.getStatus() : ((AIMClusterServiceTemplate) t).getStatus();
  }

  private static AIMServiceTemplateSpecCommon specOf(HasMetadata t) {
    return t instanceof AIMServiceTemplate nt ? nt.getSpec() : ((AIMClusterServiceTemplate) t).getSpec();
  }

  // ---- cache -------------------------------------------------------------------------------------------------

  @Override
  public StageResult ensureTemplateCache(ResourceRef ref, AIMResolvedReference template) {
    return Kube.stage(
        "Cache",
        DependencyType.DOWNSTREAM,
        () -> {
          AIMService svc = kube.current(ref, AIMService.class);
          String ns = ref.namespace();
          AIMCachingMode mode =
              svc.getSpec().caching == null || svc.getSpec().caching.mode == null
                  ? AIMCachingMode.Shared
                  : svc.getSpec().caching.mode.effective();
          AIMTemplateCache cache;
          String name;
          if (mode == AIMCachingMode.Dedicated) {
            name = DerivedNames.dedicatedTemplateCache(template.name, svc.getMetadata().getName(), svc.getMetadata().getUid());
            cache = kube.aim(AIMTemplateCache.class).inNamespace(ns).withName(name).get();
            if (cache != null && (!Owners.ownedBy(cache, svc.getMetadata().getUid()) || isDeleting(cache))) {
              cache = null;
            }
          } else {
            name = DerivedNames.sharedTemplateCache(template.name, ns);
            List<AIMTemplateCache> shared =
                kube.aim(AIMTemplateCache.class).inNamespace(ns).list().getItems().stream()
                    .filter(c -> template.name.equals(c.getSpec().templateName))
                    .filter(c -> c.getSpec().mode == null || c.getSpec().mode == AIMTemplateCacheSpec.Mode.Shared)
                    .toList();
            // A cache being deleted is lost already: its finalizer runs and then it is gone.
            cache =
                shared.stream()
                    .filter(c -> !isDeleting(c))
                    .max(Comparator.comparingInt(c -> cacheStatus(c).priority()))
                    .orElse(null);
          }
          LostCache lost = lostCache(svc, template, cache, mode);
          if (cache == null) {
            AIMTemplateCache blocking = kube.aim(AIMTemplateCache.class).inNamespace(ns).withName(name).get();
            if (blocking != null && isDeleting(blocking)) {
              // The name is still taken by the cache being deleted; it is re-created once the deletion completes.
              String why = "AIMTemplateCache " + name + " is being deleted; a new one is created once it is gone";
              return lost != null
                  ? StageResult.of(lost.health(why))
                  : StageResult.of(ComponentHealth.of("Cache", AIMStatus.Progressing, "CacheCreating", why, DependencyType.DOWNSTREAM));
            }
            HasMetadata t = templateObject(template);
            AIMServiceTemplateStatus ts = t == null ? null : statusOf(t);
            if (ts == null || ts.status != ResourceStatusValue.Ready || ts.modelSources == null || ts.modelSources.isEmpty()) {
              String why = "Template " + template.name + " has no model sources yet";
              return StageResult.of(
                  lost != null
                      ? lost.health(why)
                      : ComponentHealth.of("Cache", AIMStatus.Progressing, "CacheCreating", why, DependencyType.DOWNSTREAM));
            }
            cache = newCache(svc, name, mode, template, specOf(t));
            kube.apply(cache);
            log.info("created AIMTemplateCache {}/{} ({}{})", ns, name, mode, lost != null ? ", replacing a lost cache" : "");
            String why = "Created AIMTemplateCache " + name;
            return new StageResult(
                List.of(
                    lost != null
                        ? lost.health(why + "; it downloads what is missing")
                        : ComponentHealth.of("Cache", AIMStatus.Progressing, "CacheCreating", why, DependencyType.DOWNSTREAM)),
                Map.of(),
                null,
                null);
          }
          String cname = "AIMTemplateCache " + cache.getMetadata().getName();
          ComponentHealth surfaced = surfacedCacheProblem(cache, cname);
          if (lost != null && cacheStatus(cache) != AIMStatus.Ready) {
            // Rebuilding: the service keeps its old reference (status.cache) until the new cache is Ready, so the
            // loss stays visible. A storage or download failure of the rebuild shows under its own reason, Degraded
            // rather than Failed: the InferenceService still serves (and a Failed service would be compensated).
            if (surfaced != null && surfaced.state() == AIMStatus.Failed) {
              return StageResult.of(
                  ComponentHealth.of("Cache", AIMStatus.Degraded, surfaced.reason(), lost.health("rebuilding failed: " + surfaced.message()).message(), DependencyType.DOWNSTREAM));
            }
            String progress = surfaced != null ? surfaced.message() : cname + " is " + cacheStatus(cache);
            return StageResult.of(lost.health("rebuilding in " + progress));
          }
          AIMResolvedReference cref = reference(cache, AIMScope.Namespace);
          Map<String, Object> fields = new LinkedHashMap<>();
          AIMServiceStatus.Cache c = new AIMServiceStatus.Cache();
          c.templateCacheRef = cref;
          fields.put("cache", c);
          ComponentHealth health =
              surfaced != null
                  ? surfaced
                  : switch (cacheStatus(cache)) {
                    case Ready -> ComponentHealth.ready("Cache", "CacheReady", cname + " is ready", DependencyType.DOWNSTREAM);
                    case Progressing -> ComponentHealth.of("Cache", AIMStatus.Progressing, "CacheNotReady", cname + " is downloading", DependencyType.DOWNSTREAM);
                    case Failed -> ComponentHealth.of("Cache", AIMStatus.Failed, "CacheFailed", cname + " failed", DependencyType.DOWNSTREAM);
                    default -> ComponentHealth.of("Cache", AIMStatus.Progressing, "CacheCreating", cname + " is " + cacheStatus(cache), DependencyType.DOWNSTREAM);
                  };
          return new StageResult(List.of(health), fields, cref, null);
        });
  }

  /**
   * A template cache the running service used and that is gone: deleted, being deleted, or replaced by a new cache
   * that is not Ready yet.
   *
   * @param name the lost cache's name
   * @param mode the service's caching mode
   */
  record LostCache(String name, AIMCachingMode mode) {
    /**
     * Degraded, never Failed: the InferenceService keeps serving from the volumes it mounts. A Shared cache says
     * {@code CacheLost}; a Dedicated one (owned by the service, re-created under the same name) {@code CacheCreating},
     * as the reference does.
     */
    ComponentHealth health(String detail) {
      String reason = mode == AIMCachingMode.Dedicated ? "CacheCreating" : "CacheLost";
      String what = (mode == AIMCachingMode.Dedicated ? "Dedicated " : "Shared ") + "AIMTemplateCache " + name;
      return ComponentHealth.of(
          "Cache",
          AIMStatus.Degraded,
          reason,
          what + " was lost; the InferenceService keeps serving from its volumes while the cache is rebuilt: " + detail,
          DependencyType.DOWNSTREAM);
    }
  }

  /**
   * Whether the cache this service serves from was lost. The service serves from a cache once its InferenceService
   * exists (it is created only after the cache is Ready) for this template; {@code status.cache.templateCacheRef}
   * names that cache, with its UID. It is lost when no usable cache of the template is there, or the one there is
   * another object (a new UID) that is not Ready yet. Null when nothing was lost.
   */
  private LostCache lostCache(AIMService svc, AIMResolvedReference template, AIMTemplateCache current, AIMCachingMode mode) {
    AIMServiceStatus status = svc.getStatus();
    AIMResolvedReference used = status == null || status.cache == null ? null : status.cache.templateCacheRef;
    if (used == null || used.name == null) {
      return null;
    }
    if (current != null && (cacheStatus(current) == AIMStatus.Ready || java.util.Objects.equals(current.getMetadata().getUid(), used.uid))) {
      return null;
    }
    GenericKubernetesResource isvc;
    try {
      isvc = kube.inferenceService(svc.getMetadata().getNamespace(), DerivedNames.inferenceService(svc.getMetadata().getName(), svc.getMetadata().getNamespace())).get();
    } catch (IllegalArgumentException e) {
      return null; // a name that cannot have an InferenceService
    }
    if (isvc == null || !Owners.ownedBy(isvc, svc.getMetadata().getUid())) {
      return null;
    }
    var labels = isvc.getMetadata().getLabels();
    if (labels == null || !template.name.equals(labels.get(Aim.LABEL_TEMPLATE))) {
      return null; // the runtime serves another template: this is a template change, not a loss
    }
    return new LostCache(used.name, mode);
  }

  private static boolean isDeleting(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null;
  }

  /**
   * A cache that is not Ready because of a storage or download problem of one of its artifacts shows that reason
   * ({@code StorageClassMissing}, {@code SourceNotFound}, …) on the service, with the artifact's message; null when
   * the cache is Ready or its reason is not one of {@link CacheReasons}.
   */
  private static ComponentHealth surfacedCacheProblem(AIMTemplateCache cache, String cname) {
    AIMStatus state = cacheStatus(cache);
    if (state == AIMStatus.Ready || cache.getStatus() == null) {
      return null;
    }
    var artifacts = aim.orchestrator.status.Conditions.find(cache.getStatus().conditions, "ArtifactsReady");
    if (artifacts == null || !"False".equals(artifacts.getStatus()) || !CacheReasons.surfaced(artifacts.getReason())) {
      return null;
    }
    AIMStatus shown = state == AIMStatus.Failed || state == AIMStatus.Degraded ? state : AIMStatus.Progressing;
    return ComponentHealth.of("Cache", shown, artifacts.getReason(), cname + ": " + artifacts.getMessage(), DependencyType.DOWNSTREAM);
  }

  private static AIMStatus cacheStatus(AIMTemplateCache c) {
    return Health.of(c.getStatus() == null ? null : c.getStatus().status);
  }

  private AIMTemplateCache newCache(
      AIMService svc, String name, AIMCachingMode mode, AIMResolvedReference template, AIMServiceTemplateSpecCommon tspec) {
    var rc = runtimeConfigs.resolve(svc.getSpec().runtimeConfigName, svc.getMetadata().getNamespace()).merged();
    AIMTemplateCache cache = new AIMTemplateCache();
    cache.getMetadata().setName(name);
    cache.getMetadata().setNamespace(svc.getMetadata().getNamespace());
    cache.getMetadata().setLabels(
        aim.orchestrator.render.Labels.withPropagated(
            Map.of(Aim.LABEL_SERVICE, svc.getMetadata().getName(), Aim.LABEL_SERVICE_NAME, svc.getMetadata().getName()),
            svc.getMetadata().getLabels(),
            rc.labelPropagation));
    if (mode == AIMCachingMode.Dedicated) {
      cache.getMetadata().setOwnerReferences(List.of(Owners.controller(svc)));
    }
    AIMTemplateCacheSpec spec = new AIMTemplateCacheSpec();
    spec.templateName = template.name;
    spec.templateScope = template.scope == AIMScope.Cluster ? AIMScope.Cluster : AIMScope.Namespace;
    String storageClass =
        svc.getSpec().storage != null && svc.getSpec().storage.defaultStorageClassName != null
            ? svc.getSpec().storage.defaultStorageClassName
            : rc.storage != null ? rc.storage.defaultStorageClassName : null;
    spec.storageClassName = storageClass == null ? "" : storageClass;
    spec.runtimeConfigName = svc.getSpec().runtimeConfigName;
    spec.mode = mode == AIMCachingMode.Dedicated ? AIMTemplateCacheSpec.Mode.Dedicated : AIMTemplateCacheSpec.Mode.Shared;
    var cachingEnv = tspec instanceof AIMServiceTemplateSpec nts && nts.caching != null ? nts.caching.env : null;
    spec.env = RuntimeConfigMerge.mergeEnv(tspec.env, cachingEnv, svc.getSpec().env);
    cache.setSpec(spec);
    return cache;
  }

  private HasMetadata templateObject(AIMResolvedReference t) {
    return t.scope == AIMScope.Cluster
        ? kube.aim(AIMClusterServiceTemplate.class).withName(t.name).get()
        : kube.aim(AIMServiceTemplate.class).inNamespace(t.namespace).withName(t.name).get();
  }

  // ---- InferenceService --------------------------------------------------------------------------------------

  @Override
  public StageResult applyInferenceService(
      ResourceRef ref, AIMResolvedReference model, AIMResolvedReference template, AIMResolvedReference cache) {
    return Kube.stage(
        "InferenceService",
        DependencyType.DOWNSTREAM,
        () -> {
          AIMService svc = kube.current(ref, AIMService.class);
          String ns = ref.namespace();
          String name;
          try {
            name = DerivedNames.inferenceService(svc.getMetadata().getName(), ns);
          } catch (IllegalArgumentException e) {
            return StageResult.of(
                ComponentHealth.error("InferenceService", ErrorCategory.INVALID_SPEC, "InvalidSpec", e.getMessage(), DependencyType.DOWNSTREAM));
          }
          HasMetadata modelObj =
              model.scope == AIMScope.Cluster
                  ? kube.aim(AIMClusterModel.class).withName(model.name).get()
                  : kube.aim(AIMModel.class).inNamespace(model.namespace).withName(model.name).get();
          HasMetadata templateObj = templateObject(template);
          AIMTemplateCache cacheObj = kube.aim(AIMTemplateCache.class).inNamespace(ns).withName(cache.name).get();
          if (modelObj == null || templateObj == null || cacheObj == null) {
            // Something we resolved a moment ago vanished; the next pass resolves again.
            throw ApplicationFailure.newFailure("model, template or cache disappeared", ErrorTypes.Infrastructure.name());
          }
          String image =
              modelObj instanceof AIMModel m ? m.getSpec().image : ((AIMClusterModel) modelObj).getSpec().image;
          var rc = runtimeConfigs.resolve(svc.getSpec().runtimeConfigName, ns).merged();
          GenericKubernetesResource desired =
              InferenceServiceRenderer.render(
                  new InferenceServiceRenderer.Inputs(
                      name,
                      svc,
                      image,
                      template.name,
                      specOf(templateObj).modelName,
                      specOf(templateObj),
                      statusOf(templateObj),
                      cacheObj.getStatus(),
                      rc));
          GenericKubernetesResource existing = kube.inferenceService(ns, name).get();
          if (existing != null && !Owners.ownedBy(existing, svc.getMetadata().getUid())) {
            return StageResult.of(
                ComponentHealth.error(
                    "InferenceService",
                    ErrorCategory.INVALID_SPEC,
                    "InvalidSpec",
                    "InferenceService " + name + " exists and belongs to someone else",
                    DependencyType.DOWNSTREAM));
          }
          GenericKubernetesResource applied = kube.applyInferenceService(desired);
          boolean ready = isReady(applied);
          List<ComponentHealth> components = new java.util.ArrayList<>();
          ComponentHealth rejected = ready ? null : rejection(applied);
          components.add(
              ready
                  ? ComponentHealth.ready("InferenceService", "RuntimeReady", "InferenceService " + name + " is ready", DependencyType.DOWNSTREAM)
                  : rejected != null
                      ? rejected
                      : ComponentHealth.of("InferenceService", AIMStatus.Progressing, "CreatingRuntime", "Waiting for InferenceService " + name + " to become ready", DependencyType.DOWNSTREAM));
          Map<String, Object> fields = new LinkedHashMap<>();
          var spec = svc.getSpec();
          boolean autoscaling = spec.autoScaling != null || spec.minReplicas != null || spec.maxReplicas != null;
          io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler hpa =
              autoscaling
                  ? kube.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("keda-hpa-" + name + "-predictor").get()
                  : null;
          fields.put("runtime", runtime(svc, hpa));
          components.add(
              PodHealth.of(
                  "InferenceServicePods",
                  kube.client().pods().inNamespace(ns).withLabel("serving.kserve.io/inferenceservice", name).list().getItems()));
          if (autoscaling) {
            components.add(hpaHealth(hpa, ready));
          }
          return new StageResult(components, fields, null, name);
        });
  }

  /**
   * KServe's Warning Events that mean the InferenceService will never serve as it is (spec §3.8, ISVC health):
   * {@code ServerlessModeRejected} (KServe is not in RawDeployment mode): Failed. KServe's {@code InternalError} (other
   * than a conflict) is reported too, but Degraded: KServe writes it for any failed reconcile, transient ones
   * included, so it must never make a deployment count as terminally failed. Only Events about this very object (its
   * UID) count. Null when there is none.
   */
  private ComponentHealth rejection(GenericKubernetesResource isvc) {
    String uid = isvc.getMetadata().getUid();
    if (uid == null) {
      return null;
    }
    var events =
        kube.client().v1().events().inNamespace(isvc.getMetadata().getNamespace()).withField("involvedObject.uid", uid).list().getItems().stream()
            .filter(e -> e.getInvolvedObject() != null && uid.equals(e.getInvolvedObject().getUid()))
            .filter(e -> "Warning".equals(e.getType()))
            .toList();
    String name = "InferenceService " + isvc.getMetadata().getName();
    for (var e : events) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if ("ServerlessModeRejected".equals(e.getReason())) {
        return ComponentHealth.of(
            "InferenceService", AIMStatus.Failed, "ServerlessModeRejected",
            name + " was rejected: " + message + " (configure KServe to use RawDeployment mode)", DependencyType.DOWNSTREAM);
      }
      if ("InternalError".equals(e.getReason()) && !message.toLowerCase(java.util.Locale.ROOT).contains("conflict")) {
        return ComponentHealth.of("InferenceService", AIMStatus.Degraded, "InternalError", name + ": " + message, DependencyType.DOWNSTREAM);
      }
    }
    return null;
  }

  @Override
  public aim.orchestrator.activity.InferenceServiceState inferenceServiceState(ResourceRef ref) {
    return Kube.call(
        () -> {
          String name;
          try {
            name = DerivedNames.inferenceService(ref.name(), ref.namespace());
          } catch (IllegalArgumentException e) {
            return new aim.orchestrator.activity.InferenceServiceState(null, false, false);
          }
          GenericKubernetesResource isvc = kube.inferenceService(ref.namespace(), name).get();
          boolean owned = isvc != null && Owners.ownedBy(isvc, ref.uid());
          boolean ready = owned && isReady(isvc);
          ComponentHealth rejection = owned && !ready ? rejection(isvc) : null;
          boolean rejected = rejection != null && rejection.state() == AIMStatus.Failed;
          return new aim.orchestrator.activity.InferenceServiceState(name, owned, ready, rejected);
        });
  }

  @SuppressWarnings("unchecked")
  private static boolean isReady(GenericKubernetesResource isvc) {
    Object status = isvc.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    for (Object c : conditions) {
      Map<String, Object> m = (Map<String, Object>) c;
      if ("Ready".equals(m.get("type")) && "True".equals(String.valueOf(m.get("status")))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code status.runtime}: from the KEDA-managed HPA when there is one, else from the spec
   * ({@code replicas} "3" for fixed, "current/desired (min-max)" for autoscaling).
   */
  private static AIMServiceStatus.Runtime runtime(
      AIMService svc, io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler hpa) {
    var spec = svc.getSpec();
    AIMServiceStatus.Runtime r = new AIMServiceStatus.Runtime();
    boolean autoscaling = spec.autoScaling != null || spec.minReplicas != null || spec.maxReplicas != null;
    int min = autoscaling ? (spec.minReplicas != null ? spec.minReplicas : 1) : (spec.replicas != null ? spec.replicas : 1);
    int max = autoscaling ? (spec.maxReplicas != null ? spec.maxReplicas : min) : min;
    r.minReplicas = min;
    r.maxReplicas = max;
    r.desiredReplicas = min;
    r.currentReplicas = min;
    if (hpa != null && hpa.getStatus() != null) {
      if (hpa.getStatus().getCurrentReplicas() != null) {
        r.currentReplicas = hpa.getStatus().getCurrentReplicas();
      }
      if (hpa.getStatus().getDesiredReplicas() != null) {
        r.desiredReplicas = hpa.getStatus().getDesiredReplicas();
      }
    }
    r.replicas = autoscaling ? r.currentReplicas + "/" + r.desiredReplicas + " (" + min + "-" + max + ")" : String.valueOf(min);
    return r;
  }

  /** The HPA component (spec §3.10): not found, waiting for metrics, metrics failing, target not ready, operational. */
  static ComponentHealth hpaHealth(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler hpa, boolean isvcReady) {
    DependencyType d = DependencyType.DOWNSTREAM;
    if (hpa == null) {
      return ComponentHealth.of("HPA", AIMStatus.Progressing, "HPANotFound", "Waiting for KEDA to create the HPA", d);
    }
    var conditions = hpa.getStatus() == null || hpa.getStatus().getConditions() == null ? List.<io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition>of() : hpa.getStatus().getConditions();
    java.util.function.Function<String, io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition> find =
        type -> conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    var active = find.apply("ScalingActive");
    if (active == null || !"True".equals(active.getStatus())) {
      String why = active == null ? "" : ": " + active.getMessage();
      return isvcReady
          // Degraded rather than the reference's Failed: the service still serves, only scaling is blind.
          ? ComponentHealth.of("HPA", AIMStatus.Degraded, "MetricsFailed", "The HPA cannot read its metrics" + why, d)
          : ComponentHealth.of("HPA", AIMStatus.Progressing, "WaitingForMetrics", "Waiting for metrics" + why, d);
    }
    var able = find.apply("AbleToScale");
    if (able == null || !"True".equals(able.getStatus())) {
      return ComponentHealth.of("HPA", AIMStatus.Progressing, "ScaleTargetNotReady", "The HPA cannot scale its target yet", d);
    }
    return ComponentHealth.ready("HPA", "HPAOperational", "KEDA autoscaling is operational", d);
  }

  // ---- HTTPRoute ---------------------------------------------------------------------------------------------

  @Override
  public StageResult applyHttpRoute(ResourceRef ref, String inferenceService) {
    return Kube.stage(
        "HTTPRoute",
        DependencyType.DOWNSTREAM,
        () -> {
          AIMService svc = kube.current(ref, AIMService.class);
          String ns = ref.namespace();
          var rc = runtimeConfigs.resolve(svc.getSpec().runtimeConfigName, ns).merged();
          var routing = svc.getSpec().routing;
          var rcRouting = rc.routing;
          boolean enabled =
              routing != null && routing.enabled != null
                  ? routing.enabled
                  : rcRouting != null && Boolean.TRUE.equals(rcRouting.enabled);
          String name = DerivedNames.httpRoute(svc.getMetadata().getName(), ns);
          if (!enabled) {
            deleteOwnedRoute(svc, name);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("routing", null);
            return new StageResult(List.of(), fields, null, null);
          }
          var gateway = routing != null && routing.gatewayRef != null ? routing.gatewayRef : rcRouting == null ? null : rcRouting.gatewayRef;
          if (gateway == null) {
            return StageResult.of(
                ComponentHealth.error(
                    "HTTPRoute", ErrorCategory.INVALID_SPEC, "GatewayNotConfigured", "routing is enabled but no gatewayRef is set on the service or its runtime config", DependencyType.DOWNSTREAM));
          }
          String template = routing != null && routing.pathTemplate != null ? routing.pathTemplate : rcRouting == null ? null : rcRouting.pathTemplate;
          String path;
          try {
            path = template == null ? HttpRouteRenderer.defaultPath(svc) : HttpRouteRenderer.renderPath(template, svc);
          } catch (IllegalArgumentException e) {
            return StageResult.of(
                ComponentHealth.of("HTTPRoute", AIMStatus.Degraded, "PathTemplateInvalid", e.getMessage(), DependencyType.DOWNSTREAM));
          }
          String timeout = routing != null && routing.requestTimeout != null ? routing.requestTimeout : rcRouting == null ? null : rcRouting.requestTimeout;
          Map<String, String> annotations = new LinkedHashMap<>();
          if (rcRouting != null && rcRouting.annotations != null) {
            annotations.putAll(rcRouting.annotations);
          }
          if (routing != null && routing.annotations != null) {
            annotations.putAll(routing.annotations);
          }
          HTTPRoute existing = kube.client().resources(HTTPRoute.class).inNamespace(ns).withName(name).get();
          if (existing != null && !Owners.ownedBy(existing, svc.getMetadata().getUid())) {
            return StageResult.of(
                ComponentHealth.error(
                    "HTTPRoute",
                    ErrorCategory.INVALID_SPEC,
                    "InvalidSpec",
                    "HTTPRoute " + name + " exists and belongs to someone else",
                    DependencyType.DOWNSTREAM));
          }
          HTTPRoute desired = HttpRouteRenderer.render(svc, name, inferenceService, gateway, path, timeout, annotations);
          desired.getMetadata().setLabels(
              aim.orchestrator.render.Labels.withPropagated(desired.getMetadata().getLabels(), svc.getMetadata().getLabels(), rc.labelPropagation));
          HTTPRoute applied = kube.apply(desired);
          AIMServiceStatus.Routing routingStatus = new AIMServiceStatus.Routing();
          routingStatus.path = path;
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("routing", routingStatus);
          return new StageResult(List.of(routeHealth(applied)), fields, null, name);
        });
  }

  private static ComponentHealth routeHealth(HTTPRoute route) {
    if (route.getStatus() != null && route.getStatus().getParents() != null) {
      for (var parent : route.getStatus().getParents()) {
        for (var c : parent.getConditions()) {
          if ("Accepted".equals(c.getType()) && "False".equals(c.getStatus())) {
            return ComponentHealth.error("HTTPRoute", ErrorCategory.INVALID_SPEC, c.getReason(), c.getMessage(), DependencyType.DOWNSTREAM);
          }
          if ("ResolvedRefs".equals(c.getType()) && "False".equals(c.getStatus())) {
            return ComponentHealth.error("HTTPRoute", ErrorCategory.MISSING_DOWNSTREAM, c.getReason(), c.getMessage(), DependencyType.DOWNSTREAM);
          }
        }
        if (parent.getConditions().stream().anyMatch(c -> "Accepted".equals(c.getType()) && "True".equals(c.getStatus()))) {
          return ComponentHealth.ready("HTTPRoute", "HTTPRouteAccepted", "HTTPRoute is accepted by its gateway", DependencyType.DOWNSTREAM);
        }
      }
    }
    return ComponentHealth.of("HTTPRoute", AIMStatus.Progressing, "HTTPRoutePending", "Waiting for the gateway to accept the HTTPRoute", DependencyType.DOWNSTREAM);
  }

  private void deleteOwnedRoute(AIMService svc, String name) {
    HTTPRoute route =
        kube.client().resources(HTTPRoute.class).inNamespace(svc.getMetadata().getNamespace()).withName(name).get();
    if (route != null && Owners.ownedBy(route, svc.getMetadata().getUid())) {
      kube.client().resource(route).delete();
    }
  }

  // ---- teardown ----------------------------------------------------------------------------------------------

  @Override
  public void deleteHttpRoute(ResourceRef ref) {
    Kube.run(
        () -> {
          String name = DerivedNames.httpRoute(ref.name(), ref.namespace());
          HTTPRoute route = kube.client().resources(HTTPRoute.class).inNamespace(ref.namespace()).withName(name).get();
          if (route != null && Owners.ownedBy(route, ref.uid())) {
            kube.client().resource(route).delete();
            log.info("deleted HTTPRoute {}/{}", ref.namespace(), name);
          }
        });
  }

  @Override
  public void deleteInferenceService(ResourceRef ref) {
    Kube.run(
        () -> {
          String name;
          try {
            name = DerivedNames.inferenceService(ref.name(), ref.namespace());
          } catch (IllegalArgumentException e) {
            return; // never created
          }
          GenericKubernetesResource isvc = kube.inferenceService(ref.namespace(), name).get();
          if (isvc != null && Owners.ownedBy(isvc, ref.uid())) {
            kube.inferenceService(ref.namespace(), name).delete();
            log.info("deleted InferenceService {}/{}", ref.namespace(), name);
          }
        });
  }

  @Override
  public void deleteTemplateCaches(ResourceRef ref) {
    deleteCaches(ref, false);
  }

  @Override
  public void deleteDedicatedTemplateCaches(ResourceRef ref) {
    deleteCaches(ref, true);
  }

  /** Deletes the service's Dedicated caches and, unless {@code dedicatedOnly}, its Shared caches that are not Ready. */
  private void deleteCaches(ResourceRef ref, boolean dedicatedOnly) {
    Kube.run(
        () -> {
          for (AIMTemplateCache cache :
              kube.aim(AIMTemplateCache.class).inNamespace(ref.namespace()).withLabel(Aim.LABEL_SERVICE, ref.name()).list().getItems()) {
            boolean dedicated = Owners.ownedBy(cache, ref.uid());
            boolean ready = cache.getStatus() != null && cache.getStatus().status == ResourceStatusValue.Ready;
            if (dedicated || (!dedicatedOnly && !ready)) {
              kube.client().resource(cache).delete();
              log.info("deleted AIMTemplateCache {}/{} ({})", ref.namespace(), cache.getMetadata().getName(), dedicated ? "dedicated" : "not ready");
            }
          }
        });
  }

  @Override
  public void deleteDerivedTemplates(ResourceRef ref) {
    Kube.run(
        () -> {
          for (AIMServiceTemplate t : kube.aim(AIMServiceTemplate.class).inNamespace(ref.namespace()).list().getItems()) {
            if (Owners.ownedBy(t, ref.uid())) {
              kube.client().resource(t).delete();
              log.info("deleted derived AIMServiceTemplate {}/{}", ref.namespace(), t.getMetadata().getName());
            }
          }
        });
  }

  private static AIMResolvedReference reference(HasMetadata obj, AIMScope scope) {
    return new AIMResolvedReference(
        obj.getMetadata().getName(), obj.getMetadata().getNamespace(), scope, obj.getKind(), obj.getMetadata().getUid());
  }
}
