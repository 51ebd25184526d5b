package aim.orchestrator.activities;

import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMArtifactSpec;
import aim.orchestrator.model.AIMArtifactStatus;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterRuntimeConfig;
import aim.orchestrator.model.AIMClusterServiceTemplate;
import aim.orchestrator.model.AIMClusterServiceTemplateSpec;
import aim.orchestrator.model.AIMGpuRequirements;
import aim.orchestrator.model.AIMHardwareRequirements;
import aim.orchestrator.model.AIMMetric;
import aim.orchestrator.model.AIMModel;
import aim.orchestrator.model.AIMModelSource;
import aim.orchestrator.model.AIMModelSpec;
import aim.orchestrator.model.AIMModelStatus;
import aim.orchestrator.model.AIMPrecision;
import aim.orchestrator.model.AIMProfileType;
import aim.orchestrator.model.AIMRuntimeConfig;
import aim.orchestrator.model.AIMRuntimeConfigCommon;
import aim.orchestrator.model.AIMScope;
import aim.orchestrator.model.AIMService;
import aim.orchestrator.model.AIMServiceSpec;
import aim.orchestrator.model.AIMServiceTemplate;
import aim.orchestrator.model.AIMServiceTemplateSpec;
import aim.orchestrator.model.AIMServiceTemplateStatus;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.AIMTemplateCacheSpec;
import aim.orchestrator.model.AIMTemplateCacheStatus;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * Test-data builders for AIM objects, named after the reference's worked example (spec §3.8):
 * service {@code qwen3-chat} in {@code ml-team} serving {@code
 * amdenterpriseai/aim-qwen-qwen3-32b:0.8.5} on one MI300X.
 */
public final class Fixtures {
  public static final String NS = "ml-team";
  public static final String SERVICE = "qwen3-chat";
  public static final String IMAGE = "amdenterpriseai/aim-qwen-qwen3-32b:0.8.5";
  public static final String MODEL = "aim-qwen-qwen3-32b-0-8-5-cdc1fb22";
  public static final String TEMPLATE = "qwen3-32b-1x-mi300x-lat-fp16";
  public static final String SOURCE_URI = "hf://Qwen/Qwen3-32B";
  public static final String MODEL_ID = "Qwen/Qwen3-32B";

  private Fixtures() {}

  /** The reference to a stored object, as a workflow holds it. */
  public static ResourceRef ref(HasMetadata stored) {
    return new ResourceRef(
        stored.getKind(),
        stored instanceof Namespaced ? stored.getMetadata().getNamespace() : null,
        stored.getMetadata().getName(),
        stored.getMetadata().getUid());
  }

