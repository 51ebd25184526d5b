package aim.orchestrator.convert;

import java.util.Set;

/** The legacy kinds the converter knows, grouped by what they become. */
enum LegacyKind {
  /** AIMClusterImage (aim.silogen.ai), AIMClusterModel (kaiwo.silogen.ai) ⇒ AIMClusterModel. */
  CLUSTER_MODEL,
  /** AIMImage, AIMModel ⇒ AIMModel. */
  MODEL,
  /** AIMClusterServiceTemplate ⇒ AIMClusterServiceTemplate. */
  CLUSTER_TEMPLATE,
  /** AIMServiceTemplate ⇒ AIMServiceTemplate. */
  TEMPLATE,
  /** AIMTemplateCache ⇒ AIMTemplateCache. */
  TEMPLATE_CACHE,
  /** ModelCache, AIMModelCache ⇒ AIMArtifact. */
  MODEL_CACHE,
  /** AIMNamespaceConfig ⇒ AIMRuntimeConfig. */
  NAMESPACE_CONFIG,
  /** AIMClusterConfig ⇒ AIMClusterRuntimeConfig. */
  CLUSTER_CONFIG,
  /** AIMService ⇒ AIMService. */
  SERVICE;

  /** The API groups of the legacy AIM APIs (seed 000: kaiwo.silogen.ai and config.kaiwo.silogen.ai; seed 001: aim.silogen.ai). */
  static final Set<String> GROUPS = Set.of("kaiwo.silogen.ai", "config.kaiwo.silogen.ai", "aim.silogen.ai");

  static boolean isLegacyGroup(String group) {
    return GROUPS.contains(group);
  }

  /** The kind family of a kind name, or null when the converter does not know it. */
  static LegacyKind of(String kind) {
    return switch (kind) {
      case "AIMClusterImage", "AIMClusterModel" -> CLUSTER_MODEL;
      case "AIMImage", "AIMModel" -> MODEL;
      case "AIMClusterServiceTemplate" -> CLUSTER_TEMPLATE;
      case "AIMServiceTemplate" -> TEMPLATE;
      case "AIMTemplateCache" -> TEMPLATE_CACHE;
      case "ModelCache", "AIMModelCache" -> MODEL_CACHE;
      case "AIMNamespaceConfig" -> NAMESPACE_CONFIG;
      case "AIMClusterConfig" -> CLUSTER_CONFIG;
      case "AIMService" -> SERVICE;
      default -> null;
    };
  }

  boolean clusterScoped() {
    return this == CLUSTER_MODEL || this == CLUSTER_TEMPLATE || this == CLUSTER_CONFIG;
  }
}
