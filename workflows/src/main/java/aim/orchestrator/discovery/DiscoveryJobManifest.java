package aim.orchestrator.discovery;

import aim.orchestrator.model.Aim;
import aim.orchestrator.model.AIMServiceTemplateSpecCommon;
import aim.orchestrator.render.Owners;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discovery Job of a template (spec §3.4): the model's AIM image run with {@code dry-run --format=json}, told
 * the GPU model and count through the environment (no GPU is requested), non-root, never retried by Kubernetes
 * ({@code backoffLimit: 0}: the template workflow does the retrying), cleaned up a minute after it finishes.
 */
public final class DiscoveryJobManifest {
  /** {@code app.kubernetes.io/name} of every discovery Job; the cluster-wide limit counts Jobs with it. */
  public static final String APP_NAME = "aim-discovery";
  /** The container whose log holds the dry-run output. */
  public static final String CONTAINER = "discovery";
  /** Seconds a finished discovery Job stays before Kubernetes removes it. */
  public static final int TTL_SECONDS = 60;

  private static final int NAME_PREFIX_LENGTH = 45;

  private DiscoveryJobManifest() {}

  /** What the Job is built from: the template, its spec, and the model's image, pull secrets and service account. */
  public record Inputs(
      HasMetadata template,
      AIMServiceTemplateSpecCommon spec,
      String image,
      List<LocalObjectReference> imagePullSecrets,
      String serviceAccountName,
      String namespace) {}

  /**
   * {@code discover-<template[:45]>-<8 hex>}: the hex is the first four bytes of the SHA-256 over everything that
   * changes what discovery answers, so a changed template gets a fresh Job name.
   */
  public static String name(Inputs in) {
    String template = in.template().getMetadata().getName();
    String prefix = template.length() > NAME_PREFIX_LENGTH ? template.substring(0, NAME_PREFIX_LENGTH) : template;
    prefix = prefix.replaceAll("-+$", "");
    return "discover-" + prefix + "-" + hash(in);
  }

  /** The Job, owned by the template (a cluster template may own a Job in the operator namespace). */
  public static Job build(Inputs in) {
    String template = in.template().getMetadata().getName();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", APP_NAME);
    labels.put(Aim.LABEL_APP_COMPONENT, "discovery");
    labels.put(Aim.LABEL_MANAGED_BY, "aim-controller");
    labels.put(Aim.LABEL_TEMPLATE, template);
    return new JobBuilder()
        .withNewMetadata()
        .withName(name(in))
        .withNamespace(in.namespace())
        .withLabels(labels)
        .withOwnerReferences(Owners.controller(in.template()))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withTtlSecondsAfterFinished(TTL_SECONDS)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of(Aim.LABEL_TEMPLATE, template))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withImagePullSecrets(in.imagePullSecrets() == null ? List.of() : in.imagePullSecrets())
        .withServiceAccountName(in.serviceAccountName())
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(65532L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(in.image())
        .withArgs("dry-run", "--format=json")
        .withEnv(env(in))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The container's environment, in the reference's order. */
  static List<EnvVar> env(Inputs in) {
    AIMServiceTemplateSpecCommon spec = in.spec();
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("AIM_LOG_LEVEL_ROOT", "CRITICAL", null));
    env.add(new EnvVar("AIM_LOG_LEVEL", "CRITICAL", null));
    if (spec.env != null) {
      env.addAll(spec.env);
    }
    if (spec.metric != null) {
      env.add(new EnvVar("AIM_METRIC", spec.metric.name(), null));
    }
    if (spec.precision != null) {
      env.add(new EnvVar("AIM_PRECISION", spec.precision.name(), null));
    }
    var gpu = spec.hardware == null ? null : spec.hardware.gpu;
    if (gpu != null && gpu.model != null && !gpu.model.isEmpty()) {
      env.add(new EnvVar("AIM_GPU_MODEL", gpu.model, null));
    }
    if (gpu != null && gpu.requests != null && gpu.requests > 0) {
      env.add(new EnvVar("AIM_GPU_COUNT", String.valueOf(gpu.requests), null));
    }
    if (spec.profileId != null && !spec.profileId.isEmpty()) {
      env.add(new EnvVar("AIM_PROFILE_ID", spec.profileId, null));
    }
    return env;
  }

  private static String hash(Inputs in) {
    AIMServiceTemplateSpecCommon spec = in.spec();
    StringBuilder s = new StringBuilder();
    s.append(spec.modelName).append(in.image()).append(nullToEmpty(in.serviceAccountName()));
    if (spec.env != null) {
      for (EnvVar e : spec.env) {
        s.append(e.getName()).append(nullToEmpty(e.getValue()));
      }
    }
    if (in.imagePullSecrets() != null) {
      for (LocalObjectReference r : in.imagePullSecrets()) {
        s.append(nullToEmpty(r.getName()));
      }
    }
    var gpu = spec.hardware == null ? null : spec.hardware.gpu;
    s.append(spec.metric == null ? "" : spec.metric.name())
        .append(spec.precision == null ? "" : spec.precision.name())
        .append(gpu == null || gpu.model == null ? "" : gpu.model)
        .append(gpu == null || gpu.requests == null ? "" : gpu.requests)
        .append(nullToEmpty(spec.profileId));
    return HexFormat.of().formatHex(sha256(s.toString()), 0, 4);
  }

  /**
   * The discovery spec hash kept in {@code status.discovery.specHash}: SHA-256 over model name, image, metric,
   * precision, GPU and profile id, 8 bytes in hex. A change resets the retry backoff.
   */
  public static String specHash(AIMServiceTemplateSpecCommon spec, String image) {
    var gpu = spec.hardware == null ? null : spec.hardware.gpu;
    String s =
        nullToEmpty(spec.modelName)
            + nullToEmpty(image)
            + (spec.metric == null ? "" : spec.metric.name())
            + (spec.precision == null ? "" : spec.precision.name())
            + (gpu == null || gpu.model == null ? "" : gpu.model)
            + (gpu == null || gpu.requests == null ? "" : gpu.requests)
            + nullToEmpty(spec.profileId);
    return HexFormat.of().formatHex(sha256(s), 0, 8);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