  public static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }

  public static AIMService service(String namespace, String name) {
    AIMService svc = new AIMService();
    svc.getMetadata().setNamespace(namespace);
    svc.getMetadata().setName(name);
    svc.setSpec(new AIMServiceSpec());
    svc.getSpec().model = new AIMServiceSpec.AIMServiceModel();
    return svc;
  }

  public static AIMService serviceForModel(String modelName) {
    AIMService svc = service(NS, SERVICE);
    svc.getSpec().model.name = modelName;
    return svc;
  }

  public static AIMService serviceForImage(String image) {
    AIMService svc = service(NS, SERVICE);
    svc.getSpec().model.image = image;
    return svc;
  }

  public static AIMModel model(
      String namespace, String name, String image, ResourceStatusValue status) {
    AIMModel m = new AIMModel();
    m.getMetadata().setNamespace(namespace);
    m.getMetadata().setName(name);
    m.setSpec(modelSpec(image));
    m.setStatus(modelStatus(status));
    return m;
  }

  public static AIMClusterModel clusterModel(
      String name, String image, ResourceStatusValue status) {
    AIMClusterModel m = new AIMClusterModel();
    m.getMetadata().setName(name);
    m.setSpec(modelSpec(image));
    m.setStatus(modelStatus(status));
    return m;
  }

  private static AIMModelSpec modelSpec(String image) {
    AIMModelSpec spec = new AIMModelSpec();
    spec.image = image;
    return spec;
  }

  private static AIMModelStatus modelStatus(ResourceStatusValue status) {
    if (status == null) {
      return null;
    }
    AIMModelStatus s = new AIMModelStatus();
    s.status = status;
    return s;
  }

  public static AIMHardwareRequirements gpus(int count, String model) {
    AIMHardwareRequirements hw = new AIMHardwareRequirements();
    hw.gpu = new AIMGpuRequirements();
    hw.gpu.requests = count;
    hw.gpu.model = model;
    return hw;
  }

  public static AIMModelSource source(String modelId, String uri, String size) {
    AIMModelSource s = new AIMModelSource();
    s.modelId = modelId;
    s.sourceUri = uri;
    s.size = size == null ? null : new Quantity(size);
    return s;
  }

  /**
   * A namespaced latency/fp16 template on one MI300X; {@code status} null leaves it without status.
   */
  public static AIMServiceTemplate template(
      String namespace,
      String name,
      String modelName,
      ResourceStatusValue status,
      AIMModelSource... sources) {
    AIMServiceTemplate t = new AIMServiceTemplate();
    t.getMetadata().setNamespace(namespace);
    t.getMetadata().setName(name);
    AIMServiceTemplateSpec spec = new AIMServiceTemplateSpec();
    spec.modelName = modelName;
    spec.metric = AIMMetric.latency;
    spec.precision = AIMPrecision.fp16;
    spec.type = AIMProfileType.optimized;
    spec.hardware = gpus(1, "MI300X");
    t.setSpec(spec);
    t.setStatus(templateStatus(status, spec.hardware, sources));
    return t;
  }

  public static AIMClusterServiceTemplate clusterTemplate(
      String name, String modelName, ResourceStatusValue status, AIMModelSource... sources) {
    AIMClusterServiceTemplate t = new AIMClusterServiceTemplate();
    t.getMetadata().setName(name);
    AIMClusterServiceTemplateSpec spec = new AIMClusterServiceTemplateSpec();
    spec.modelName = modelName;
    spec.metric = AIMMetric.latency;
    spec.precision = AIMPrecision.fp16;
    spec.hardware = gpus(1, "MI300X");
    t.setSpec(spec);
    t.setStatus(templateStatus(status, spec.hardware, sources));
    return t;
  }

  private static AIMServiceTemplateStatus templateStatus(
      ResourceStatusValue status, AIMHardwareRequirements hardware, AIMModelSource... sources) {
    if (status == null) {
      return null;
    }
    AIMServiceTemplateStatus s = new AIMServiceTemplateStatus();
    s.status = status;
    s.resolvedHardware = hardware;
    s.modelSources = sources.length == 0 ? null : List.of(sources);
    s.profile = new AIMServiceTemplateStatus.Profile();
    s.profile.metadata = new AIMServiceTemplateStatus.ProfileMetadata();
    s.profile.metadata.metric = "latency";
    s.profile.metadata.precision = "fp16";
    s.profile.metadata.type = "optimized";
    return s;
  }

  public static AIMTemplateCache templateCache(
      String namespace,
      String name,
      String templateName,
      AIMTemplateCacheSpec.Mode mode,
      ResourceStatusValue status) {
    AIMTemplateCache c = new AIMTemplateCache();
    c.getMetadata().setNamespace(namespace);
    c.getMetadata().setName(name);
    AIMTemplateCacheSpec spec = new AIMTemplateCacheSpec();
    spec.templateName = templateName;
    spec.templateScope = AIMScope.Namespace;
    spec.mode = mode;
    c.setSpec(spec);
    if (status != null) {
      c.setStatus(new AIMTemplateCacheStatus());
      c.getStatus().status = status;
    }
    return c;
  }

  /** A template cache status entry for one artifact. */
  public static AIMTemplateCacheStatus.ArtifactEntry artifactEntry(
      String name, String modelId, String status, String pvc) {
    AIMTemplateCacheStatus.ArtifactEntry e = new AIMTemplateCacheStatus.ArtifactEntry();
    e.name = name;
    e.model = modelId;
    e.status = status;
    e.persistentVolumeClaim = pvc;
    return e;
  }

  public static AIMArtifact artifact(
      String namespace, String name, String uri, String size, ResourceStatusValue status) {
    AIMArtifact a = new AIMArtifact();
    a.getMetadata().setNamespace(namespace);
    a.getMetadata().setName(name);
    AIMArtifactSpec spec = new AIMArtifactSpec();
    spec.sourceUri = uri;
    spec.modelId = MODEL_ID;
    spec.size = size == null ? null : new Quantity(size);
    a.setSpec(spec);
    if (status != null) {
      a.setStatus(new AIMArtifactStatus());
      a.getStatus().status = status;
    }
    return a;
  }

  public static AIMRuntimeConfig runtimeConfig(
      String namespace, String name, AIMRuntimeConfigCommon spec) {
    AIMRuntimeConfig rc = new AIMRuntimeConfig();
    rc.getMetadata().setNamespace(namespace);
    rc.getMetadata().setName(name);
    rc.setSpec(spec);
    return rc;
  }

  public static AIMClusterRuntimeConfig clusterRuntimeConfig(
      String name, AIMRuntimeConfigCommon spec) {
    AIMClusterRuntimeConfig rc = new AIMClusterRuntimeConfig();
    rc.getMetadata().setName(name);
    rc.setSpec(spec);
    return rc;
  }

  /** An owner reference to {@code owner} (or to a made-up owner with this UID). */
  public static OwnerReference ownerRef(String kind, String name, String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion("aim.eai.amd.com/v1alpha1")
        .withKind(kind)
        .withName(name)
        .withUid(uid)
        .withController(true)
        .build();
  }

  public static Node node(String name, Map<String, String> labels) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }
}
