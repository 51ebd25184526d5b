package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.download.DownloadException;
import aim.orchestrator.activities.download.DownloadSource;
import aim.orchestrator.activities.download.RemoteFile;
import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activities.kube.RuntimeConfigs;
import aim.orchestrator.activity.CacheActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.config.RuntimeConfigMerge;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactSpec;
import aim.orchestrator.model.AIMArtifactStatus;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMModelSource;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.AIMTemplateCacheStatus;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.render.ArtifactManifests;
import aim.orchestrator.render.Owners;
import aim.orchestrator.render.Sizes;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.Conditions;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ErrorTypes;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** AIMTemplateCache and AIMArtifact stages. */
public class CacheActivitiesImpl implements CacheActivities {
  private static final Logger log = LoggerFactory.getLogger(CacheActivitiesImpl.class);
  private static final int DEFAULT_HEADROOM = 10;

  private final Kube kube;
  private final RuntimeConfigs runtimeConfigs;

  private final Map<String, String> sourceOverrides;
  private final DownloadJobs downloadJobs;

  public CacheActivitiesImpl(Kube kube) {
    this(kube, Map.of());
  }

  /**
   * @param sourceOverrides env values that replace the artifact's own when an activity reaches a source itself
   *     (the dev mode's local Hugging Face and S3 endpoints); empty in production
   */
  public CacheActivitiesImpl(Kube kube, Map<String, String> sourceOverrides) {
    this.kube = kube;
    this.runtimeConfigs = new RuntimeConfigs(kube);
    this.sourceOverrides = Map.copyOf(sourceOverrides);
    this.downloadJobs = new DownloadJobs(kube);
  }

  // ---- template cache ----------------------------------------------------------------------------------------

  @Override
  public StageResult cacheTemplate(ResourceRef ref) {
    return Kube.stage(
        "ServiceTemplate",
        DependencyType.UPSTREAM,
        () -> {
          AIMTemplateCache cache = kube.current(ref, AIMTemplateCache.class);
          HasMetadata template = template(cache);
          if (template == null) {
            return StageResult.of(
                ComponentHealth.error(
                    "ServiceTemplate",
                    ErrorCategory.MISSING_UPSTREAM,
                    "TemplateNotFound",
                    "template \"" + cache.getSpec().templateName + "\" not found",
                    DependencyType.UPSTREAM));
          }
          AIMServiceTemplateStatus ts = templateStatus(template);
          AIMStatus state = Health.of(ts == null ? null : ts.status);
          String name = template.getKind() + " " + template.getMetadata().getName();
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("resolvedTemplateKind", template.getKind());
          ComponentHealth h =
              switch (state) {
                case Ready -> ComponentHealth.ready("ServiceTemplate", "TemplateFound", name + " is ready", DependencyType.UPSTREAM);
                case NotAvailable -> ComponentHealth.of("ServiceTemplate", AIMStatus.NotAvailable, "TemplateNotAvailable", name + " is NotAvailable", DependencyType.UPSTREAM);
                case Failed -> ComponentHealth.of("ServiceTemplate", AIMStatus.Failed, "TemplateFailed", name + " failed", DependencyType.UPSTREAM);
                default -> ComponentHealth.of("ServiceTemplate", AIMStatus.Progressing, "TemplateNotReady", name + " is " + state, DependencyType.UPSTREAM);
              };
          return new StageResult(List.of(h), fields, null, null);
        });
  }

