package aim.orchestrator.workflow;

/** Readable workflow IDs, one per resource: {@code AIMService/<namespace>/<name>}, {@code AIMClusterModel/<name>}. */
public final class WorkflowIds {
  private WorkflowIds() {}

  public static String of(ResourceRef ref) {
    return of(ref.kind(), ref.namespace(), ref.name());
  }

  public static String of(String kind, String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
  }
}
