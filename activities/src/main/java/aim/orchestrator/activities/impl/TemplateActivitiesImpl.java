package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.TemplateActivities;
import aim.orchestrator.discovery.DiscoveryBackoff;
import aim.orchestrator.discovery.DiscoveryJobManifest;
import aim.orchestrator.discovery.DiscoveryOutput;
import aim.orchestrator.hardware.GpuInventory;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSource;
import aim.orchestrator.model.AIMModelSpec;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.Aim;
import aim.orchestrator.render.Owners;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AIMServiceTemplate and AIMClusterServiceTemplate stages. */
public class TemplateActivitiesImpl implements TemplateActivities {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TemplateActivitiesImpl.class);

  private final Kube kube;
  private final Clock clock;
  private final String operatorNamespace;
  private final DiscoverySlots slots;

  /** The reference's limit on discovery Jobs running at once across the installation. */
  public static final int DISCOVERY_LIMIT = DiscoverySlots.DEFAULT_LIMIT;

  /** With the system clock, the operator namespace {@code aim-system} and the reference's limit of 10 Jobs. */
  public TemplateActivitiesImpl(Kube kube) {
    this(kube, Clock.systemUTC(), "aim-system", DISCOVERY_LIMIT);
  }

  /**
   * @param operatorNamespace where cluster templates' discovery Jobs run and the discovery Lease lives
   * @param discoveryLimit most discovery Jobs running at once across the installation
   */
  public TemplateActivitiesImpl(Kube kube, Clock clock, String operatorNamespace, int discoveryLimit) {
    this.kube = kube;
    this.clock = clock;
    this.operatorNamespace = operatorNamespace;
    this.slots = new DiscoverySlots(kube.client(), operatorNamespace, discoveryLimit, clock);
  }

  @Override
  public StageResult model(ResourceRef ref) {
    boolean cluster = "AIMClusterServiceTemplate".equals(ref.kind());
    String component = cluster ? "ClusterModel" : "Model";
    return Kube.stage(
        component,
        DependencyType.UPSTREAM,
        () -> {
          AIMServiceTemplateSpecCommon spec = spec(kube.current(ref, HasMetadata.class));
          HasMetadata model =
              cluster
                  ? kube.aim(AIMClusterModel.class).withName(spec.modelName).get()
                  : kube.aim(AIMModel.class).inNamespace(ref.namespace()).withName(spec.modelName).get();
          if (model == null) {
            return StageResult.of(
                ComponentHealth.error(
                    component,
                    ErrorCategory.MISSING_UPSTREAM,
                    "ModelNotFound",
                    (cluster ? "AIMClusterModel" : "AIMModel") + " \"" + spec.modelName + "\" not found",
                    DependencyType.UPSTREAM));
          }
          // The model's own readiness depends on its templates, so a template only needs the model to exist.
          AIMResolvedReference resolved =
              new AIMResolvedReference(
                  model.getMetadata().getName(),
                  model.getMetadata().getNamespace(),
                  cluster ? AIMScope.Cluster : AIMScope.Namespace,
                  model.getKind(),
                  model.getMetadata().getUid());
          return new StageResult(
              List.of(ComponentHealth.ready(component, "ModelFound", model.getKind() + " " + spec.modelName + " found", DependencyType.UPSTREAM)),
              Map.of("resolvedModel", resolved),
              resolved,
              null);
        });
  }

  @Override
  public StageResult gpu(ResourceRef ref) {
    return Kube.stage(
        "GPU",
        DependencyType.UPSTREAM,
        () -> {
          AIMServiceTemplateSpecCommon spec = spec(kube.current(ref, HasMetadata.class));
          var gpu = spec.hardware == null ? null : spec.hardware.gpu;
          boolean needsGpu =
              gpu != null && ((gpu.requests != null && gpu.requests > 0) || (gpu.model != null && !gpu.model.isEmpty()));
          if (!needsGpu) {
            return StageResult.none();
          }
          GpuInventory inventory =
              GpuInventory.fromNodeLabels(
                  kube.client().nodes().list().getItems().stream().map(n -> n.getMetadata().getLabels()).toList());
          if (gpu.model != null && !gpu.model.isEmpty()) {
            return inventory.has(gpu.model)
                ? StageResult.of(ComponentHealth.ready("GPU", "GPUAvailable", gpu.model + " is available", DependencyType.UPSTREAM))
                : StageResult.of(
                    ComponentHealth.of(
                        "GPU",
                        AIMStatus.NotAvailable,
                        "GPUNotAvailable",
                        "No node has a " + gpu.model + " GPU (cluster has: " + inventory.models() + ")",
                        DependencyType.UPSTREAM));
          }
          if (gpu.minVram != null) {
            return inventory.hasVram(gpu.minVram)
                ? StageResult.of(ComponentHealth.ready("GPU", "VRAMAvailable", "A GPU with at least " + gpu.minVram + " is available", DependencyType.UPSTREAM))
                : StageResult.of(
                    ComponentHealth.of("GPU", AIMStatus.NotAvailable, "VRAMNotAvailable", "No GPU with at least " + gpu.minVram + " of memory", DependencyType.UPSTREAM));
          }
          return inventory.hasAnyGpu()
              ? StageResult.of(ComponentHealth.ready("GPU", "GPUAvailable", "GPUs are available", DependencyType.UPSTREAM))
              : StageResult.of(ComponentHealth.of("GPU", AIMStatus.NotAvailable, "GPUNotAvailable", "No node has an AMD GPU", DependencyType.UPSTREAM));
        });
  }

  @Override
  public StageResult ensureCache(ResourceRef ref) {
    return Kube.stage(
        "TemplateCache",
        DependencyType.DOWNSTREAM,
        () -> {
          HasMetadata object = kube.current(ref, HasMetadata.class);
          if (!TemplateCaches.cachingEnabled(object)) {
            return StageResult.none();
          }
          AIMServiceTemplate template = (AIMServiceTemplate) object;
          String ns = template.getMetadata().getNamespace();
          String name = template.getMetadata().getName();
          AIMTemplateCache existing = kube.aim(AIMTemplateCache.class).inNamespace(ns).withName(name).get();
          if (existing != null && !Owners.ownedBy(existing, template.getMetadata().getUid())) {
            // Someone else's cache of that name (made by hand, or by an earlier template of this name): leave it.
            return StageResult.none();
          }
          AIMTemplateCache cache = TemplateCaches.templateOwned(template);
          kube.apply(cache);
          if (existing == null) {
            log.info("created AIMTemplateCache {}/{} for the template's caching", ns, name);
          }
          return StageResult.none();
        });
  }

  @Override
  public StageResult discovery(ResourceRef ref) {
    return Kube.stage(
        "DiscoveryJob",
        DependencyType.DOWNSTREAM,
        () -> {
          HasMetadata template = kube.current(ref, HasMetadata.class);
          AIMServiceTemplateSpecCommon spec = spec(template);
          if (spec.modelSources != null && !spec.modelSources.isEmpty()) {
            return inlineSources(spec);
          }
          return discover(ref, template, spec);
        });
  }

  /** Inline model sources: no discovery; the profile is what the spec says. */
  private static StageResult inlineSources(AIMServiceTemplateSpecCommon spec) {
    Map<String, Object> fields = new LinkedHashMap<>();
    // Per-source env may hold credentials typed inline: it stays in the spec and never enters a workflow
    // payload. The template cache reads it from the spec when it creates the artifacts.
    fields.put("modelSources", spec.modelSources.stream().map(TemplateActivitiesImpl::withoutEnv).toList());
    AIMServiceTemplateStatus.Profile profile = new AIMServiceTemplateStatus.Profile();
    AIMServiceTemplateStatus.ProfileMetadata md = new AIMServiceTemplateStatus.ProfileMetadata();
    var gpu = spec.hardware == null ? null : spec.hardware.gpu;
    md.gpu = gpu == null ? null : gpu.model;
    md.gpuCount = gpu == null ? null : gpu.requests;
    md.metric = spec.metric == null ? null : spec.metric.name();
    md.precision = spec.precision == null ? null : spec.precision.name();
    md.type = spec.type == null ? null : spec.type.name();
    profile.metadata = md;
    fields.put("profile", profile);
    if (spec.hardware != null) {
      fields.put("resolvedHardware", spec.hardware);
      fields.put("hardwareSummary", summary(spec.hardware));
    }
    NodeAffinity affinity = affinity(spec.hardware);
    if (affinity != null) {
      fields.put("resolvedNodeAffinity", affinity);
    }
    return new StageResult(List.of(), fields, null, null)
        .withConditions(ConditionSpec.isTrue("Discovered", "InlineModelSources", "Model sources given inline; no discovery needed"));
  }

  /**
   * Discovery from the model's image (spec §3.4): reuse a finished discovery for the same spec; else read the
   * newest discovery Job's outcome; else start a Job when the backoff allows and a slot is free.
   */
  private StageResult discover(ResourceRef ref, HasMetadata template, AIMServiceTemplateSpecCommon spec) {
    boolean cluster = template instanceof AIMClusterServiceTemplate;
    AIMServiceTemplateStatus status = status(template);
    HasMetadata model =
        cluster
            ? kube.aim(AIMClusterModel.class).withName(spec.modelName).get()
            : kube.aim(AIMModel.class).inNamespace(ref.namespace()).withName(spec.modelName).get();
    if (model == null) {
      // The model stage reports the missing model; nothing to discover from.
      return StageResult.of(ComponentHealth.of("DiscoveryJob", AIMStatus.Pending, "JobNotCreated", "Waiting for the model", DependencyType.DOWNSTREAM));
    }
    AIMModelSpec modelSpec = model instanceof AIMModel m ? m.getSpec() : ((AIMClusterModel) model).getSpec();
    String specHash = DiscoveryJobManifest.specHash(spec, modelSpec.image);
    AIMServiceTemplateStatus.Discovery bookkeeping = status == null ? null : status.discovery;
    if (bookkeeping != null && !specHash.equals(bookkeeping.specHash)) {
      bookkeeping = null; // the spec changed: a fresh start, backoff reset
    }
    if (bookkeeping == null) {
      bookkeeping = new AIMServiceTemplateStatus.Discovery();
      bookkeeping.attempts = 0;
      bookkeeping.specHash = specHash;
    }
    if (status != null && status.profile != null && status.modelSources != null && !status.modelSources.isEmpty()
        && bookkeeping.lastFailureReason == null && bookkeeping.lastAttemptTime != null) {
      return discovered(spec, status.profile, status.modelSources, status.discoveryJob, bookkeeping);
    }
    String jobNamespace = cluster ? operatorNamespace : ref.namespace();
    DiscoveryJobManifest.Inputs inputs =
        new DiscoveryJobManifest.Inputs(
            template, spec, modelSpec.image, modelSpec.imagePullSecrets, modelSpec.serviceAccountName, jobNamespace);
    Job job = newestJob(jobNamespace, template.getMetadata().getName());
    if (job != null && !ownedBy(job, template)) {
      job = null; // a Job of an earlier template of the same name
    }
    if (job != null && jobSucceeded(job)) {
      return readOutcome(spec, job, bookkeeping);
    }
    if (job != null && jobFailed(job)) {
      String reason = failureOf(job);
      return failed(job, bookkeeping, "DiscoveryFailed", reason);
    }
    if (job != null) {
      ComponentHealth pods = PodHealth.of("DiscoveryPods", pods(job));
      List<ComponentHealth> components = new ArrayList<>();
      components.add(ComponentHealth.of("DiscoveryJob", AIMStatus.Progressing, "JobRunning", "Discovery Job " + job.getMetadata().getName() + " is running", DependencyType.DOWNSTREAM));
      if (!pods.isReady() && !"PodsNotCreated".equals(pods.reason()) && !"PodPending".equals(pods.reason())) {
        components.add(pods);
      }
      return new StageResult(components, Map.of("discovery", bookkeeping, "discoveryJob", jobRef(job)), null, null)
          .withConditions(ConditionSpec.isFalse("Discovered", "AwaitingDiscovery", "Discovery Job " + job.getMetadata().getName() + " is running"));
    }
    Instant now = clock.instant();
    Instant next =
        DiscoveryBackoff.nextAttempt(
            bookkeeping.attempts == null ? 0 : bookkeeping.attempts,
            bookkeeping.lastAttemptTime == null ? null : Instant.parse(bookkeeping.lastAttemptTime));
    if (bookkeeping.lastFailureReason != null && next != null && now.isBefore(next)) {
      String message = bookkeeping.lastFailureReason + "; attempt " + (bookkeeping.attempts + 1) + " at " + next;
      return new StageResult(
              List.of(ComponentHealth.error("DiscoveryJob", ErrorCategory.INVALID_SPEC, "DiscoveryFailed", message, DependencyType.DOWNSTREAM)),
              Map.of("discovery", bookkeeping),
              null,
              null)
          .withConditions(ConditionSpec.isFalse("Discovered", "DiscoveryFailed", message));
    }
    DiscoverySlots.Result slot = slots.tryCreate(DiscoveryJobManifest.build(inputs));
    if (slot.outcome() == DiscoverySlots.Outcome.WAIT) {
      return new StageResult(
              List.of(ComponentHealth.of("DiscoveryJob", AIMStatus.Pending, "WaitingForDiscoverySlot", "Waiting to start discovery: " + slot.reason(), DependencyType.DOWNSTREAM)),
              Map.of("discovery", bookkeeping),
              null,
              null)
          .withConditions(ConditionSpec.isFalse("Discovered", "AwaitingDiscovery", "Waiting for a discovery slot"));
    }
    AIMServiceTemplateStatus.Discovery started = copy(bookkeeping);
    started.lastAttemptTime = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    String name = DiscoveryJobManifest.name(inputs);
    ObjectReference jobRef = new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withName(name).withNamespace(jobNamespace).build();
    return new StageResult(
            List.of(ComponentHealth.of("DiscoveryJob", AIMStatus.Progressing, "JobCreated", "Discovery Job " + name + " created", DependencyType.DOWNSTREAM)),
            Map.of("discovery", started, "discoveryJob", jobRef),
            null,
            null)
        .withConditions(ConditionSpec.isFalse("Discovered", "AwaitingDiscovery", "Discovery Job " + name + " started"));
  }

  /** A completed Job: parse the discovery container's log. */
  private StageResult readOutcome(AIMServiceTemplateSpecCommon spec, Job job, AIMServiceTemplateStatus.Discovery bookkeeping) {
    Pod succeeded =
        pods(job).stream().filter(p -> p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase())).findFirst().orElse(null);
    if (succeeded == null) {
      return failed(job, bookkeeping, "DiscoveryFailed", "the discovery Job completed but no succeeded Pod is left to read");
    }
    String log =
        kube.client().pods().inNamespace(job.getMetadata().getNamespace()).withName(succeeded.getMetadata().getName())
            .inContainer(DiscoveryJobManifest.CONTAINER).getLog();
    DiscoveryOutput.Result result;
    try {
      result = DiscoveryOutput.parse(log);
    } catch (DiscoveryOutput.InvalidOutputException e) {
      return failed(job, bookkeeping, e.problem().reason(), e.getMessage());
    }
    AIMServiceTemplateStatus.Discovery done = copy(bookkeeping);
    done.lastFailureReason = null;
    if (done.lastAttemptTime == null) {
      done.lastAttemptTime = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
    return discovered(spec, result.profile(), result.modelSources(), jobRef(job), done);
  }

  /** The template's discovered state: profile, sources, hardware resolved from the profile, affinity from the spec. */
  private static StageResult discovered(
      AIMServiceTemplateSpecCommon spec,
      AIMServiceTemplateStatus.Profile profile,
      List<AIMModelSource> sources,
      ObjectReference job,
      AIMServiceTemplateStatus.Discovery bookkeeping) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("profile", profile);
    fields.put("modelSources", sources);
    AIMHardwareRequirements hw = resolvedHardware(spec.hardware, profile);
    if (hw != null) {
      fields.put("resolvedHardware", hw);
      fields.put("hardwareSummary", summary(hw));
    }
    NodeAffinity affinity = affinity(spec.hardware);
    if (affinity != null) {
      fields.put("resolvedNodeAffinity", affinity);
    }
    if (job != null) {
      fields.put("discoveryJob", job);
    }
    fields.put("discovery", bookkeeping);
    String what = profile.metadata == null ? "a profile" : describe(profile.metadata);
    return new StageResult(
            List.of(ComponentHealth.ready("DiscoveryJob", "DiscoveryComplete", "Discovered " + what, DependencyType.DOWNSTREAM)),
            fields,
            null,
            null)
        .withConditions(ConditionSpec.isTrue("Discovered", "DiscoveryComplete", "Discovered " + what));
  }

  /**
   * A failed attempt: counted, the reason kept, and the Job deleted at once so the next attempt (after the backoff)
   * never collides with it.
   */
  private StageResult failed(Job job, AIMServiceTemplateStatus.Discovery bookkeeping, String reason, String message) {
    AIMServiceTemplateStatus.Discovery after = copy(bookkeeping);
    after.attempts = (after.attempts == null ? 0 : after.attempts) + 1;
    after.lastFailureReason = reason + ": " + message;
    if (after.lastAttemptTime == null) {
      after.lastAttemptTime = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
    kube.client().batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
        .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
    Instant next = DiscoveryBackoff.nextAttempt(after.attempts, Instant.parse(after.lastAttemptTime));
    String full = message + " (attempt " + after.attempts + "; next at " + next + ")";
    return new StageResult(
            List.of(ComponentHealth.error("DiscoveryJob", ErrorCategory.INVALID_SPEC, reason, full, DependencyType.DOWNSTREAM)),
            Map.of("discovery", after),
            null,
            null)
        .withConditions(ConditionSpec.isFalse("Discovered", "DiscoveryFailed", full));
  }

  /** Hardware after discovery: GPU count and model from the profile (even a count of 0), the rest from the spec. */
  static AIMHardwareRequirements resolvedHardware(AIMHardwareRequirements spec, AIMServiceTemplateStatus.Profile profile) {
    var md = profile == null ? null : profile.metadata;
    if (md == null || (md.gpu == null && md.gpuCount == null)) {
      return spec;
    }
    AIMHardwareRequirements hw = new AIMHardwareRequirements();
    hw.cpu = spec == null ? null : spec.cpu;
    hw.gpu = new aim.orchestrator.model.AIMGpuRequirements();
    hw.gpu.requests = md.gpuCount == null ? 0 : md.gpuCount;
    hw.gpu.model = md.gpu;
    if (spec != null && spec.gpu != null) {
      hw.gpu.resourceName = spec.gpu.resourceName;
      hw.gpu.minVram = spec.gpu.minVram;
    }
    return hw;
  }

  private static String describe(AIMServiceTemplateStatus.ProfileMetadata md) {
    List<String> parts = new ArrayList<>();
    for (String p : new String[] {md.engine, md.gpuCount == null ? null : md.gpuCount + " x " + md.gpu, md.precision, md.metric, md.type}) {
      if (p != null) {
        parts.add(p);
      }
    }
    return "profile " + String.join(" ", parts);
  }

  private Job newestJob(String namespace, String template) {
    return kube.client().batch().v1().jobs().inNamespace(namespace).withLabel(aim.orchestrator.model.Aim.LABEL_TEMPLATE, template).list().getItems().stream()
        .filter(j -> DiscoveryJobManifest.APP_NAME.equals(j.getMetadata().getLabels().get("app.kubernetes.io/name")))
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
        .max(java.util.Comparator.comparing((Job j) -> String.valueOf(j.getMetadata().getCreationTimestamp())))
        .orElse(null);
  }

  private static boolean ownedBy(Job job, HasMetadata template) {
    return aim.orchestrator.render.Owners.ownedBy(job, template.getMetadata().getUid());
  }

  private List<Pod> pods(Job job) {
    return kube.client().pods().inNamespace(job.getMetadata().getNamespace()).withLabel("job-name", job.getMetadata().getName()).list().getItems();
  }

  private static boolean jobSucceeded(Job job) {
    return hasCondition(job, "Complete") || (job.getStatus() != null && job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0);
  }

  private static boolean jobFailed(Job job) {
    return hasCondition(job, "Failed");
  }

  private static boolean hasCondition(Job job, String type) {
    return job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Why a Job failed: its condition, and the failed container's termination reason, message and exit code. */
  private String failureOf(Job job) {
    StringBuilder why = new StringBuilder();
    job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()))
        .findFirst()
        .ifPresent(c -> why.append(c.getReason() == null ? "Failed" : c.getReason()).append(c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
    for (Pod pod : pods(job)) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (var cs : pod.getStatus().getContainerStatuses()) {
        var t = cs.getState() == null ? null : cs.getState().getTerminated();
        if (t != null && t.getExitCode() != null && t.getExitCode() != 0) {
          why.append("; container ").append(cs.getName()).append(" exited with ").append(t.getExitCode());
          if (t.getReason() != null) {
            why.append(" (").append(t.getReason()).append(")");
          }
          if (t.getMessage() != null && !t.getMessage().isBlank()) {
            String m = t.getMessage().strip();
            why.append(": ").append(m.length() > 300 ? m.substring(m.length() - 300) : m);
          }
          return why.toString();
        }
      }
    }
    return why.length() == 0 ? "the discovery Job failed" : why.toString();
  }

  private static ObjectReference jobRef(Job job) {
    return new ObjectReferenceBuilder()
        .withApiVersion("batch/v1")
        .withKind("Job")
        .withName(job.getMetadata().getName())
        .withNamespace(job.getMetadata().getNamespace())
        .withUid(job.getMetadata().getUid())
        .build();
  }

  private static AIMServiceTemplateStatus.Discovery copy(AIMServiceTemplateStatus.Discovery in) {
    AIMServiceTemplateStatus.Discovery out = new AIMServiceTemplateStatus.Discovery();
    out.attempts = in.attempts;
    out.lastAttemptTime = in.lastAttemptTime;
    out.lastFailureReason = in.lastFailureReason;
    out.specHash = in.specHash;
    return out;
  }

  private static AIMServiceTemplateStatus status(HasMetadata t) {
    return t instanceof AIMServiceTemplate nt ? nt.getStatus() : ((AIMClusterServiceTemplate) t).getStatus();
  }

  private static AIMModelSource withoutEnv(AIMModelSource in) {
    AIMModelSource out = new AIMModelSource();
    out.modelId = in.modelId;
    out.sourceUri = in.sourceUri;
    out.size = in.size;
    return out;
  }

  static String summary(AIMHardwareRequirements hw) {
    if (hw.gpu != null && hw.gpu.model != null && !hw.gpu.model.isEmpty()) {
      int n = hw.gpu.requests == null ? 0 : hw.gpu.requests;
      return n > 0 ? n + " x " + hw.gpu.model : hw.gpu.model;
    }
    if (hw.gpu != null && hw.gpu.requests != null && hw.gpu.requests > 0) {
      return hw.gpu.requests + " x GPU";
    }
    return "CPU";
  }

  /** Node affinity from the spec's GPU model: every PCI id of that model, in a deterministic order. */
  static NodeAffinity affinity(AIMHardwareRequirements hw) {
    if (hw == null || hw.gpu == null || hw.gpu.model == null || hw.gpu.model.isEmpty()) {
      return null;
    }
    return new NodeAffinityBuilder()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .withMatchExpressions(
            new NodeSelectorRequirementBuilder()
                .withKey("amd.com/gpu.device-id")
                .withOperator("In")
                .withValues(GpuInventory.deviceIds(hw.gpu.model))
                .build())
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .build();
  }

  private static AIMServiceTemplateSpecCommon spec(HasMetadata t) {
    return t instanceof AIMServiceTemplate nt ? nt.getSpec() : ((AIMClusterServiceTemplate) t).getSpec();
  }
}