  @Override
  public StageResult cacheArtifacts(ResourceRef ref) {
    return Kube.stage(
        "Artifacts",
        DependencyType.DOWNSTREAM,
        () -> {
          AIMTemplateCache cache = kube.current(ref, AIMTemplateCache.class);
          HasMetadata template = template(cache);
          AIMServiceTemplateStatus ts = template == null ? null : templateStatus(template);
          List<AIMModelSource> sources = ts == null || ts.modelSources == null ? List.of() : ts.modelSources;
          if (sources.isEmpty()) {
            return StageResult.of(
                ComponentHealth.of("Artifacts", AIMStatus.Progressing, "NoCaches", "The template has no model sources", DependencyType.DOWNSTREAM));
          }
          boolean dedicated = cache.getSpec().mode == AIMTemplateCacheSpec.Mode.Dedicated;
          String storageClass = cache.getSpec().storageClassName == null ? "" : cache.getSpec().storageClassName;
          List<AIMArtifact> existing = kube.aim(AIMArtifact.class).inNamespace(ref.namespace()).list().getItems();
          Map<String, AIMTemplateCacheStatus.ArtifactEntry> entries = new TreeMap<>();
          List<AIMArtifact> matched = new ArrayList<>();
          boolean created = false;
          for (int i = 0; i < sources.size(); i++) {
            AIMModelSource source = sources.get(i);
            AIMArtifact artifact =
                existing.stream()
                    .filter(a -> source.sourceUri.equals(a.getSpec().sourceUri))
                    .filter(a -> storageClass.isEmpty() || storageClass.equals(Objects.toString(a.getSpec().storageClassName, "")))
                    .filter(a -> dedicated ? Owners.ownedBy(a, cache.getMetadata().getUid()) : noOwners(a))
                    .max(Comparator.comparingInt(a -> artifactState(a).priority()))
                    .orElse(null);
            if (artifact == null) {
              artifact = newArtifact(cache, template, source, i, dedicated, storageClass);
              kube.apply(artifact);
              created = true;
              log.info("created AIMArtifact {}/{} for {}", ref.namespace(), artifact.getMetadata().getName(), source.sourceUri);
              continue;
            }
            matched.add(artifact);
            AIMTemplateCacheStatus.ArtifactEntry e = new AIMTemplateCacheStatus.ArtifactEntry();
            e.uid = artifact.getMetadata().getUid();
            e.name = artifact.getMetadata().getName();
            e.model = source.modelId;
            e.status = artifactState(artifact).name();
            e.persistentVolumeClaim = artifact.getStatus() == null ? null : artifact.getStatus().persistentVolumeClaim;
            entries.put(artifact.getMetadata().getName(), e);
          }
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("artifacts", entries);
          if (created) {
            return new StageResult(
                List.of(ComponentHealth.of("Artifacts", AIMStatus.Progressing, "CreatingCaches", "Creating artifacts", DependencyType.DOWNSTREAM)),
                fields,
                null,
                null);
          }
          AIMArtifact worst = matched.stream().min(Comparator.comparingInt(a -> artifactState(a).priority())).orElseThrow();
          AIMStatus worstState = artifactState(worst);
          if (worstState == AIMStatus.Ready) {
            return new StageResult(
                List.of(ComponentHealth.ready("Artifacts", "AllCachesReady", "All " + matched.size() + " artifacts are ready", DependencyType.DOWNSTREAM)),
                fields,
                null,
                null);
          }
          Condition why = whyNotReady(worst);
          String reason = why != null && why.getReason() != null ? why.getReason() : "CachesNotReady";
          String detail = why != null && why.getMessage() != null && !why.getMessage().isEmpty() ? ": " + why.getMessage() : "";
          AIMStatus state = worstState == AIMStatus.Pending ? AIMStatus.Progressing : worstState;
          return new StageResult(
              List.of(
                  ComponentHealth.of(
                      "Artifacts", state, reason, "AIMArtifact " + worst.getMetadata().getName() + " is " + worstState + detail, DependencyType.DOWNSTREAM)),
              fields,
              null,
              null);
        });
  }

  /** Ready reasons of the status framework that say less than the component behind them. */
  private static final Set<String> GENERIC_READY_REASONS =
      Set.of("Progressing", "InvalidSpec", "ReferenceNotFound", "InfrastructureError");

  /**
   * The condition that says why an artifact is not Ready: its {@code Ready} condition, unless that only says
   * "Progressing" or names an error category ("InvalidSpec", …) — then its first failing component ({@code CachePvcReady=False PVCPending}, …), so a storage or
   * download problem shows on the template cache (and from there on the service) under its own reason.
   */
  static Condition whyNotReady(AIMArtifact artifact) {
    if (artifact.getStatus() == null || artifact.getStatus().conditions == null) {
      return null;
    }
    List<Condition> conditions = artifact.getStatus().conditions;
    Condition ready = Conditions.find(conditions, "Ready");
    if (ready != null && ready.getReason() != null && !GENERIC_READY_REASONS.contains(ready.getReason())) {
      return ready;
    }
    return conditions.stream()
        .filter(c -> "False".equals(c.getStatus()))
        .filter(c -> c.getType().endsWith("Ready") && !"Ready".equals(c.getType()))
        .findFirst()
        .orElse(ready);
  }

