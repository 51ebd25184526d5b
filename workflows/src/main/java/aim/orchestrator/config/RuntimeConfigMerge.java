package aim.orchestrator.config;

import aim.orchestrator.model.AIMRoutingConfig;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMStorageConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the namespace runtime config over the cluster config of the same name (namespace wins, field by field;
 * env merged by name), after migrating the deprecated top-level storage fields (spec §3.1).
 */
public final class RuntimeConfigMerge {
  private RuntimeConfigMerge() {}

  /** Either argument may be null; the result is never null. */
  public static AIMRuntimeConfigCommon merge(AIMRuntimeConfigCommon cluster, AIMRuntimeConfigCommon namespace) {
    AIMRuntimeConfigCommon c = migrate(cluster);
    AIMRuntimeConfigCommon n = migrate(namespace);
    AIMRuntimeConfigCommon out = new AIMRuntimeConfigCommon();
    out.storage = mergeStorage(c.storage, n.storage);
    out.routing = mergeRouting(c.routing, n.routing);
    out.env = mergeEnv(c.env, n.env);
    out.model = n.model != null ? n.model : c.model;
    out.labelPropagation = n.labelPropagation != null ? n.labelPropagation : c.labelPropagation;
    return out;
  }

  /**
   * Env lists merged by name; later lists win and keep the position of the first occurrence. {@code AIM_ENGINE_ARGS}
   * values that are both JSON objects are deep-merged (later keys win), as the reference does.
   */
  @SafeVarargs
  public static List<EnvVar> mergeEnv(List<EnvVar>... lists) {
    Map<String, EnvVar> byName = new LinkedHashMap<>();
    for (List<EnvVar> list : lists) {
      if (list != null) {
        for (EnvVar e : list) {
          EnvVar old = byName.get(e.getName());
          byName.put(e.getName(), ENGINE_ARGS.equals(e.getName()) && old != null ? mergeEngineArgs(old, e) : e);
        }
      }
    }
    return byName.isEmpty() ? null : new ArrayList<>(byName.values());
  }

  static final String ENGINE_ARGS = "AIM_ENGINE_ARGS";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static EnvVar mergeEngineArgs(EnvVar base, EnvVar over) {
    if (base.getValue() == null || over.getValue() == null || base.getValueFrom() != null || over.getValueFrom() != null) {
      return over;
    }
    try {
      JsonNode a = JSON.readTree(base.getValue());
      JsonNode b = JSON.readTree(over.getValue());
      if (!(a instanceof ObjectNode ao) || !(b instanceof ObjectNode bo)) {
        return over;
      }
      return new EnvVar(over.getName(), JSON.writeValueAsString(deepMerge(ao.deepCopy(), bo)), null);
    } catch (JsonProcessingException e) {
      return over; // not JSON: plain override
    }
  }

  private static ObjectNode deepMerge(ObjectNode into, ObjectNode from) {
    var it = from.fields();
    while (it.hasNext()) {
      var e = it.next();
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode fo) {
        deepMerge(eo, fo);
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
    return into;
  }

  private static AIMRuntimeConfigCommon migrate(AIMRuntimeConfigCommon in) {
    if (in == null) {
      return new AIMRuntimeConfigCommon();
    }
    if (in.defaultStorageClassName == null && in.pvcHeadroomPercent == null) {
      return in;
    }
    AIMStorageConfig storage = new AIMStorageConfig();
    storage.defaultStorageClassName =
        in.storage != null && in.storage.defaultStorageClassName != null
            ? in.storage.defaultStorageClassName
            : in.defaultStorageClassName;
    storage.pvcHeadroomPercent =
        in.storage != null && in.storage.pvcHeadroomPercent != null
            ? in.storage.pvcHeadroomPercent
            : in.pvcHeadroomPercent;
    AIMRuntimeConfigCommon out = new AIMRuntimeConfigCommon();
    out.storage = storage;
    out.routing = in.routing;
    out.env = in.env;
    out.model = in.model;
    out.labelPropagation = in.labelPropagation;
    return out;
  }

  private static AIMStorageConfig mergeStorage(AIMStorageConfig c, AIMStorageConfig n) {
    if (c == null) {
      return n;
    }
    if (n == null) {
      return c;
    }
    AIMStorageConfig out = new AIMStorageConfig();
    out.defaultStorageClassName = n.defaultStorageClassName != null ? n.defaultStorageClassName : c.defaultStorageClassName;
    out.pvcHeadroomPercent = n.pvcHeadroomPercent != null ? n.pvcHeadroomPercent : c.pvcHeadroomPercent;
    return out;
  }

  private static AIMRoutingConfig mergeRouting(AIMRoutingConfig c, AIMRoutingConfig n) {
    if (c == null) {
      return n;
    }
    if (n == null) {
      return c;
    }
    AIMRoutingConfig out = new AIMRoutingConfig();
    out.enabled = n.enabled != null ? n.enabled : c.enabled;
    out.gatewayRef = n.gatewayRef != null ? n.gatewayRef : c.gatewayRef;
    out.pathTemplate = n.pathTemplate != null ? n.pathTemplate : c.pathTemplate;
    out.requestTimeout = n.requestTimeout != null ? n.requestTimeout : c.requestTimeout;
    if (c.annotations != null || n.annotations != null) {
      out.annotations = new LinkedHashMap<>();
      if (c.annotations != null) {
        out.annotations.putAll(c.annotations);
      }
      if (n.annotations != null) {
        out.annotations.putAll(n.annotations);
      }
    }
    return out;
  }
}
