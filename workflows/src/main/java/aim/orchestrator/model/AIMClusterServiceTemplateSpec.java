package aim.orchestrator.model;

/** A cluster-wide runtime template. */
public class AIMClusterServiceTemplateSpec extends AIMServiceTemplateSpecCommon {}
