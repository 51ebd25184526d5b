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

  /** Annotation on a download Job: the artifact generation it downloads for (a spec change makes a new Job). */
  public static final String ARTIFACT_GENERATION = "aim.eai.amd.com/artifact-generation";

  /**
   * Annotation on a download Job: the UID of the PVC it writes into. A PVC deleted by hand and created again is
   * another claim (another UID), so the Job's work does not count for it and a fresh download starts.
   */
  public static final String PVC_UID = "aim.eai.amd.com/pvc-uid";

  /** The download Job's container. */
  public static final String DOWNLOAD_CONTAINER = "model-download";

  /** How often the downloader prints a progress line (seconds); the transfer activity reads them. */
  static final String PROGRESS_INTERVAL_SECONDS = "2";

  /**
   * The download Job: the artifact's downloader image with the source URI as its argument, the PVC at
   * {@code /cache}, non-root, the reference's env contract. Credentials stay secret references: env is copied as
   * written (valueFrom included), never resolved.
   *
   * <p>One Pod per Job ({@code backoffLimit: 0}): a failed attempt is retried by the orchestrator (Temporal's retry
   * policy, with backoff) with a fresh Job, after reading why the Pod failed from its exit code and termination
   * message. No TTL: a failed Job stays as the record of a failure a retry cannot fix until it is replaced.
   */
  public static Job downloadJob(
      AIMArtifact artifact, String name, String pvc, long expectedBytes, List<EnvVar> configEnv) {
    return downloadJob(artifact, name, pvc, expectedBytes, configEnv, List.of());
  }

  /** The download Job with extra env (e.g. the verify mode of cache warming), laid over everything else. */
  public static Job downloadJob(
      AIMArtifact artifact, String name, String pvc, long expectedBytes, List<EnvVar> configEnv, List<EnvVar> extraEnv) {
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
    env.add(new EnvVar("PROGRESS_INTERVAL", PROGRESS_INTERVAL_SECONDS, null));
    List<EnvVar> merged = aim.orchestrator.config.RuntimeConfigMerge.mergeEnv(env, configEnv, spec.env, extraEnv);
    Long generation = artifact.getMetadata().getGeneration();
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(artifact.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(Map.of(ARTIFACT_GENERATION, String.valueOf(generation == null ? 0 : generation)))
        .withOwnerReferences(Owners.controller(artifact))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
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
        .withName(DOWNLOAD_CONTAINER)
        .withImage(image)
        .withArgs(spec.sourceUri)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
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
