package aim.orchestrator.starter.watch;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.Aim;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Who depends on whom, answered from the informers' caches (no API calls): when an object's status changes, which
 * resources' workflows should look again. This is how a model turning Ready, a template failing, a cache finishing
 * its download or a runtime config appearing reaches every affected service within seconds instead of at the next
 * timer.
 */
final class Dependents {
  private final Function<Class<? extends HasMetadata>, Collection<? extends HasMetadata>> cache;

  /** @param cache the current objects of a kind, from the informer store */
  Dependents(Function<Class<? extends HasMetadata>, Collection<? extends HasMetadata>> cache) {
    this.cache = cache;
  }

  /** The resources to wake when {@code changed} changed its status or went away. */
  List<HasMetadata> of(HasMetadata changed) {
    List<HasMetadata> out = new ArrayList<>();
    String name = changed.getMetadata().getName();
    String ns = changed.getMetadata().getNamespace();
    if (changed instanceof AIMModel || changed instanceof AIMClusterModel) {
      String image = changed instanceof AIMModel m ? m.getSpec().image : ((AIMClusterModel) changed).getSpec().image;
      for (AIMService s : services(ns)) {
        var model = s.getSpec().model;
        boolean resolved = s.getStatus() != null && s.getStatus().resolvedModel != null && name.equals(s.getStatus().resolvedModel.name);
        if (resolved || (model != null && (name.equals(model.name) || (image != null && image.equals(model.image))))) {
          out.add(s);
        }
      }
    } else if (changed instanceof AIMServiceTemplate || changed instanceof AIMClusterServiceTemplate) {
      AIMServiceTemplateSpecCommon spec =
          changed instanceof AIMServiceTemplate t ? t.getSpec() : ((AIMClusterServiceTemplate) changed).getSpec();
      String modelName = spec == null ? null : spec.modelName;
      for (HasMetadata m : changed instanceof AIMServiceTemplate ? objects(AIMModel.class) : objects(AIMClusterModel.class)) {
        if (Objects.equals(modelName, m.getMetadata().getName()) && (ns == null || ns.equals(m.getMetadata().getNamespace()))) {
          out.add(m);
        }
      }
      for (AIMService s : services(ns)) {
        var st = s.getStatus();
        boolean explicit = s.getSpec().template != null && name.equals(s.getSpec().template.name);
        boolean resolved = st != null && st.resolvedTemplate != null && name.equals(st.resolvedTemplate.name);
        // Auto-selected services may switch to (or away from) any template of their model.
        boolean candidate = st != null && st.resolvedModel != null && Objects.equals(modelName, st.resolvedModel.name);
        if (explicit || resolved || candidate) {
          out.add(s);
        }
      }
      for (AIMTemplateCache c : objects(AIMTemplateCache.class)) {
        if (name.equals(c.getSpec().templateName) && (ns == null || ns.equals(c.getMetadata().getNamespace()))) {
          out.add(c);
        }
      }
    } else if (changed instanceof AIMTemplateCache) {
      for (AIMService s : services(ns)) {
        var st = s.getStatus();
        boolean labelled = s.getMetadata().getName().equals(label(changed, Aim.LABEL_SERVICE));
        boolean resolved = st != null && st.cache != null && st.cache.templateCacheRef != null && name.equals(st.cache.templateCacheRef.name);
        if (labelled || resolved) {
          out.add(s);
        }
      }
    } else if (changed instanceof AIMArtifact) {
      for (AIMTemplateCache c : objects(AIMTemplateCache.class)) {
        if (!Objects.equals(ns, c.getMetadata().getNamespace())) {
          continue;
        }
        boolean labelled = c.getMetadata().getName().equals(label(changed, Aim.LABEL_TEMPLATE_CACHE_NAME));
        boolean listed = c.getStatus() != null && c.getStatus().artifacts != null && c.getStatus().artifacts.containsKey(name);
        if (labelled || listed) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** Resources that name a runtime config (by {@code spec.runtimeConfigName}; empty means {@code default}). */
  List<HasMetadata> usingRuntimeConfig(String configName, String namespace) {
    List<HasMetadata> out = new ArrayList<>();
    for (Class<? extends HasMetadata> kind :
        List.of(AIMService.class, AIMModel.class, AIMClusterModel.class, AIMServiceTemplate.class, AIMClusterServiceTemplate.class, AIMTemplateCache.class, AIMArtifact.class)) {
      for (HasMetadata o : objects(kind)) {
        if (namespace != null && o.getMetadata().getNamespace() != null && !namespace.equals(o.getMetadata().getNamespace())) {
          continue;
        }
        String wanted = runtimeConfigName(o);
        if (configName.equals(wanted == null || wanted.isEmpty() ? Aim.DEFAULT_RUNTIME_CONFIG : wanted)) {
          out.add(o);
        }
      }
    }
    return out;
  }

  /** Templates that need a GPU: they re-check availability when node labels change. */
  List<HasMetadata> gpuTemplates() {
    List<HasMetadata> out = new ArrayList<>();
    for (AIMServiceTemplate t : objects(AIMServiceTemplate.class)) {
      if (t.getSpec() != null && t.getSpec().hardware != null && t.getSpec().hardware.gpu != null) {
        out.add(t);
      }
    }
    for (AIMClusterServiceTemplate t : objects(AIMClusterServiceTemplate.class)) {
      if (t.getSpec() != null && t.getSpec().hardware != null && t.getSpec().hardware.gpu != null) {
        out.add(t);
      }
    }
    return out;
  }

  private static String runtimeConfigName(HasMetadata o) {
    if (o instanceof AIMService s) {
      return s.getSpec().runtimeConfigName;
    } else if (o instanceof AIMModel m) {
      return m.getSpec().runtimeConfigName;
    } else if (o instanceof AIMClusterModel m) {
      return m.getSpec().runtimeConfigName;
    } else if (o instanceof AIMServiceTemplate t) {
      return t.getSpec().runtimeConfigName;
    } else if (o instanceof AIMClusterServiceTemplate t) {
      return t.getSpec().runtimeConfigName;
    } else if (o instanceof AIMTemplateCache c) {
      return c.getSpec().runtimeConfigName;
    } else if (o instanceof AIMArtifact a) {
      return a.getSpec().runtimeConfigName;
    }
    return null;
  }

  /** Services in a namespace, or in every namespace when {@code ns} is null (a cluster-scoped change). */
  private List<AIMService> services(String ns) {
    return objects(AIMService.class).stream().filter(s -> ns == null || ns.equals(s.getMetadata().getNamespace())).toList();
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> List<T> objects(Class<T> kind) {
    Collection<? extends HasMetadata> all = cache.apply(kind);
    return all == null ? List.of() : (List<T>) List.copyOf(all);
  }

  private static String label(HasMetadata o, String key) {
    return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
  }
}
