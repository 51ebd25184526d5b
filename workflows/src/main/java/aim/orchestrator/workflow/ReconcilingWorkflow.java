package aim.orchestrator.workflow;

import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.ResourceActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.activity.StatusWrite;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.status.Evaluation;
import aim.orchestrator.status.StatusEngine;
import aim.orchestrator.status.StatusValues;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;

/**
 * The loop every resource workflow runs: observe the object, run the kind's stages in order (writing status after
 * each), then wait for a change signal or a re-observe timer, and tear down when the object is being deleted.
 *
 * <p>Level-triggered: every pass re-reads Kubernetes, so signals are only wake-ups and a lost or duplicated signal
 * costs nothing. While something is not Ready the timer backs off from 1 s to 5 s; once everything is Ready the
 * workflow re-observes every 60 s (with jitter) so hand-deleted children come back. The run continues as new
 * before its history grows large.
 */
public abstract class ReconcilingWorkflow {
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration RESYNC = Duration.ofSeconds(60);
  private static final int MAX_HISTORY = 4_000;
  /** Change ID: no mid-pass status write on a run's first pass either (docs/workflows.md, change-ID log). */
  static final String QUIET_FIRST_PASS = "quiet-first-pass";
  /**
   * Change ID: the input is checked (canonical workflow ID, kind, scope), a spec in the input creates a missing
   * resource, and a missing resource without one fails the start (docs/temporal-cli.md, change-ID log).
   */
  static final String CHECKED_START = "checked-start";
  /** Change ID: the {@code Aim*} search attributes are upserted (docs/temporal-cli.md, change-ID log). */
  static final String SEARCH_ATTRIBUTES = "search-attributes";

  protected final Logger log = Workflow.getLogger(getClass());
  protected final ResourceActivities resources = ActivityStubs.resources();

  protected ResourceRef ref;
  private boolean wakeUp;
  private ResourceEvent latestEvent;
  private int passes;
  private String phase = "starting";
  private long observedGeneration;
  private StatusWrite lastWrite;
  private Random random;
  private boolean checkedStart;
  private boolean searchAttributes;
  private String upsertedStatus;

  /** Components of the current pass, by name, in stage order; stale entries from the last pass fill the rest. */
  private Map<String, ComponentHealth> components = new LinkedHashMap<>();
  private Map<String, ComponentHealth> previousComponents = new LinkedHashMap<>();
  private Map<String, Object> fields = new LinkedHashMap<>();
  private Map<String, ConditionSpec> extraConditions = new LinkedHashMap<>();
  private Map<String, ConditionSpec> previousExtraConditions = new LinkedHashMap<>();
  private String displayStatus = "Pending";
  /** What the status engine concluded at the last status write (the end of the last pass, after a pass). */
  private Evaluation lastEvaluation;

  /** The kind's stages. Return normally when done or blocked; call {@link #stage} for every stage. */
  protected abstract void reconcile(Observation observation);

  /** Teardown when the object is being deleted; default: nothing but removing the finalizer. */
  protected void teardown() {}

  /**
   * True when the workflow must leave the resource alone at this generation: its deployment failed terminally and
   * was compensated ({@link Observation#compensated()}). No stages run and no status is written until the spec
   * changes. Only ServiceWorkflow compensates, so for every other kind this is always false and adds no commands.
   */
  protected boolean halted(Observation observation) {
    return observation.compensated();
  }

  /**
   * Called after a pass has written its status, with what the status engine concluded at the end of the pass. The
   * default does nothing; ServiceWorkflow decides there whether a failure is terminal.
   */
  protected void afterPass(Observation observation, Evaluation outcome) {}

  /**
   * Writes the last pass's status once more with one extra condition (placed before {@code Ready}). The condition
   * is not carried into later passes.
   */
  protected final void writeStatusWith(ConditionSpec extra) {
    extraConditions.put(extra.type(), extra);
    try {
      write(completedPass());
    } finally {
      extraConditions.remove(extra.type());
    }
  }

  /** The finalizer this kind's workflow owns, or null when it needs none. */
  protected String finalizer() {
    return null;
  }

  /**
   * How long to wait for a signal before the next pass: after a steady pass (complete, everything Ready) the
   * re-observe interval with jitter, else the current backoff. A kind whose passes have their own rhythm (a model
   * source syncs every {@code spec.syncInterval}) overrides this; the default keeps the command sequence of every
   * other workflow unchanged.
   */
  protected Duration nextWait(boolean steady, Duration backoff) {
    return steady ? RESYNC.plusMillis(random.nextInt(10_000)) : backoff;
  }

