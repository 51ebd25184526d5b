package aim.orchestrator.model;

/** Constants of the AIM API group: group, version, well-known labels, annotations and finalizers. */
public final class Aim {
  public static final String GROUP = "aim.eai.amd.com";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  public static final String LABEL_PREFIX = GROUP + "/";
  public static final String LABEL_SERVICE = LABEL_PREFIX + "service";
  public static final String LABEL_SERVICE_NAME = LABEL_PREFIX + "service.name";
  public static final String LABEL_MODEL = LABEL_PREFIX + "model";
  public static final String LABEL_TEMPLATE = LABEL_PREFIX + "template";
  public static final String LABEL_TEMPLATE_NAME = LABEL_PREFIX + "template.name";
  public static final String LABEL_TEMPLATE_SCOPE = LABEL_PREFIX + "template.scope";
  public static final String LABEL_TEMPLATE_INDEX = LABEL_PREFIX + "template.index";
  public static final String LABEL_TEMPLATE_CACHE_NAME = LABEL_PREFIX + "template-cache.name";
  public static final String LABEL_TEMPLATE_CREATED = "template-created";
  public static final String LABEL_CACHE_NAME = LABEL_PREFIX + "cache.name";
  public static final String LABEL_CACHE_TYPE = LABEL_PREFIX + "cache.type";
  public static final String LABEL_COMPONENT = LABEL_PREFIX + "component";
  public static final String LABEL_METRIC = LABEL_PREFIX + "metric";
  public static final String LABEL_PRECISION = LABEL_PREFIX + "precision";
  public static final String LABEL_ORIGIN = LABEL_PREFIX + "origin";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_APP_COMPONENT = "app.kubernetes.io/component";

  public static final String ANNOTATION_PAUSED = LABEL_PREFIX + "reconciliation-paused";

  public static final String FINALIZER_SERVICE = LABEL_PREFIX + "template-cache-cleanup";
  public static final String FINALIZER_TEMPLATE_CACHE = LABEL_PREFIX + "artifactcleanup";

  /**
   * Condition a service carries after the deployment of a generation failed terminally and its objects were removed
   * ({@code True}, reason {@link #REASON_TERMINAL_FAILURE}); its {@code observedGeneration} names that generation.
   */
  public static final String CONDITION_COMPENSATED = "Compensated";
  public static final String REASON_TERMINAL_FAILURE = "TerminalFailure";

  public static final String DEFAULT_RUNTIME_CONFIG = "default";
  public static final String DEFAULT_GPU_RESOURCE = "amd.com/gpu";
  public static final String CACHE_MOUNT_ROOT = "/workspace/cache";
  /** The downloader image default: this project's image, which also carries the model downloader. */
  public static final String DEFAULT_DOWNLOAD_IMAGE = "ghcr.io/aim-orchestrator/aim-orchestrator:0.1.0";

  private Aim() {}
}
