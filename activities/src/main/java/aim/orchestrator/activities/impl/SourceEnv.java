package aim.orchestrator.activities.impl;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment an activity needs to reach a model source itself (check the size, re-verify), built from the
 * same env the download Job gets: plain values, and {@code secretKeyRef}/{@code configMapKeyRef} read from the
 * artifact's namespace here, inside the activity. The values live only in this activity's memory: they never enter
 * a workflow input, result or log line.
 */
final class SourceEnv {
  private SourceEnv() {}

  /** A reference to a Secret or ConfigMap that is not there. */
  static final class MissingReference extends Exception {
    MissingReference(String message) {
      super(message);
    }
  }

  /**
   * Resolves {@code env} in {@code namespace}, then lays {@code overrides} over it (the dev mode points every source
   * at its local endpoints that way).
   */
  static Map<String, String> resolve(
      KubernetesClient client, String namespace, List<EnvVar> env, Map<String, String> overrides)
      throws MissingReference {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvVar v : env == null ? List.<EnvVar>of() : env) {
      if (v.getValue() != null) {
        out.put(v.getName(), v.getValue());
        continue;
      }
      var from = v.getValueFrom();
      if (from == null) {
        continue;
      }
      if (from.getSecretKeyRef() != null) {
        var ref = from.getSecretKeyRef();
        Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        String value = secretValue(s, ref.getKey());
        if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
          throw new MissingReference(
              "env " + v.getName() + " reads key \"" + ref.getKey() + "\" of Secret " + namespace + "/" + ref.getName()
                  + ", which " + (s == null ? "does not exist" : "has no such key"));
        }
        if (value != null) {
          out.put(v.getName(), value);
        }
      } else if (from.getConfigMapKeyRef() != null) {
        var ref = from.getConfigMapKeyRef();
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
        String value = cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
        if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
          throw new MissingReference(
              "env " + v.getName() + " reads key \"" + ref.getKey() + "\" of ConfigMap " + namespace + "/" + ref.getName()
                  + ", which " + (cm == null ? "does not exist" : "has no such key"));
        }
        if (value != null) {
          out.put(v.getName(), value);
        }
      }
    }
    if (overrides != null) {
      out.putAll(overrides);
    }
    return out;
  }

  private static String secretValue(Secret s, String key) {
    if (s == null) {
      return null;
    }
    if (s.getData() != null && s.getData().get(key) != null) {
      return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
    return s.getStringData() == null ? null : s.getStringData().get(key);
  }
}