  /** Runs the loop until the resource is gone. */
  protected final void runLoop(ResourceRef input) {
    this.ref = input;
    this.random = Workflow.newRandom();
    checkedStart = Workflow.getVersion(CHECKED_START, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (checkedStart) {
      checkInput(input);
    }
    searchAttributes = Workflow.getVersion(SEARCH_ATTRIBUTES, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (searchAttributes) {
      List<io.temporal.common.SearchAttributeUpdate<?>> updates = new ArrayList<>(AimSearchAttributes.identity(input));
      updates.add(AimSearchAttributes.STATUS.valueSet(displayStatus));
      Workflow.upsertTypedSearchAttributes(updates.toArray(io.temporal.common.SearchAttributeUpdate<?>[]::new));
      upsertedStatus = displayStatus;
    }
    if (checkedStart && input.hasSpec()) {
      createFromInput(input);
    }
    Duration backoff = MIN_BACKOFF;
    while (true) {
      // Cleared before reading, so a signal that arrives while this iteration runs is not lost.
      wakeUp = false;
      Observation obs;
      try {
        obs = resources.observe(ref);
      } catch (ActivityFailure failure) {
        log.warn("{}: cannot read the object, retrying later: {}", ref, failure.getMessage());
        Workflow.await(MAX_BACKOFF, () -> wakeUp);
        continue;
      }
      if (!obs.exists()) {
        if (checkedStart && ref.uid() == null && passes == 0) {
          // A start that names no particular object (the CLI's) for an object that is not there.
          throw ApplicationFailure.newNonRetryableFailure(
              WorkflowIds.of(ref) + " does not exist and the input has no spec to create it from",
              ErrorTypes.InvalidInput.name());
        }
        if (latestEvent != null && !latestEvent.deleting() && !latestEvent.uid().equals(ref.uid())) {
          // A new object with this name announced itself while the old one went away: serve it in a fresh run.
          continueAsNew(ref.withUid(latestEvent.uid()));
          return;
        }
        log.info("{} is gone; workflow ends", ref);
        phase = "gone";
        return;
      }
      if (ref.uid() == null) {
        ref = ref.withUid(obs.uid());
      } else if (!ref.uid().equals(obs.uid())) {
        // The object was deleted and re-created under the same name: a new life, a fresh run.
        log.info("{} was replaced by UID {}; continuing as new", ref, obs.uid());
        continueAsNew(ref.withUid(obs.uid()));
        return;
      }
      if (obs.deleting()) {
        phase = "deleting";
        try {
          runTeardown(obs);
        } catch (ActivityFailure failure) {
          log.warn("{}: teardown step failed, retrying: {}", ref, failure.getMessage());
          Workflow.await(backoff, () -> wakeUp);
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        // The finalizer is gone, so Kubernetes removes the object; the next observe ends the loop.
      } else if (obs.paused()) {
        // Paused: leave the resource untouched (teardown on deletion still runs, as in the reference).
        phase = "paused";
      } else if (halted(obs)) {
        // This generation's deployment failed terminally and was compensated: nothing to do until the spec changes
        // (a new generation) or the object is deleted. The status on the object already says why.
        phase = "halted";
        showStatus(StatusValues.display(ref.kind(), AIMStatus.Failed));
        Workflow.await(nextWait(true, backoff), () -> wakeUp);
      } else {
        phase = "reconciling";
        boolean steady = pass(obs);
        backoff = steady ? MIN_BACKOFF : backoff;
        phase = "waiting";
        Duration wait = nextWait(steady, backoff);
        if (!steady) {
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        Workflow.await(wait, () -> wakeUp);
      }
      if (obs.paused() && !obs.deleting()) {
        Workflow.await(RESYNC, () -> wakeUp);
      }
      if (Workflow.getInfo().getHistoryLength() > MAX_HISTORY || Workflow.getInfo().isContinueAsNewSuggested()) {
        continueAsNew(ref);
        return;
      }
    }
  }

  /**
   * Fails the start at once when the input cannot be served: the workflow ID must be the resource's canonical ID
   * ({@link WorkflowIds#of}), the kind must be one this workflow type runs, and the namespace must match the kind's
   * scope. Pure checks, no commands: a start that passes them runs exactly as before.
   */
  private static void checkInput(ResourceRef input) {
    String type = Workflow.getInfo().getWorkflowType();
    if (input == null || isBlank(input.kind()) || isBlank(input.name())) {
      throw invalidInput(type + " needs an input naming the resource: {\"kind\": ..., \"namespace\": ..., \"name\": ...}");
    }
    Class<?> expected = Workflows.forKind(input.kind());
    if (expected == null || !expected.getSimpleName().equals(type)) {
      throw invalidInput(
          type + " does not run kind " + input.kind()
              + (expected == null ? " (not an AIM kind with a workflow)" : "; start " + expected.getSimpleName()));
    }
    boolean namespaced = aim.orchestrator.model.AimKinds.namespaced(aim.orchestrator.model.AimKinds.byKind(input.kind()));
    if (namespaced == input.clusterScoped()) {
      throw invalidInput(
          input.kind() + (namespaced ? " is namespaced: the input needs a namespace" : " is cluster-scoped: the input must not have a namespace"));
    }
    String id = Workflow.getInfo().getWorkflowId();
    if (!WorkflowIds.of(input).equals(id)) {
      throw invalidInput(
          "workflow ID \"" + id + "\" is not the canonical ID of " + input.kind() + " " + input.name()
              + "; start it with --workflow-id " + WorkflowIds.of(input));
    }
  }

  /** Creates the object the input describes unless it exists (then the input's spec is ignored). */
  private void createFromInput(ResourceRef input) {
    try {
      if (resources.createIfAbsent(input)) {
        log.info("{} created from the workflow input", ref);
      } else {
        log.info("{} exists; the spec in the workflow input is ignored", ref);
      }
    } catch (ActivityFailure failure) {
      Throwable cause = failure.getCause() == null ? failure : failure.getCause();
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "cannot create " + WorkflowIds.of(input) + " from the workflow input: " + cause.getMessage(),
          ErrorTypes.InvalidInput.name(),
          failure);
    }
    // The spec has done its job; no activity or continue-as-new payload carries it.
    ref = input.withoutSpec();
  }

  private static ApplicationFailure invalidInput(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.InvalidInput.name());
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** The workflow method of every kind's interface: the loop. */
  public void run(ResourceRef resource) {
    runLoop(resource);
  }

  /** The {@code observe} signal of every kind's interface: any event is a reason to look again. */
  public void observe(ResourceEvent event) {
    onEvent(event);
  }

  /** The {@code status} query of every kind's interface. */
  public ResourceView status() {
    return view();
  }

  /** Starts the next run of this workflow (same type, same task queue). */
  protected void continueAsNew(ResourceRef next) {
    Workflow.continueAsNew(next);
  }

  private void onEvent(ResourceEvent event) {
    if (event != null && event.uid() != null) {
      latestEvent = event;
    }
    wakeUp = true;
  }

  /**
   * What the {@code status} query answers. During a pass, the stages it has not reached yet show their health from
   * the previous pass, as the written status does, so a reader never sees the steps vanish and come back.
   */
  private ResourceView view() {
    return new ResourceView(
        ref, displayStatus, List.copyOf(withLastKnownHealth(completed).values()), observedGeneration, phase, passes);
  }

  /**
   * This pass's components; unless the pass is complete, followed by the stages it has not reached yet with their
   * health from the previous pass (what the written status and the {@code status} query both show).
   */
  private Map<String, ComponentHealth> withLastKnownHealth(boolean passComplete) {
    Map<String, ComponentHealth> merged = new LinkedHashMap<>(components);
    if (!passComplete) {
      for (var e : previousComponents.entrySet()) {
        merged.putIfAbsent(e.getKey(), e.getValue());
      }
    }
    return merged;
  }

  private boolean pass(Observation obs) {
    passes++;
    observedGeneration = obs.generation();
    previousComponents = components;
    components = new LinkedHashMap<>();
    fields = new LinkedHashMap<>();
    previousExtraConditions = extraConditions;
    extraConditions = new LinkedHashMap<>();
    completed = false;
    blocked = false;
    try {
      if (finalizer() != null && !obs.hasFinalizer(finalizer())) {
        currentStage = "";
        resources.addFinalizer(ref, finalizer());
      }
      reconcile(obs);
    } catch (ActivityFailure failure) {
      recordFailure(failure);
    }
    try {
      write(completedPass());
    } catch (ActivityFailure failure) {
      // The status could not be written even after retries; the next pass tries again.
      log.warn("{}: status write failed: {}", ref, failure.getMessage());
      return false;
    }
    afterPass(obs, lastEvaluation);
    return completedPass() && allReady();
  }

  private boolean completed;
  private boolean blocked;
  private String currentStage = "";

  /** Marks the pass as having reached its end (every stage ran). */
  private boolean completedPass() {
    return completed && !blocked;
  }

  /**
   * Runs one stage (an activity call), records its result, writes status, and tells whether the next stage may
   * run: false when the stage is not Ready or the resource is blocked by an error. An activity that fails after
   * its retries marks the stage's component Degraded ({@code InfrastructureError}) and ends the pass.
   */
  protected final boolean stage(String name, java.util.function.Supplier<StageResult> activity) {
    currentStage = name;
    StageResult result = activity.get();
    for (ComponentHealth c : result.components()) {
      components.put(c.component(), c);
    }
    fields.putAll(result.statusFields());
    if (result.conditions() != null) {
      result.conditions().forEach(c -> extraConditions.put(c.type(), c));
    }
    Evaluation e = StatusEngine.evaluate(components.values());
    blocked = e.blocked();
    write(false);
    return !e.blocked() && result.ready();
  }

  /** Marks the pass complete: every stage ran and was Ready. */
  protected final void done() {
    completed = true;
  }

  private void recordFailure(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String type = cause instanceof ApplicationFailure af ? af.getType() : "";
    if (ErrorTypes.ResourceReplaced.name().equals(type)) {
      wakeUp = true; // the next observe sees the new UID
      return;
    }
    String message = cause == null ? failure.getMessage() : cause.getMessage();
    String component = currentStage.isEmpty() ? "Resource" : currentStage;
    log.warn("{}: stage {} failed after retries: {}", ref, component, message);
    components.put(
        component,
        ComponentHealth.error(
            component, ErrorCategory.INFRASTRUCTURE, "InfrastructureError", message, DependencyType.DOWNSTREAM));
  }

  private boolean allReady() {
    for (ComponentHealth c : components.values()) {
      if (!c.isReady()) {
        return false;
      }
    }
    return true;
  }

  /** Writes status when it differs from the last write of this run. */
  private void write(boolean passComplete) {
    // Later stages keep their last known health until this pass reaches them.
    Map<String, ComponentHealth> merged = withLastKnownHealth(passComplete);
    Evaluation e = StatusEngine.evaluate(merged.values());
    lastEvaluation = e;
    AIMStatus root = e.status();
    List<ConditionSpec> conditions = e.conditions();
    if (!passComplete && !e.blocked() && root == AIMStatus.Ready) {
      // Mid-pass and everything so far is Ready: never claim Ready early; the end of the pass writes the outcome.
      // Runs recorded before this change wrote "Progressing" once on their very first pass (change-ID log).
      boolean quietFirstPass = Workflow.getVersion(QUIET_FIRST_PASS, Workflow.DEFAULT_VERSION, 1) >= 1;
      if (quietFirstPass || lastWrite != null || !previousComponents.isEmpty()) {
        return;
      }
      root = AIMStatus.Progressing;
      conditions = replaceReady(conditions, "Progressing", "Waiting for the remaining lifecycle stages");
    }
    conditions = withExtras(conditions, passComplete);
    showStatus(StatusValues.display(ref.kind(), root));
    StatusWrite w =
        new StatusWrite(
            ref, observedGeneration, displayStatus, conditions, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
    if (w.equals(lastWrite)) {
      return;
    }
    resources.writeStatus(w);
    lastWrite = w;
  }

  /** The status the query and the {@code AimStatus} search attribute show. */
  private void showStatus(String status) {
    displayStatus = status;
    if (searchAttributes && !displayStatus.equals(upsertedStatus)) {
      Workflow.upsertTypedSearchAttributes(AimSearchAttributes.STATUS.valueSet(displayStatus));
      upsertedStatus = displayStatus;
    }
  }

  /** The stages' extra conditions (this pass's, else last pass's), placed just before {@code Ready}. */
  private List<ConditionSpec> withExtras(List<ConditionSpec> conditions, boolean passComplete) {
    Map<String, ConditionSpec> extras = new LinkedHashMap<>(extraConditions);
    if (!passComplete) {
      previousExtraConditions.forEach(extras::putIfAbsent);
    }
    if (extras.isEmpty()) {
      return conditions;
    }
    List<ConditionSpec> out = new ArrayList<>();
    for (ConditionSpec c : conditions) {
      if (StatusEngine.READY.equals(c.type())) {
        out.addAll(extras.values());
      }
      out.add(c);
    }
    return out;
  }

  private static List<ConditionSpec> replaceReady(List<ConditionSpec> conditions, String reason, String message) {
    List<ConditionSpec> out = new ArrayList<>();
    for (ConditionSpec c : conditions) {
      out.add(StatusEngine.READY.equals(c.type()) ? ConditionSpec.isFalse(StatusEngine.READY, reason, message) : c);
    }
    return out;
  }

  private void runTeardown(Observation obs) {
    if (finalizer() == null || !obs.hasFinalizer(finalizer())) {
      // Nothing of ours holds the object; Kubernetes garbage-collects owned children.
      Workflow.await(MIN_BACKOFF, () -> wakeUp);
      return;
    }
    teardown();
    resources.removeFinalizer(ref, finalizer());
  }
}
