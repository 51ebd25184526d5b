package aim.orchestrator.render;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.Aim;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The PVC and the download Job of an artifact (spec §3.7). */
public final class ArtifactManifests {
  private ArtifactManifests() {}

  /** ReadWriteMany PVC sized {@code ceil_Gi(size × (1 + headroom/100))}, owned by the artifact. */
  public static PersistentVolumeClaim pvc(AIMArtifact artifact, String name, Quantity size, String storageClass) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Aim.LABEL_CACHE_NAME, artifact.getMetadata().getName());
    var artifactLabels = artifact.getMetadata().getLabels();
    if (artifactLabels != null && "true".equals(artifactLabels.get(Aim.LABEL_TEMPLATE_CREATED))) {
      labels.put(Aim.LABEL_CACHE_TYPE, "template-cache");
    }
    labels.put(Aim.LABEL_MANAGED_BY, "aim-artifact-controller");
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(artifact.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(Owners.controller(artifact))
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteMany")
        .withStorageClassName(storageClass == null || storageClass.isEmpty() ? null : storageClass)
        .withNewResources()
        .withRequests(Map.of("storage", size))
        .endResources()
        .endSpec()
        .build();
  }

  /**
   * The download Job: the artifact's downloader image with the source URI as its argument, the PVC at
   * {@code /cache}, non-root, the reference's env contract. Credentials stay secret references: env is copied as
   * written (valueFrom included), never resolved.
   */
  public static Job downloadJob(
      AIMArtifact artifact, String name, String pvc, long expectedBytes, List<EnvVar> configEnv) {
    var spec = artifact.getSpec();
    String image = spec.modelDownloadImage != null ? spec.modelDownloadImage : Aim.DEFAULT_DOWNLOAD_IMAGE;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Aim.LABEL_CACHE_NAME, artifact.getMetadata().getName());
    labels.put(Aim.LABEL_CACHE_TYPE, "artifact");
    labels.put(Aim.LABEL_COMPONENT, "download");
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("AIM_DOWNLOADER_PROTOCOL", "XET,HF_TRANSFER", null));
    env.add(new EnvVar("TMPDIR", "/tmp/", null));
    env.add(new EnvVar("HF_HOME", "/tmp/.hf", null));
    env.add(new EnvVar("EXPECTED_SIZE_BYTES", String.valueOf(expectedBytes), null));
    env.add(new EnvVar("MOUNT_PATH", "/cache", null));
    env.add(new EnvVar("TARGET_DIR", "/cache", null));
    env.add(new EnvVar("ARTIFACT_NAME", artifact.getMetadata().getName(), null));
    env.add(new EnvVar("ARTIFACT_NAMESPACE", artifact.getMetadata().getNamespace(), null));
    env.add(new EnvVar("STALL_TIMEOUT", "120", null));
    List<EnvVar> merged = aim.orchestrator.config.RuntimeConfigMerge.mergeEnv(env, configEnv, spec.env);
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(artifact.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(Owners.controller(artifact))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(2)
        .withTtlSecondsAfterFinished(600)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withImagePullSecrets(spec.imagePullSecrets)
        .withNewSecurityContext()
        .withRunAsUser(1000L)
        .withRunAsGroup(1000L)
        .withFsGroup(1000L)
        .withRunAsNonRoot(true)
        .endSecurityContext()
        .addNewContainer()
        .withName("model-download")
        .withImage(image)
        .withArgs(spec.sourceUri)
        .withEnv(merged)
        .addNewVolumeMount()
        .withName("cache")
        .withMountPath("/cache")
        .endVolumeMount()
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .addNewVolume()
        .withName("cache")
        .withNewPersistentVolumeClaim()
        .withClaimName(pvc)
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