  private AIMArtifact newArtifact(
      AIMTemplateCache cache, HasMetadata template, AIMModelSource source, int index, boolean dedicated, String storageClass) {
    var env = RuntimeConfigMerge.mergeEnv(cache.getSpec().env, sourceEnv(template, source));
    String name =
        DerivedNames.artifact(source.sourceUri, env, storageClass, dedicated ? cache.getMetadata().getName() : null);
    AIMArtifact a = new AIMArtifact();
    a.getMetadata().setName(name);
    a.getMetadata().setNamespace(cache.getMetadata().getNamespace());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Aim.LABEL_TEMPLATE_CREATED, "true");
    labels.put(Aim.LABEL_TEMPLATE_NAME, template.getMetadata().getName());
    labels.put(Aim.LABEL_TEMPLATE, template.getMetadata().getName());
    labels.put(Aim.LABEL_TEMPLATE_SCOPE, template instanceof AIMClusterServiceTemplate ? "Cluster" : "Namespace");
    labels.put(Aim.LABEL_TEMPLATE_INDEX, String.valueOf(index));
    labels.put(Aim.LABEL_TEMPLATE_CACHE_NAME, cache.getMetadata().getName());
    var rc = runtimeConfigs.resolve(cache.getSpec().runtimeConfigName, cache.getMetadata().getNamespace()).merged();
    a.getMetadata().setLabels(
        aim.orchestrator.render.Labels.withPropagated(labels, cache.getMetadata().getLabels(), rc.labelPropagation));
    if (dedicated) {
      a.getMetadata().setOwnerReferences(List.of(Owners.controller(cache)));
    }
    AIMArtifactSpec spec = new AIMArtifactSpec();
    spec.sourceUri = source.sourceUri;
    spec.modelId = source.modelId;
    spec.storageClassName = storageClass.isEmpty() ? null : storageClass;
    spec.size = source.size;
    spec.env = env;
    spec.runtimeConfigName = cache.getSpec().runtimeConfigName;
    a.setSpec(spec);
    return a;
  }

  @Override
  public void cacheDeleteArtifacts(ResourceRef ref) {
    Kube.run(
        () -> {
          if (namespaceGoing(ref.namespace())) {
            // Everything in it goes anyway; waiting on anything here could only hold the namespace back.
            log.info("{}: namespace is being deleted; leaving its artifacts to it", ref);
            return;
          }
          for (AIMArtifact a :
              kube.aim(AIMArtifact.class).inNamespace(ref.namespace()).withLabel(Aim.LABEL_TEMPLATE_CACHE_NAME, ref.name()).list().getItems()) {
            if (artifactState(a) == AIMStatus.Ready) {
              continue;
            }
            kube.aim(AIMArtifact.class).inNamespace(ref.namespace()).withName(a.getMetadata().getName()).delete();
            log.info("{}: deleted AIMArtifact {} ({})", ref, a.getMetadata().getName(), artifactState(a));
          }
        });
  }

  /** Whether the namespace is being deleted (or cannot be read, which a terminating namespace may cause). */
  private boolean namespaceGoing(String namespace) {
    try {
      var ns = kube.client().namespaces().withName(namespace).get();
      return ns == null
          || ns.getMetadata().getDeletionTimestamp() != null
          || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return true;
      }
      throw e;
    }
  }

  /**
   * A source's own env (credential overrides). Status copies of inline sources carry no env (it never travels
   * through workflow payloads), so it is read from the template spec, matched by source URI.
   */
  private static List<EnvVar> sourceEnv(HasMetadata template, AIMModelSource source) {
    if (source.env != null) {
      return source.env;
    }
    var spec = template instanceof AIMServiceTemplate nt ? nt.getSpec() : ((AIMClusterServiceTemplate) template).getSpec();
    if (spec.modelSources == null) {
      return null;
    }
    return spec.modelSources.stream()
        .filter(s -> Objects.equals(s.sourceUri, source.sourceUri))
        .map(s -> s.env)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static boolean noOwners(HasMetadata a) {
    return a.getMetadata().getOwnerReferences() == null || a.getMetadata().getOwnerReferences().isEmpty();
  }

  private static AIMStatus artifactState(AIMArtifact a) {
    return Health.of(a.getStatus() == null ? null : a.getStatus().status);
  }

  private HasMetadata template(AIMTemplateCache cache) {
    String name = cache.getSpec().templateName;
    AIMScope scope = cache.getSpec().templateScope;
    if (scope != AIMScope.Cluster) {
      AIMServiceTemplate t = kube.aim(AIMServiceTemplate.class).inNamespace(cache.getMetadata().getNamespace()).withName(name).get();
      if (t != null || scope == AIMScope.Namespace) {
        return t;
      }
    }
    return kube.aim(AIMClusterServiceTemplate.class).withName(name).get();
  }

  private static AIMServiceTemplateStatus templateStatus(HasMetadata t) {
    return t instanceof AIMServiceTemplate nt ? nt.getStatus() : ((AIMClusterServiceTemplate) t).getStatus();
  }

  // ---- artifact ----------------------------------------------------------------------------------------------

  @Override
  public StageResult artifactStorage(ResourceRef ref) {
    return Kube.stage(
        "CachePvc",
        DependencyType.DOWNSTREAM,
        () -> {
          AIMArtifact artifact = kube.current(ref, AIMArtifact.class);
          var rc = runtimeConfigs.resolve(artifact.getSpec().runtimeConfigName, ref.namespace()).merged();
          List<ComponentHealth> components = new ArrayList<>();
          Map<String, Object> fields = new LinkedHashMap<>();
          long size = Sizes.bytes(artifact.getSpec().size);
          if (size <= 0) {
            // No spec.size: ask the source (the reference runs a check-size Job for this).
            SizeCheck check = checkSize(artifact, rc.env);
            components.add(check.health());
            if (!check.health().isReady()) {
              return new StageResult(components, fields, null, null);
            }
            size = check.bytes();
            fields.put("discoveredSizeBytes", size);
          }
          int headroom =
              rc.storage != null && rc.storage.pvcHeadroomPercent != null ? rc.storage.pvcHeadroomPercent : DEFAULT_HEADROOM;
          String storageClass =
              artifact.getSpec().storageClassName != null && !artifact.getSpec().storageClassName.isEmpty()
                  ? artifact.getSpec().storageClassName
                  : rc.storage == null ? null : rc.storage.defaultStorageClassName;
          String pvcName = DerivedNames.artifactPvc(artifact.getMetadata().getName(), artifact.getMetadata().getUid());
          PersistentVolumeClaim pvc =
              kube.client().persistentVolumeClaims().inNamespace(ref.namespace()).withName(pvcName).get();
          Quantity requested = Sizes.pvcSize(size, headroom);
          PersistentVolumeClaim desired = ArtifactManifests.pvc(artifact, pvcName, requested, storageClass);
          desired.getMetadata().setLabels(
              aim.orchestrator.render.Labels.withPropagated(
                  desired.getMetadata().getLabels(), artifact.getMetadata().getLabels(), rc.labelPropagation));
          if (pvc == null) {
            // Created once and never resized (spec §3.7). A PVC deleted by hand is created again (and, as a new
            // claim, downloaded into again: see artifactStartDownload).
            boolean again = artifact.getStatus() != null && artifact.getStatus().persistentVolumeClaim != null;
            pvc = kube.client().resource(desired).create();
            log.info("{} PVC {}/{} ({})", again ? "re-created the lost" : "created", ref.namespace(), pvcName, requested);
          } else if (pvc.getMetadata().getDeletionTimestamp() != null) {
            // Deleted, held back by its pvc-protection finalizer while a Pod still mounts it.
            components.add(
                ComponentHealth.of(
                    "CachePvc", AIMStatus.Progressing, "PVCDeleting",
                    "PVC " + pvcName + " is being deleted; it is created again once it is gone", DependencyType.DOWNSTREAM));
            return new StageResult(components, fields, null, null);
          } else {
            pvc = restoreMetadata(pvc, desired);
          }
          fields.put("persistentVolumeClaim", pvcName);
          fields.put("displaySize", Sizes.display(size));
          fields.put("allocatedSize", pvc.getSpec().getResources().getRequests().get("storage").toString());
          fields.put("headroomPercent", headroom);
          fields.put("mode", noOwners(artifact) ? AIMTemplateCacheSpec.Mode.Shared : AIMTemplateCacheSpec.Mode.Dedicated);
          components.add(pvcHealth(pvc));
          return new StageResult(components, fields, null, pvcName);
        });
  }

  /**
   * Puts back what someone edited by hand on the PVC: the labels the orchestrator sets (other labels stay) and the
   * artifact's controller reference (replacing another controller reference, which cannot be right for a claim whose
   * name hashes this artifact's UID). The size and the rest of the spec are never touched: the PVC is never resized.
   */
  private PersistentVolumeClaim restoreMetadata(PersistentVolumeClaim pvc, PersistentVolumeClaim desired) {
    Map<String, String> labels = pvc.getMetadata().getLabels() == null ? Map.of() : pvc.getMetadata().getLabels();
    Map<String, String> labelPatch = new TreeMap<>();
    desired.getMetadata().getLabels().forEach((k, v) -> {
      if (!v.equals(labels.get(k))) {
        labelPatch.put(k, v);
      }
    });
    var owner = desired.getMetadata().getOwnerReferences().get(0);
    List<io.fabric8.kubernetes.api.model.OwnerReference> owners =
        pvc.getMetadata().getOwnerReferences() == null ? List.of() : pvc.getMetadata().getOwnerReferences();
    boolean owned = owners.stream().anyMatch(o -> owner.getUid().equals(o.getUid()) && Boolean.TRUE.equals(o.getController()));
    if (labelPatch.isEmpty() && owned) {
      return pvc;
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (!labelPatch.isEmpty()) {
      metadata.put("labels", labelPatch);
    }
    if (!owned) {
      List<io.fabric8.kubernetes.api.model.OwnerReference> restored = new ArrayList<>();
      owners.stream()
          .filter(o -> !owner.getUid().equals(o.getUid()) && !Boolean.TRUE.equals(o.getController()))
          .forEach(restored::add);
      restored.add(owner);
      metadata.put("ownerReferences", restored);
    }
    String patch = kube.client().getKubernetesSerialization().asJson(Map.of("metadata", metadata));
    PersistentVolumeClaim patched =
        kube.client().persistentVolumeClaims().inNamespace(pvc.getMetadata().getNamespace()).withName(pvc.getMetadata().getName())
            .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
    log.info(
        "restored PVC {}/{}:{}{}", pvc.getMetadata().getNamespace(), pvc.getMetadata().getName(),
        labelPatch.isEmpty() ? "" : " labels " + labelPatch.keySet(), owned ? "" : " owner reference");
    return patched;
  }

  /** A size and how it was found. */
  record SizeCheck(long bytes, ComponentHealth health) {}

  /** At most 1 PiB, as the reference's check-size output validation (2^50 bytes). */
  static final long MAX_SIZE_BYTES = 1L << 50;

  /**
   * The total size of the artifact's source: the size found before ({@code status.discoveredSizeBytes}), else what
   * the source lists (Hugging Face file sizes, S3 object sizes). Credentials come from the env the download Job gets,
   * Secrets resolved here; a source that is not there or refuses the credentials is reported as the download would
   * be ({@code SourceNotFound}, {@code AuthError}); a network failure is retried.
   */
  SizeCheck checkSize(AIMArtifact artifact, List<EnvVar> configEnv) {
    String c = "CheckSize";
    DependencyType d = DependencyType.DOWNSTREAM;
    AIMArtifactStatus status = artifact.getStatus();
    if (status != null && status.discoveredSizeBytes != null && status.discoveredSizeBytes > 0) {
      long bytes = status.discoveredSizeBytes;
      return new SizeCheck(bytes, ComponentHealth.ready(c, "SizeDiscovered", Sizes.display(bytes) + " (" + bytes + " bytes) listed by the source", d));
    }
    String uri = artifact.getSpec().sourceUri;
    Map<String, String> env;
    try {
      env = SourceEnv.resolve(
          kube.client(), artifact.getMetadata().getNamespace(),
          RuntimeConfigMerge.mergeEnv(configEnv, artifact.getSpec().env), sourceOverrides);
    } catch (SourceEnv.MissingReference e) {
      return new SizeCheck(0, ComponentHealth.error(c, ErrorCategory.MISSING_UPSTREAM, "ReferenceNotFound", e.getMessage(), d));
    }
    long total = 0;
    int files;
    try (DownloadSource source = DownloadSource.fromUri(uri, env)) {
      List<RemoteFile> listed = source.listFiles();
      files = listed.size();
      for (RemoteFile f : listed) {
        total += f.size();
      }
    } catch (DownloadException e) {
      return switch (e.reason()) {
        case SOURCE_NOT_FOUND -> new SizeCheck(0, ComponentHealth.error(c, ErrorCategory.INVALID_SPEC, "SourceNotFound", e.getMessage(), d));
        case AUTH -> new SizeCheck(0, ComponentHealth.error(c, ErrorCategory.AUTH, "AuthError", e.getMessage(), d));
        case INVALID_SOURCE -> new SizeCheck(0, ComponentHealth.error(c, ErrorCategory.INVALID_SPEC, "InvalidSpec", e.getMessage(), d));
        default -> throw ApplicationFailure.newFailure(
            "Cannot list " + uri + ": " + e.getMessage(), ErrorTypes.Infrastructure.name());
      };
    } catch (java.io.IOException e) {
      throw ApplicationFailure.newFailure(
          "Cannot list " + uri + ": " + e, ErrorTypes.Infrastructure.name());
    }
    if (total <= 0 || total > MAX_SIZE_BYTES) {
      return new SizeCheck(0, ComponentHealth.of(c, AIMStatus.Failed, "StorageSizeError",
          uri + " lists " + files + " files with " + total + " bytes; set spec.size", d));
    }
    log.info("{} holds {} files, {} bytes", uri, files, total);
    return new SizeCheck(total, ComponentHealth.ready(c, "SizeDiscovered", Sizes.display(total) + " (" + total + " bytes) in " + files + " files listed by the source", d));
  }

  /** The PVC's health from its phase, its StorageClass and its Events (see {@link PvcHealth}). */
  ComponentHealth pvcHealth(PersistentVolumeClaim pvc) {
    String phase = pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
    if ("Bound".equals(phase)) {
      return PvcHealth.of(pvc, null, null, List.of());
    }
    String className = pvc.getSpec() == null ? null : pvc.getSpec().getStorageClassName();
    StorageClass sc;
    if (className == null) {
      sc =
          kube.client().storage().v1().storageClasses().list().getItems().stream()
              .filter(CacheActivitiesImpl::isDefaultClass)
              .findFirst()
              .orElse(null);
    } else if (className.isEmpty()) {
      sc = null;
    } else {
      sc = kube.client().storage().v1().storageClasses().withName(className).get();
    }
    String uid = pvc.getMetadata().getUid();
    List<Event> events =
        kube.client().v1().events().inNamespace(pvc.getMetadata().getNamespace()).withField("involvedObject.uid", uid).list().getItems().stream()
            .filter(e -> e.getInvolvedObject() != null && uid.equals(e.getInvolvedObject().getUid()))
            .toList();
    return PvcHealth.of(pvc, sc, className, events);
  }

  private static boolean isDefaultClass(StorageClass sc) {
    var a = sc.getMetadata().getAnnotations();
    return a != null
        && ("true".equals(a.get("storageclass.kubernetes.io/is-default-class"))
            || "true".equals(a.get("storageclass.beta.kubernetes.io/is-default-class")));
  }

  @Override
  public StageResult artifactDownload(ResourceRef ref) {
    return Kube.stage(
        "DownloadJob",
        DependencyType.DOWNSTREAM,
        () -> {
          AIMArtifact artifact = kube.current(ref, AIMArtifact.class);
          AIMArtifactStatus status = artifact.getStatus();
          if (status != null && status.status == ResourceStatusValue.Ready) {
            // Verified once; the Job may be gone after its TTL.
            return StageResult.of(ComponentHealth.ready("DownloadJob", "Verified", "Download verified", DependencyType.DOWNSTREAM));
          }
          String jobName = DerivedNames.artifactDownloadJob(artifact.getMetadata().getName(), artifact.getMetadata().getUid());
          Job job = kube.client().batch().v1().jobs().inNamespace(ref.namespace()).withName(jobName).get();
          long size = sizeOf(artifact);
          if (job == null) {
            var rc = runtimeConfigs.resolve(artifact.getSpec().runtimeConfigName, ref.namespace()).merged();
            String pvcName = DerivedNames.artifactPvc(artifact.getMetadata().getName(), artifact.getMetadata().getUid());
            Job desired = ArtifactManifests.downloadJob(artifact, jobName, pvcName, size, rc.env);
            var jobLabels =
                aim.orchestrator.render.Labels.withPropagated(
                    desired.getMetadata().getLabels(), artifact.getMetadata().getLabels(), rc.labelPropagation);
            desired.getMetadata().setLabels(jobLabels);
            desired.getSpec().getTemplate().getMetadata().setLabels(jobLabels);
            kube.client().resource(desired).create();
            log.info("created download Job {}/{}", ref.namespace(), jobName);
            return progress(ComponentHealth.of("DownloadJob", AIMStatus.Progressing, "Downloading", "Download Job " + jobName + " created", DependencyType.DOWNSTREAM), size, 0, "0%", "Starting");
          }
          var js = job.getStatus();
          boolean complete = js != null && js.getConditions() != null && js.getConditions().stream().anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
          boolean failed = js != null && js.getConditions() != null && js.getConditions().stream().anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
          if (complete) {
            return progress(ComponentHealth.ready("DownloadJob", "Verified", "Download Job " + jobName + " completed", DependencyType.DOWNSTREAM), size, size, "100%", "Complete");
          }
          if (failed) {
            return progress(ComponentHealth.of("DownloadJob", AIMStatus.Failed, "DownloadFailed", "Download Job " + jobName + " failed", DependencyType.DOWNSTREAM), size, 0, "N/A", "Failed");
          }
          long done = status != null && status.progress != null && status.progress.downloadedBytes != null ? status.progress.downloadedBytes : 0;
          int pct = size > 0 ? (int) Math.min(99, done * 100 / size) : 0;
          return progress(ComponentHealth.of("DownloadJob", AIMStatus.Progressing, "Downloading", "Downloading with Job " + jobName, DependencyType.DOWNSTREAM), size, done, pct + "%", "Downloading");
        });
  }

  /** How long a download that failed for a reason a retry may fix waits before a fresh attempt (after Temporal's own). */
  static final Duration RETRY_AFTER = Duration.ofMinutes(10);

  @Override
  public StageResult artifactStartDownload(ResourceRef ref) {
    return Kube.stage(
        "DownloadJob",
        DependencyType.DOWNSTREAM,
        () -> {
          AIMArtifact artifact = kube.current(ref, AIMArtifact.class);
          String protocol = DownloadStages.protocolOf(artifact.getSpec().sourceUri);
          long size = sizeOf(artifact);
          Job job = downloadJobs.get(artifact);
          DownloadJobs.State state = DownloadJobs.state(job);
          AIMArtifactStatus status = artifact.getStatus();
          PersistentVolumeClaim pvc = downloadJobs.claim(artifact);
          if (pvc == null || pvc.getMetadata().getDeletionTimestamp() != null) {
            // Gone between the storage stage and this one: the next pass creates it again first.
            String claim = DownloadJobs.claimName(artifact);
            return StageResult.of(
                ComponentHealth.of(
                    "DownloadJob", AIMStatus.Progressing, "PVCPending", "Waiting for PVC " + claim + " before downloading", DependencyType.DOWNSTREAM));
          }
          boolean claimReplaced = claimNewerThanVerification(pvc, artifact);
          if (job != null && DownloadJobs.forAnotherClaim(job, pvc)) {
            // The PVC was deleted and created again: what this Job downloaded went with the old one.
            log.info("{}: download Job {} wrote into an earlier PVC {}; downloading again", ref, job.getMetadata().getName(), pvc.getMetadata().getName());
            downloadJobs.deleteAndWait(job, () -> {});
            job = null;
            state = DownloadJobs.State.NONE;
            claimReplaced = true;
          }
          boolean wasVerified = status != null && status.status == ResourceStatusValue.Ready && !claimReplaced;
          if (state == DownloadJobs.State.COMPLETE || (state == DownloadJobs.State.NONE && wasVerified)) {
            // Verified once; a later re-verification is cache warming's business.
            return DownloadStages.verified(job == null ? null : job.getMetadata().getName(), size, protocol);
          }
          if (job != null && DownloadJobs.forOlderSpec(job, artifact)) {
            log.info("download Job {} was made for an older spec of {}; replacing it", job.getMetadata().getName(), ref);
            downloadJobs.deleteAndWait(job, () -> {});
            job = null;
            state = DownloadJobs.State.NONE;
          }
          if (state == DownloadJobs.State.FAILED) {
            DownloadJobs.Failure failure = downloadJobs.classify(job);
            Instant failedAt = DownloadJobs.failedAt(job);
            Instant retryAt = failedAt == null ? null : failedAt.plus(RETRY_AFTER);
            if (!failure.retryable() || retryAt == null || retryAt.isAfter(Instant.now())) {
              return DownloadStages.failed(failure, job.getMetadata().getName(), failure.retryable() ? retryAt : null, protocol);
            }
            log.info("retrying the download of {} with a fresh Job after {}", ref, failure.reason());
            downloadJobs.deleteAndWait(job, () -> {});
            state = DownloadJobs.State.NONE;
          }
          if (state == DownloadJobs.State.NONE) {
            job = downloadJobs.create(artifact, size, List.of());
            log.info("created download Job {}/{}", ref.namespace(), job.getMetadata().getName());
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("progress", DownloadStages.running(size, 0));
            fields.put("download", DownloadStages.download(protocol, 1, null, "Starting"));
            return DownloadStages.downloading(
                job.getMetadata().getName(), List.of(), fields, "Download Job " + job.getMetadata().getName() + " created");
          }
          // Running: progress belongs to the activity that follows the Job.
          return DownloadStages.downloading(
              job.getMetadata().getName(), downloadJobs.pods(job), Map.of(), "Downloading with Job " + job.getMetadata().getName());
        });
  }

  /**
   * Whether the PVC was created at or after the moment the artifact last became Ready: a PVC deleted by hand and
   * created again is empty, whatever the artifact's status says (a Job left behind tells the same by its {@link
   * ArtifactManifests#PVC_UID}; this covers the case that no Job is left). Timestamps have seconds, so a claim created
   * in the same second counts as newer: one needless download, which finds the files and completes, is cheaper than
   * an empty cache taken as Ready.
   */
  static boolean claimNewerThanVerification(PersistentVolumeClaim pvc, AIMArtifact artifact) {
    Condition ready = artifact.getStatus() == null ? null : Conditions.find(artifact.getStatus().conditions, "Ready");
    Instant verifiedAt = ready == null || !"True".equals(ready.getStatus()) ? null : DownloadJobs.instant(ready.getLastTransitionTime());
    Instant created = DownloadJobs.instant(pvc.getMetadata().getCreationTimestamp());
    return verifiedAt != null && created != null && !created.isBefore(verifiedAt);
  }

  /** The artifact's size in bytes: {@code spec.size}, else the discovered size, else 0 (unknown). */
  static long sizeOf(AIMArtifact artifact) {
    long size = Sizes.bytes(artifact.getSpec().size);
    if (size <= 0 && artifact.getStatus() != null && artifact.getStatus().discoveredSizeBytes != null) {
      size = artifact.getStatus().discoveredSizeBytes;
    }
    return size;
  }

  private static StageResult progress(ComponentHealth h, long total, long done, String display, String message) {
    AIMArtifactStatus.Progress p = new AIMArtifactStatus.Progress();
    p.totalBytes = total;
    p.downloadedBytes = done;
    p.percentage = total > 0 ? (int) Math.min(100, done * 100 / total) : 0;
    p.displayPercentage = display;
    AIMArtifactStatus.Download d = new AIMArtifactStatus.Download();
    d.message = message;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("progress", p);
    if (!h.state().equals(aim.orchestrator.model.AIMStatus.Progressing)) {
      // While the download runs, status.download belongs to the downloader (protocol, attempt, message).
      fields.put("download", d);
    }
    return new StageResult(List.of(h), fields, null, null);
  }
}
