package aim.orchestrator.convert;

import aim.orchestrator.model.AIMClusterRuntimeConfig;
import aim.orchestrator.model.AIMRoutingConfig;
import aim.orchestrator.model.AIMRuntimeConfig;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMStorageConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.ArrayList;
import java.util.List;

/**
 * AIMNamespaceConfig becomes the namespace's AIMRuntimeConfig and AIMClusterConfig the AIMClusterRuntimeConfig, both
 * named {@code default} (the config every object uses unless it names another): the gateway becomes {@code
 * routing.gatewayRef} with routing on, the cache storage class {@code storage.defaultStorageClassName}, and credentials
 * become env read from their Secrets ({@code valueFrom.secretKeyRef}) under the names the AIM container and the
 * downloader read: {@code HF_TOKEN}, {@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID}, {@code
 * AWS_SECRET_ACCESS_KEY}.
 */
final class ConfigConverter {
  static final String DEFAULT = "default";

  private ConfigConverter() {}

  static HasMetadata convert(LegacyDocument doc, Fields spec, ObjectMeta meta, boolean cluster) {
    if (!DEFAULT.equals(meta.getName())) {
      doc.note("metadata.name", "renamed to " + DEFAULT + ": the legacy " + doc.kind + " applied to " + (cluster ? "the whole cluster" : "its whole namespace")
          + ", as the runtime config named " + DEFAULT + " does; one of another name applies only to objects that name it in runtimeConfigName");
      meta.setName(DEFAULT);
    }
    AIMRuntimeConfigCommon out = new AIMRuntimeConfigCommon();
    out.routing = routing(spec, doc);
    String storageClass = spec.text("cacheStorageClassName");
    if (storageClass != null) {
      out.storage = new AIMStorageConfig();
      out.storage.defaultStorageClassName = storageClass;
    }
    Fields credentials = spec.object("credentials");
    if (credentials != null) {
      List<EnvVar> env = credentials(credentials, doc);
      out.env = env.isEmpty() ? null : env;
    }
    Fields images = spec.object("images");
    if (images != null && images.has("imagePullSecrets")) {
      // Valid ones are reported once the whole batch is converted: the message lists where they were copied.
      JsonNode secrets = images.take("imagePullSecrets");
      if (Values.pullSecrets(secrets) == null) {
        doc.lost(images.path("imagePullSecrets"), "expected a list of secret names, found " + Fields.describe(secrets));
      }
    }
    if (cluster) {
      AIMClusterRuntimeConfig config = new AIMClusterRuntimeConfig();
      config.setMetadata(meta);
      config.setSpec(out);
      return config;
    }
    AIMRuntimeConfig config = new AIMRuntimeConfig();
    config.setMetadata(meta);
    config.setSpec(out);
    return config;
  }

  /**
   * {@code spec.gateway} (AIMNamespaceConfig) or {@code spec.routing.gateway} with {@code autoCreateRoute}
   * (AIMClusterConfig). A namespace config's gateway was how the namespace's services were exposed, so it turns
   * routing on; a cluster config says so with {@code autoCreateRoute}.
   */
  private static AIMRoutingConfig routing(Fields spec, LegacyDocument doc) {
    Fields routing = spec.object("routing");
    Fields gateway = routing != null && routing.has("gateway") ? routing.object("gateway") : spec.object("gateway");
    Boolean enabled = routing == null ? null : routing.bool("autoCreateRoute");
    if (gateway == null && routing == null) {
      return null;
    }
    AIMRoutingConfig out = new AIMRoutingConfig();
    if (gateway != null) {
      ParentReference ref = new ParentReference();
      ref.setName(gateway.text("name"));
      ref.setNamespace(gateway.text("namespace"));
      if (ref.getName() == null) {
        doc.lost(gateway.path("name"), "required: the Gateway to attach routes to; no gatewayRef written");
      } else {
        out.gatewayRef = ref;
        if (enabled == null && routing == null) {
          enabled = true;
        }
      }
    }
    out.enabled = enabled;
    if (routing != null) {
      out.pathTemplate = routing.text("pathTemplate");
      out.requestTimeout = routing.text("requestTimeout");
      out.annotations = Values.stringMap(routing, "annotations", doc);
    }
    return out;
  }

  /** HF_TOKEN and the first S3 credential set, from their Secrets. */
  private static List<EnvVar> credentials(Fields credentials, LegacyDocument doc) {
    List<EnvVar> env = new ArrayList<>();
    Fields hf = credentials.object("huggingFaceToken");
    if (hf != null) {
      add(env, Values.secretEnv("HF_TOKEN", hf, doc));
    }
    JsonNode s3 = credentials.take("s3");
    if (s3 != null && !s3.isArray()) {
      doc.lost(credentials.path("s3"), "expected a list of S3 credential sets, found " + Fields.describe(s3));
    } else if (s3 != null) {
      for (int i = 0; i < s3.size(); i++) {
        String path = credentials.path("s3") + "[" + i + "]";
        if (i > 0) {
          doc.lost(path, "a runtime config's env holds one S3 credential set (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are single names);"
              + " give this endpoint's credentials as env on the AIMArtifacts or template model sources that read from it");
          continue;
        }
        if (!s3.get(i).isObject()) {
          doc.lost(path, "expected an object, found " + Fields.describe(s3.get(i)));
          continue;
        }
        Fields set = new Fields((ObjectNode) s3.get(i), path, doc);
        String endpoint = set.text("endpointUrl");
        if (endpoint != null) {
          env.add(Values.plainEnv("AWS_ENDPOINT_URL", endpoint)); // an address, not a secret
        }
        Fields key = set.object("accessKeyId");
        if (key != null) {
          add(env, Values.secretEnv("AWS_ACCESS_KEY_ID", key, doc));
        }
        Fields secret = set.object("secretAccessKey");
        if (secret != null) {
          add(env, Values.secretEnv("AWS_SECRET_ACCESS_KEY", secret, doc));
        }
        set.reportLeftovers(LegacyConverter.UNKNOWN_FIELD);
      }
    }
    return env;
  }

  private static void add(List<EnvVar> env, EnvVar var) {
    if (var != null) {
      env.add(var);
    }
  }
}
