package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.hardware.GpuInventory;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMResolvedReference;
import aim.orchestrator.model.AIMRuntimeParameters;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec.AIMCachingMode;
import aim.orchestrator.model.AIMServiceStatus;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.render.Owners;
import aim.orchestrator.selection.Selection;
import aim.orchestrator.selection.SelectionRequest;
import aim.orchestrator.selection.TemplateCandidate;
import aim.orchestrator.selection.TemplateSelector;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves an AIMService's template (spec §3.5, §3.6): the resolved template while it stays Ready; an explicit
 * {@code template.name} (namespace, then cluster), through a derived template when the service has overrides; the
 * model's {@code defaultServiceTemplate}; else auto-selection. The outcome is written to
 * {@code status.templateSelection}.
 */
final class TemplateResolver {
  private static final Logger log = LoggerFactory.getLogger(TemplateResolver.class);
  static final String COMPONENT = "Template";

  private final Kube kube;

  TemplateResolver(Kube kube) {
    this.kube = kube;
  }

  StageResult resolve(AIMService svc, AIMResolvedReference model) {
    String ns = svc.getMetadata().getNamespace();
    var tref = svc.getSpec().template;
    String explicit = tref != null && tref.name != null && !tref.name.isEmpty() ? tref.name : null;
    AIMRuntimeParameters ov = svc.getSpec().overrides;

    // Sticky: keep the resolved template while it exists and stays Ready.
    AIMResolvedReference previous = svc.getStatus() == null ? null : svc.getStatus().resolvedTemplate;
    if (previous != null) {
      HasMetadata t = get(previous.name, ns, previous.scope);
      if (t != null && statusOf(t) != null && statusOf(t).status == ResourceStatusValue.Ready) {
        return health(t, null);
      }
    }

    if (explicit != null) {
      return explicit(svc, explicit, ov);
    }
    HasMetadata modelObj =
        model.scope == AIMScope.Cluster
            ? kube.aim(AIMClusterModel.class).withName(model.name).get()
            : kube.aim(AIMModel.class).inNamespace(model.namespace).withName(model.name).get();
    String defaultTemplate = modelObj == null ? null : modelSpecDefault(modelObj);
    if (defaultTemplate != null && !defaultTemplate.isEmpty()) {
      HasMetadata t = get(defaultTemplate, ns, null);
      if (t != null && statusOf(t) != null && statusOf(t).status == ResourceStatusValue.Ready) {
        return health(t, selection("ModelDefault", "Using the model's defaultServiceTemplate " + defaultTemplate, List.of()));
      }
    }
    return autoSelect(svc, model, ov);
  }

  private StageResult explicit(AIMService svc, String base, AIMRuntimeParameters ov) {
    String ns = svc.getMetadata().getNamespace();
    if (hasOverrides(ov)) {
      String derivedName = derivedName(base, ov);
      AIMServiceTemplate derived = kube.aim(AIMServiceTemplate.class).inNamespace(ns).withName(derivedName).get();
      if (derived != null) {
        return health(derived, selection("Derived", "Template " + derivedName + " is " + base + " with the service's overrides", List.of()));
      }
      HasMetadata baseTemplate = get(base, ns, null);
      if (baseTemplate == null) {
        return notFound(base);
      }
      if (statusOf(baseTemplate) == null || statusOf(baseTemplate).status != ResourceStatusValue.Ready) {
        return health(baseTemplate, null);
      }
      return createDerived(svc, baseTemplate, derivedName, ov, "Derived", "Creating " + derivedName + " from " + base + " with the service's overrides");
    }
    HasMetadata t = get(base, ns, null);
    return t == null ? notFound(base) : health(t, selection("Explicit", "template.name " + base, List.of()));
  }

