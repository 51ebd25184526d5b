package aim.orchestrator.workflow.service;

import aim.orchestrator.activity.InferenceServiceState;
import aim.orchestrator.activity.Observation;
import aim.orchestrator.activity.ServiceActivities;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMStatus;
import aim.orchestrator.model.Aim;
import aim.orchestrator.status.ConditionSpec;
import aim.orchestrator.status.Evaluation;
import aim.orchestrator.status.StatusEngine;
import aim.orchestrator.workflow.ActivityStubs;
import aim.orchestrator.workflow.ReconcilingWorkflow;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** See {@link ServiceWorkflow}. Stages are activities; this class only decides their order. */
public class ServiceWorkflowImpl extends ReconcilingWorkflow implements ServiceWorkflow {
  /** Change ID: teardown also deletes derived templates (docs/workflows.md, change-ID log). */
  static final String DELETE_DERIVED_TEMPLATES = "delete-derived-templates";

  /**
   * Change ID: a deployment that fails terminally is compensated (docs/deletion.md, docs/workflows.md change-ID
   * log). Version {@code DEFAULT} leaves a Failed service's objects in place.
   */
  static final String COMPENSATE_TERMINAL_FAILURE = "compensate-terminal-failure";
  /**
   * Since this change only a KServe rejection of the service's own InferenceService counts as terminal, compensation
   * keeps Shared caches, and the generation is halted before the steps run (failed steps are run again while halted
   * instead of the stages redeploying).
   */
  static final String COMPENSATE_REJECTED_ONLY = "compensate-rejected-only";

  /** How long a generation must stay {@code Failed} before its deployment counts as failed terminally. */
  static final Duration TERMINAL_AFTER = Duration.ofSeconds(30);

  private final ServiceActivities service = ActivityStubs.service();
  private StageResult model;
  private StageResult template;
  private StageResult cache;
  private StageResult isvc;

  /** The generation whose passes end Failed, and since when (workflow time); -1 while not Failed. */
  private long failingGeneration = -1;
  private long failingSince;
  /** The generation this run compensated, and the condition that records it until the status write succeeds. */
  private long compensatedGeneration = -1;
  private ConditionSpec unrecordedCompensation;
  /** The cause of this run's compensation while some of its steps have not succeeded yet (null otherwise). */
  private String outstandingCompensation;

  @Override
  protected void reconcile(Observation observation) {
    if (!stage("RuntimeConfig", () -> resources.runtimeConfig(ref))) {
      return;
    }
    model = null;
    if (!stage("Model", () -> model = service.resolveModel(ref))) {
      return;
    }
    if (!stage("Template", () -> template = service.resolveTemplate(ref, model.resolved()))) {
      return;
    }
    if (!stage("Cache", () -> cache = service.ensureTemplateCache(ref, template.resolved()))) {
      return;
    }
    if (!stage(
        "InferenceService",
        () -> isvc = service.applyInferenceService(ref, model.resolved(), template.resolved(), cache.resolved()))) {
      return;
    }
    if (!stage("HTTPRoute", () -> service.applyHttpRoute(ref, isvc.output()))) {
      return;
    }
    done();
  }

  @Override
  protected String finalizer() {
    return Aim.FINALIZER_SERVICE;
  }

  /** Reverse order of creation: route, InferenceService, caches not worth keeping, derived templates. */
  @Override
  protected void teardown() {
    service.deleteHttpRoute(ref);
    service.deleteInferenceService(ref);
    service.deleteTemplateCaches(ref);
    if (Workflow.getVersion(DELETE_DERIVED_TEMPLATES, Workflow.DEFAULT_VERSION, 1) >= 1) {
      service.deleteDerivedTemplates(ref);
    }
  }

  @Override
  protected boolean halted(Observation observation) {
    if (observation.compensated()) {
      return true;
    }
    if (compensatedGeneration != observation.generation()) {
      return false;
    }
    if (outstandingCompensation != null) {
      // Halted before its steps ran: run the ones that failed again (all are idempotent), never the stages.
      finishCompensation(observation.generation(), outstandingCompensation);
      return true;
    }
    // Compensated in this run, but the Compensated condition did not reach the object yet: write it again.
    if (unrecordedCompensation != null && record(unrecordedCompensation)) {
      unrecordedCompensation = null;
    }
    return true;
  }

