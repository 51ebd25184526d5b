package aim.orchestrator.worker;

import aim.orchestrator.workflow.AimSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@code Aim*} search attributes on a Temporal namespace through the operator API, best effort:
 * an attribute that exists is fine, and a server that refuses (Temporal Cloud, a namespace without operator rights)
 * only gets a warning naming the {@code temporal operator search-attribute create} commands to run by hand.
 * Workflows upsert these attributes, and a server rejects upserts of unregistered ones.
 */
public final class SearchAttributeRegistration {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);

  private SearchAttributeRegistration() {}

  /** Registers every attribute; returns true when all exist afterwards. */
  public static boolean ensure(WorkflowServiceStubs stubs, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      boolean all = true;
      for (var e : AimSearchAttributes.DEFINITIONS.entrySet()) {
        try {
          operator
              .blockingStub()
              .addSearchAttributes(
                  AddSearchAttributesRequest.newBuilder()
                      .setNamespace(namespace)
                      .putSearchAttributes(e.getKey(), e.getValue())
                      .build());
          log.info("Registered search attribute {} on Temporal namespace {}", e.getKey(), namespace);
        } catch (StatusRuntimeException ex) {
          if (ex.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            all = false;
            log.warn(
                "Cannot register search attribute {} on Temporal namespace {} ({}); register it by hand: "
                    + "temporal operator search-attribute create --namespace {} --name {} --type Keyword",
                e.getKey(), namespace, ex.getStatus().getCode(), namespace, e.getKey());
          }
        }
      }
      return all;
    } finally {
      operator.shutdown();
    }
  }
}
