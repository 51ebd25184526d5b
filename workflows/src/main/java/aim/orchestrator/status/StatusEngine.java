package aim.orchestrator.status;

import aim.orchestrator.model.AIMStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns component health into conditions and a root status, as the reference's reconcile framework does (spec
 * §3.0). Pure and deterministic: used by every workflow, and by its {@code status} query.
 */
public final class StatusEngine {
  public static final String DEPENDENCIES_REACHABLE = "DependenciesReachable";
  public static final String AUTH_VALID = "AuthValid";
  public static final String CONFIG_VALID = "ConfigValid";
  public static final String READY = "Ready";

  private StatusEngine() {}

  /** Evaluates the components of one resource. Order of {@code components} is kept in the conditions. */
  public static Evaluation evaluate(Collection<ComponentHealth> components) {
    Set<ErrorCategory> errors = EnumSet.noneOf(ErrorCategory.class);
    for (ComponentHealth c : components) {
      if (c.error() != null) {
        errors.add(c.error());
      }
    }
    List<ConditionSpec> conditions = new ArrayList<>();
    boolean infra = errors.contains(ErrorCategory.INFRASTRUCTURE);
    conditions.add(
        infra
            ? ConditionSpec.isFalse(DEPENDENCIES_REACHABLE, "InfrastructureError", firstMessage(components, ErrorCategory.INFRASTRUCTURE))
            : new ConditionSpec(DEPENDENCIES_REACHABLE, "True", "Reachable", "", true));
    boolean auth = errors.contains(ErrorCategory.AUTH);
    conditions.add(
        auth
            ? ConditionSpec.isFalse(AUTH_VALID, "AuthError", firstMessage(components, ErrorCategory.AUTH))
            : new ConditionSpec(AUTH_VALID, "True", "AuthenticationValid", "", true));
    boolean invalid = errors.contains(ErrorCategory.INVALID_SPEC);
    boolean missing = errors.contains(ErrorCategory.MISSING_UPSTREAM);
    if (invalid) {
      conditions.add(ConditionSpec.isFalse(CONFIG_VALID, "InvalidSpec", firstMessage(components, ErrorCategory.INVALID_SPEC)));
    } else if (missing) {
      conditions.add(
          ConditionSpec.isFalse(CONFIG_VALID, "ReferenceNotFound", firstMessage(components, ErrorCategory.MISSING_UPSTREAM)));
    } else {
      conditions.add(new ConditionSpec(CONFIG_VALID, "True", "ConfigurationValid", "", true));
    }

    for (ComponentHealth c : components) {
      conditions.add(
          new ConditionSpec(
              c.conditionType(), c.isReady() ? "True" : "False", c.reason(), nullToEmpty(c.message()), false));
    }

    boolean blocked = auth || invalid || missing;
    AIMStatus root;
    ConditionSpec ready;
    if (blocked) {
      root = AIMStatus.Failed;
      String reason = auth ? "AuthError" : invalid ? "InvalidSpec" : "ReferenceNotFound";
      ErrorCategory category = auth ? ErrorCategory.AUTH : invalid ? ErrorCategory.INVALID_SPEC : ErrorCategory.MISSING_UPSTREAM;
      ready = ConditionSpec.isFalse(READY, reason, firstMessage(components, category));
    } else {
      root = AIMStatus.Ready;
      ComponentHealth firstError = null;
      for (ComponentHealth c : components) {
        AIMStatus s = componentContribution(c);
        root = AIMStatus.worst(root, s);
        if (!c.isReady() && firstError == null && isErrorState(c.state())) {
          firstError = c;
        }
      }
      if (infra && root != AIMStatus.Ready) {
        root = AIMStatus.Degraded;
      }
      if (root == AIMStatus.Ready) {
        ready = ConditionSpec.isTrue(READY, "AllComponentsReady", "All components are ready");
      } else if (firstError != null) {
        ready =
            ConditionSpec.isFalse(
                READY,
                firstError.reason(),
                "Component " + firstError.component() + " is not ready: " + nullToEmpty(firstError.message()));
      } else if (infra) {
        ready = ConditionSpec.isFalse(READY, "InfrastructureError", firstMessage(components, ErrorCategory.INFRASTRUCTURE));
      } else {
        ready = ConditionSpec.isFalse(READY, "Progressing", progressingMessage(components));
      }
    }
    conditions.add(ready);
    return new Evaluation(root, List.copyOf(conditions), blocked);
  }

  /** What one component contributes to the root status (§3.0, "Root status"). */
  static AIMStatus componentContribution(ComponentHealth c) {
    if (c.isReady()) {
      return AIMStatus.Ready;
    }
    if (isErrorState(c.state()) || c.state() == AIMStatus.Pending) {
      return c.state();
    }
    return c.dependency() == DependencyType.UPSTREAM ? AIMStatus.Pending : AIMStatus.Progressing;
  }

  private static boolean isErrorState(AIMStatus s) {
    return s == AIMStatus.Failed || s == AIMStatus.Degraded || s == AIMStatus.NotAvailable;
  }

  private static String firstMessage(Collection<ComponentHealth> components, ErrorCategory category) {
    for (ComponentHealth c : components) {
      if (c.error() == category) {
        return c.component() + ": " + nullToEmpty(c.message());
      }
    }
    return "";
  }

  private static String progressingMessage(Collection<ComponentHealth> components) {
    for (ComponentHealth c : components) {
      if (!c.isReady()) {
        return "Waiting for " + c.component() + ": " + nullToEmpty(c.message());
      }
    }
    return "";
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
