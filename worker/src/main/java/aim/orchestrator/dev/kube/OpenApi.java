package aim.orchestrator.dev.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The smallest OpenAPI v3 documents kubectl accepts. kubectl (1.27+) downloads {@code /openapi/v3}
 * before {@code create}/{@code apply}/{@code replace} only to learn whether the server validates
 * fields itself (the {@code fieldValidation} query parameter of each kind's PATCH operation); if it
 * cannot, it falls back to client-side validation against {@code /openapi/v2} protobuf and fails
 * without it. These documents therefore list, per group version, one PATCH operation per kind
 * carrying its GVK and the {@code fieldValidation} parameter — and no schemas, so kubectl validates
 * nothing itself, leaves validation to this server, and computes apply patches of custom resources
 * as JSON merge patches (no strategic-merge request body is declared). {@code kubectl explain}
 * therefore has nothing to show.
 */
final class OpenApi {

  private final ObjectMapper mapper;

  OpenApi(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * The v3 root: {@code paths} maps "apis/group/version" to the document's URL (with a content
   * hash).
   */
  ObjectNode root(List<ResourceType> types) {
    ObjectNode root = mapper.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    byGroupVersion(types)
        .forEach(
            (key, list) -> {
              String hash = hash(document(list).toString());
              paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash);
            });
    return root;
  }

  /**
   * The document for {@code key} ("api/v1" or "apis/group/version"), or empty for an unknown group
   * version.
   */
  Optional<ObjectNode> groupVersion(List<ResourceType> types, String key) {
    List<ResourceType> list = byGroupVersion(types).get(key);
    return list == null ? Optional.empty() : Optional.of(document(list));
  }

  private static Map<String, List<ResourceType>> byGroupVersion(List<ResourceType> types) {
    Map<String, List<ResourceType>> out = new LinkedHashMap<>();
    for (ResourceType t : types) {
      String key =
          t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
    }
    return out;
  }

  private ObjectNode document(List<ResourceType> types) {
    ObjectNode doc = mapper.createObjectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "AIM dev Kubernetes API (dev/test only)");
    info.put("version", "v1.31.0");
    ObjectNode paths = doc.putObject("paths");
    for (ResourceType t : types) {
      String prefix =
          t.group().isEmpty() ? "/api/" + t.version() : "/apis/" + t.group() + "/" + t.version();
      String path =
          prefix + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
      ObjectNode patch = paths.putObject(path).putObject("patch");
      ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", t.group());
      gvk.put("version", t.version());
      gvk.put("kind", t.kind());
      ObjectNode param = patch.putArray("parameters").addObject();
      param.put("name", "fieldValidation");
      param.put("in", "query");
      param.putObject("schema").put("type", "string");
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    return doc;
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16).toUpperCase(java.util.Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
