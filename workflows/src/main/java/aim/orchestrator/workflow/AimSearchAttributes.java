package aim.orchestrator.workflow;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search attributes every resource workflow upserts, so the Temporal UI and {@code temporal workflow list
 * --query} filter by resource: {@code AimKind}, {@code AimNamespace}, {@code AimName} (set at start) and {@code
 * AimStatus} (the status value written to the resource, upserted when it changes). All are Keywords and must be
 * registered on the Temporal namespace before workers run (docs/temporal-cli.md).
 */
public final class AimSearchAttributes {
  public static final SearchAttributeKey<String> KIND = SearchAttributeKey.forKeyword("AimKind");
  public static final SearchAttributeKey<String> NAMESPACE = SearchAttributeKey.forKeyword("AimNamespace");
  public static final SearchAttributeKey<String> NAME = SearchAttributeKey.forKeyword("AimName");
  public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("AimStatus");

  /** Name → type of every attribute, for registration on a server. */
  public static final Map<String, IndexedValueType> DEFINITIONS = definitions();

  private AimSearchAttributes() {}

  /** The identity attributes of a resource (no namespace attribute for cluster-scoped kinds). */
  public static List<SearchAttributeUpdate<?>> identity(ResourceRef ref) {
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    updates.add(KIND.valueSet(ref.kind()));
    if (!ref.clusterScoped()) {
      updates.add(NAMESPACE.valueSet(ref.namespace()));
    }
    updates.add(NAME.valueSet(ref.name()));
    return updates;
  }

  private static Map<String, IndexedValueType> definitions() {
    Map<String, IndexedValueType> m = new LinkedHashMap<>();
    for (SearchAttributeKey<String> key : List.of(KIND, NAMESPACE, NAME, STATUS)) {
      m.put(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