  private StageResult autoSelect(AIMService svc, AIMResolvedReference model, AIMRuntimeParameters ov) {
    String ns = svc.getMetadata().getNamespace();
    boolean allowUnoptimized = svc.getSpec().template != null && Boolean.TRUE.equals(svc.getSpec().template.allowUnoptimized);
    List<HasMetadata> templates = new ArrayList<>();
    kube.aim(AIMServiceTemplate.class).inNamespace(ns).list().getItems().stream()
        .filter(t -> model.name.equals(t.getSpec().modelName))
        .forEach(templates::add);
    kube.aim(AIMClusterServiceTemplate.class).list().getItems().stream()
        .filter(t -> model.name.equals(t.getSpec().modelName))
        .forEach(templates::add);
    List<TemplateCandidate> candidates = templates.stream().map(TemplateResolver::candidate).toList();
    var clusterGpus =
        GpuInventory.fromNodeLabels(kube.client().nodes().list().getItems().stream().map(n -> n.getMetadata().getLabels()).toList())
            .models();
    AIMGpuRequirements ovGpu = ov == null || ov.hardware == null ? null : ov.hardware.gpu;
    SelectionRequest request =
        new SelectionRequest(
            model.name,
            allowUnoptimized,
            ov == null || ov.metric == null ? null : ov.metric.name(),
            ov == null || ov.precision == null ? null : ov.precision.name(),
            ovGpu == null ? null : ovGpu.model,
            ovGpu == null ? null : ovGpu.requests,
            clusterGpus,
            candidates);
    Selection s = TemplateSelector.select(request);
    if (s.outcome() == Selection.Outcome.Selected) {
      return health(get(s.chosen(), ns, s.chosenScope()), selection(s));
    }
    if (s.outcome() == Selection.Outcome.ServiceOverridesNotMatched) {
      // Seed 001: derive a template from the best candidate without the override filter; its own discovery
      // decides whether the image supports the overrides.
      Selection unfiltered =
          TemplateSelector.select(
              new SelectionRequest(model.name, allowUnoptimized, null, null, null, null, clusterGpus, candidates));
      if (unfiltered.outcome() == Selection.Outcome.Selected) {
        HasMetadata base = get(unfiltered.chosen(), ns, unfiltered.chosenScope());
        String derivedName = derivedName(unfiltered.chosen(), ov);
        AIMServiceTemplate derived = kube.aim(AIMServiceTemplate.class).inNamespace(ns).withName(derivedName).get();
        String message = "No template matches the overrides; derived " + derivedName + " from " + unfiltered.chosen();
        if (derived != null) {
          return health(derived, selection("Derived", message, selection(s).candidates));
        }
        return createDerived(svc, base, derivedName, ov, "Derived", message);
      }
    }
    boolean notReady = s.outcome() == Selection.Outcome.TemplatesExistButNotReady;
    String reason =
        notReady ? "TemplateNotReady" : s.outcome() == Selection.Outcome.TemplateSelectionAmbiguous ? "TemplateSelectionAmbiguous" : "TemplateNotFound";
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("templateSelection", selection(s));
    return new StageResult(
        List.of(ComponentHealth.of(COMPONENT, AIMStatus.Progressing, reason, s.message(), DependencyType.UPSTREAM)), fields, null, null);
  }

  private StageResult createDerived(
      AIMService svc, HasMetadata base, String name, AIMRuntimeParameters ov, String outcome, String message) {
    AIMServiceTemplateSpecCommon b = specOf(base);
    AIMServiceTemplate t = new AIMServiceTemplate();
    t.getMetadata().setName(name);
    t.getMetadata().setNamespace(svc.getMetadata().getNamespace());
    t.getMetadata().setLabels(Map.of(Aim.LABEL_MANAGED_BY, "aim-engine", Aim.LABEL_ORIGIN, "derived", Aim.LABEL_SERVICE, svc.getMetadata().getName()));
    t.getMetadata().setOwnerReferences(List.of(Owners.controller(svc)));
    AIMServiceTemplateSpec spec = kube.client().getKubernetesSerialization().convertValue(b, AIMServiceTemplateSpec.class);
    String rc = svc.getSpec().runtimeConfigName != null ? svc.getSpec().runtimeConfigName : b.runtimeConfigName;
    spec.runtimeConfigName = rc == null || rc.isEmpty() ? Aim.DEFAULT_RUNTIME_CONFIG : rc;
    if (ov.metric != null) {
      spec.metric = ov.metric;
    }
    if (ov.precision != null) {
      spec.precision = ov.precision;
    }
    if (ov.hardware != null) {
      spec.hardware = aim.orchestrator.hardware.Hardware.merge(spec.hardware, ov.hardware);
    }
    if (svc.getSpec().imagePullSecrets != null) {
      spec.imagePullSecrets = svc.getSpec().imagePullSecrets;
    }
    if (svc.getSpec().resources != null) {
      spec.resources = svc.getSpec().resources;
    }
    AIMCachingMode mode =
        svc.getSpec().caching == null || svc.getSpec().caching.mode == null ? AIMCachingMode.Shared : svc.getSpec().caching.mode.effective();
    if (mode == AIMCachingMode.Shared) {
      spec.caching = spec.caching == null ? new AIMServiceTemplateSpec.Caching() : spec.caching;
      spec.caching.enabled = true;
    }
    t.setSpec(spec);
    kube.apply(t);
    log.info("created derived AIMServiceTemplate {}/{} from {}", svc.getMetadata().getNamespace(), name, base.getMetadata().getName());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("templateSelection", selection(outcome, message, List.of()));
    return new StageResult(
        List.of(ComponentHealth.of(COMPONENT, AIMStatus.Progressing, "TemplateNotReady", message, DependencyType.UPSTREAM)), fields, null, null);
  }