  /**
   * Terminal failure (docs/deletion.md): the generation's passes have ended {@code Failed} for {@link
   * #TERMINAL_AFTER}, and the service's InferenceService exists but is not Ready. Then the deployment is compensated
   * the way a deletion tears down, the service stays {@code Failed} with the cause and a {@code Compensated}
   * condition, and the workflow leaves it alone until the spec changes.
   */
  @Override
  protected void afterPass(Observation observation, Evaluation outcome) {
    if (outcome == null || outcome.status() != AIMStatus.Failed) {
      failingGeneration = -1;
      return;
    }
    if (Workflow.getVersion(COMPENSATE_TERMINAL_FAILURE, Workflow.DEFAULT_VERSION, 1) < 1) {
      return;
    }
    long now = Workflow.currentTimeMillis();
    if (failingGeneration != observation.generation()) {
      failingGeneration = observation.generation();
      failingSince = now;
      return;
    }
    if (now - failingSince < TERMINAL_AFTER.toMillis()) {
      return;
    }
    // Asked again only after another grace period if this time there is nothing to roll back.
    failingSince = now;
    try {
      InferenceServiceState runtime = service.inferenceServiceState(ref);
      if (!runtime.exists() || runtime.ready()) {
        // Nothing runs for this generation (the failure came first), or it serves: a Failed status is enough, and
        // fixing the cause (a missing model, a gateway) lets the next pass go on without a spec change.
        return;
      }
      boolean rejectedOnly = Workflow.getVersion(COMPENSATE_REJECTED_ONLY, Workflow.DEFAULT_VERSION, 1) >= 1;
      if (rejectedOnly && !runtime.rejected()) {
        // Failed elsewhere (a route, a model, a stale component of an earlier pass) while the InferenceService is
        // only not Ready yet (loading, restarting): it may still serve, so nothing is rolled back.
        return;
      }
      ConditionSpec ready = readyCondition(outcome);
      String cause = ready == null ? "the deployment failed" : ready.reason() + ": " + ready.message();
      log.warn("{}: generation {} failed terminally ({}); compensating", ref, observation.generation(), cause);
      if (rejectedOnly) {
        // Halted first: should a step fail, the next loops run the steps again instead of redeploying.
        compensatedGeneration = observation.generation();
        finishCompensation(observation.generation(), cause);
        return;
      }
      // Detached: a cancellation of the workflow must not leave the compensation half done.
      Workflow.newDetachedCancellationScope(() -> compensate(false)).run();
      compensatedGeneration = observation.generation();
      ConditionSpec compensated =
          ConditionSpec.isTrue(
              Aim.CONDITION_COMPENSATED,
              Aim.REASON_TERMINAL_FAILURE,
              "Generation " + observation.generation() + " failed terminally (" + cause + "); removed its HTTPRoute, "
                  + "InferenceService, Dedicated and not-Ready template caches and derived templates. Change the spec "
                  + "to deploy again.");
      unrecordedCompensation = record(compensated) ? null : compensated;
    } catch (ActivityFailure failure) {
      // A step failed after its retries; every step is idempotent, so the next check simply runs them all again.
      log.warn("{}: compensation step failed, trying again later: {}", ref, failure.getMessage());
    }
  }

  /**
   * The teardown's steps in its order; caches: only Dedicated ones, or (as first released, before change {@link
   * #COMPENSATE_REJECTED_ONLY}) the not-Ready Shared ones too.
   */
  private void compensate(boolean dedicatedCachesOnly) {
    service.deleteHttpRoute(ref);
    service.deleteInferenceService(ref);
    if (dedicatedCachesOnly) {
      service.deleteDedicatedTemplateCaches(ref);
    } else {
      service.deleteTemplateCaches(ref);
    }
    service.deleteDerivedTemplates(ref);
  }

  /**
   * Runs the compensation steps (the teardown's, but only Dedicated caches: a Shared cache may serve other services)
   * and, once all succeeded, records {@code Compensated}. A failed step leaves the compensation outstanding; the
   * halted loop calls this again.
   */
  private void finishCompensation(long generation, String cause) {
    try {
      // Detached: a cancellation of the workflow must not leave the compensation half done.
      Workflow.newDetachedCancellationScope(() -> compensate(true)).run();
    } catch (ActivityFailure failure) {
      outstandingCompensation = cause;
      log.warn("{}: compensation step failed, running the steps again while halted: {}", ref, failure.getMessage());
      return;
    }
    outstandingCompensation = null;
    ConditionSpec compensated =
        ConditionSpec.isTrue(
            Aim.CONDITION_COMPENSATED,
            Aim.REASON_TERMINAL_FAILURE,
            "Generation " + generation + " failed terminally (" + cause + "); removed its HTTPRoute, InferenceService, "
                + "Dedicated template caches and derived templates. Change the spec to deploy again.");
    unrecordedCompensation = record(compensated) ? null : compensated;
  }

  private boolean record(ConditionSpec compensated) {
    try {
      writeStatusWith(compensated);
      return true;
    } catch (ActivityFailure failure) {
      log.warn("{}: could not record the compensation in status, trying again: {}", ref, failure.getMessage());
      return false;
    }
  }

  private static ConditionSpec readyCondition(Evaluation outcome) {
    for (ConditionSpec c : outcome.conditions()) {
      if (StatusEngine.READY.equals(c.type())) {
        return c;
      }
    }
    return null;
  }
}