  static boolean hasOverrides(AIMRuntimeParameters ov) {
    if (ov == null) {
      return false;
    }
    var gpu = ov.hardware == null ? null : ov.hardware.gpu;
    return ov.metric != null
        || ov.precision != null
        || (gpu != null && ((gpu.model != null && !gpu.model.isEmpty()) || (gpu.requests != null && gpu.requests > 0)));
  }

  /**
   * {@code generateDerivedTemplateName}: parts {@code [base, "ovr", gpu?, "<n>gpu"?, precision?, metric?]}, a 4-hex
   * hash over the present {@code ("gpu", model, "count", n, "precision", p, "metric", m)} pairs.
   */
  static String derivedName(String base, AIMRuntimeParameters ov) {
    List<String> parts = new ArrayList<>(List.of(base, "ovr"));
    List<Object> hash = new ArrayList<>();
    var gpu = ov.hardware == null ? null : ov.hardware.gpu;
    if (gpu != null && gpu.model != null && !gpu.model.isEmpty()) {
      parts.add(gpu.model.toLowerCase(Locale.ROOT));
      hash.add("gpu");
      hash.add(gpu.model);
    }
    if (gpu != null && gpu.requests != null && gpu.requests > 0) {
      parts.add(gpu.requests + "gpu");
      hash.add("count");
      hash.add(gpu.requests);
    }
    if (ov.precision != null) {
      parts.add(ov.precision.name());
      hash.add("precision");
      hash.add(ov.precision.name());
    }
    if (ov.metric != null) {
      parts.add(ov.metric.name());
      hash.add("metric");
      hash.add(ov.metric.name());
    }
    return DerivedNames.derive(parts, hash, 4, DerivedNames.MAX_NAME_LENGTH);
  }

  private StageResult notFound(String name) {
    return StageResult.of(
        ComponentHealth.error(
            COMPONENT,
            ErrorCategory.MISSING_UPSTREAM,
            "TemplateNotFound",
            "AIMServiceTemplate or AIMClusterServiceTemplate \"" + name + "\" not found",
            DependencyType.UPSTREAM));
  }

  private StageResult health(HasMetadata t, AIMServiceStatus.TemplateSelection selection) {
    AIMServiceTemplateStatus status = statusOf(t);
    AIMStatus state = Health.of(status == null ? null : status.status);
    AIMScope scope = t instanceof AIMServiceTemplate ? AIMScope.Namespace : AIMScope.Cluster;
    AIMResolvedReference ref =
        new AIMResolvedReference(t.getMetadata().getName(), t.getMetadata().getNamespace(), scope, t.getKind(), t.getMetadata().getUid());
    String name = t.getKind() + " " + t.getMetadata().getName();
    Map<String, Object> fields = new LinkedHashMap<>();
    if (selection != null) {
      fields.put("templateSelection", selection);
    }
    ComponentHealth h =
        switch (state) {
          case Ready -> {
            fields.put("resolvedTemplate", ref);
            yield ComponentHealth.ready(COMPONENT, "Resolved", name + " is ready", DependencyType.UPSTREAM);
          }
          case NotAvailable -> ComponentHealth.of(COMPONENT, AIMStatus.NotAvailable, "TemplateNotAvailable", name + " is NotAvailable: the cluster lacks its GPU", DependencyType.UPSTREAM);
          case Failed, Degraded -> ComponentHealth.of(COMPONENT, AIMStatus.Failed, "TemplateNotReady", name + " is " + state, DependencyType.UPSTREAM);
          default -> ComponentHealth.of(COMPONENT, AIMStatus.Progressing, "TemplateNotReady", name + " is " + state, DependencyType.UPSTREAM);
        };
    return new StageResult(List.of(h), fields, state == AIMStatus.Ready ? ref : null, null);
  }

  /** Namespace template first, then cluster template (or only the given scope). */
  private HasMetadata get(String name, String ns, AIMScope scope) {
    if (scope != AIMScope.Cluster) {
      AIMServiceTemplate t = kube.aim(AIMServiceTemplate.class).inNamespace(ns).withName(name).get();
      if (t != null || scope == AIMScope.Namespace) {
        return t;
      }
    }
    return kube.aim(AIMClusterServiceTemplate.class).withName(name).get();
  }

  static TemplateCandidate candidate(HasMetadata t) {
    AIMServiceTemplateSpecCommon spec = specOf(t);
    AIMServiceTemplateStatus status = statusOf(t);
    var md = status == null || status.profile == null ? null : status.profile.metadata;
    var gpu = spec.hardware == null ? null : spec.hardware.gpu;
    // The profile's type first; a template without a profile type falls back to its spec type (else unoptimized).
    String type = md != null && md.type != null ? md.type : spec.type == null ? null : spec.type.name();
    String gpuModel = gpu != null && gpu.model != null && !gpu.model.isEmpty() ? gpu.model : md == null ? null : md.gpu;
    Integer gpuCount = gpu != null && gpu.requests != null ? gpu.requests : md == null ? null : md.gpuCount;
    String metric = md != null && md.metric != null ? md.metric : spec.metric == null ? null : spec.metric.name();
    String precision = md != null && md.precision != null ? md.precision : spec.precision == null ? null : spec.precision.name();
    return new TemplateCandidate(
        t.getMetadata().getName(),
        t instanceof AIMServiceTemplate ? AIMScope.Namespace : AIMScope.Cluster,
        status == null ? null : status.status,
        type,
        gpuModel,
        gpuCount,
        metric,
        precision);
  }

  /** At most this many candidates are listed in status (and so in the workflow history); the message counts all. */
  static final int MAX_LISTED_CANDIDATES = 32;

  private static AIMServiceStatus.TemplateSelection selection(Selection s) {
    List<AIMServiceStatus.Candidate> candidates = new ArrayList<>();
    // The chosen or tied candidates first, so they survive the cap.
    List<Selection.CandidateResult> ordered = new ArrayList<>(s.candidates());
    ordered.sort(java.util.Comparator.comparingInt(c -> "Rejected".equals(c.result()) ? 1 : 0));
    for (var c : ordered.subList(0, Math.min(ordered.size(), MAX_LISTED_CANDIDATES))) {
      AIMServiceStatus.Candidate out = new AIMServiceStatus.Candidate();
      out.name = c.name();
      out.scope = c.scope().name();
      out.stage = c.stage();
      out.result = c.result();
      out.reason = c.reason();
      candidates.add(out);
    }
    String message = s.message();
    if (ordered.size() > MAX_LISTED_CANDIDATES) {
      message += " (" + (ordered.size() - MAX_LISTED_CANDIDATES) + " more candidates not listed)";
    }
    return selection(s.outcome().name(), message, candidates);
  }

  private static AIMServiceStatus.TemplateSelection selection(
      String outcome, String message, List<AIMServiceStatus.Candidate> candidates) {
    AIMServiceStatus.TemplateSelection sel = new AIMServiceStatus.TemplateSelection();
    sel.outcome = outcome;
    sel.message = message;
    sel.candidates = candidates.isEmpty() ? null : candidates;
    return sel;
  }

  private static String modelSpecDefault(HasMetadata m) {
    return m instanceof AIMModel am ? am.getSpec().defaultServiceTemplate : ((AIMClusterModel) m).getSpec().defaultServiceTemplate;
  }

  static AIMServiceTemplateStatus statusOf(HasMetadata t) {
    return t instanceof AIMServiceTemplate nt ? nt.getStatus() : ((AIMClusterServiceTemplate) t).getStatus();
  }

  static AIMServiceTemplateSpecCommon specOf(HasMetadata t) {
    return t instanceof AIMServiceTemplate nt ? nt.getSpec() : ((AIMClusterServiceTemplate) t).getSpec();
  }
}
