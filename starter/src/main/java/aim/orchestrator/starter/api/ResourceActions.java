package aim.orchestrator.starter.api;

import aim.orchestrator.discovery.DiscoveryJobManifest;
import aim.orchestrator.model.AIMArtifact;
import aim.orchestrator.model.AIMTemplateCache;
import aim.orchestrator.model.Aim;
import aim.orchestrator.model.ResourceStatusValue;
import aim.orchestrator.naming.DerivedNames;
import aim.orchestrator.render.Owners;
import aim.orchestrator.workflow.WorkflowIds;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Actions on AIM resources that make their workflows do something now. Each one records the request on the
 * resource (annotations {@code aim.eai.amd.com/requested-action}, {@code -at} and {@code -by}, for people reading the
 * object; the workflows do not need them), changes what the workflow looks at (clears discovery results, deletes a
 * finished or failed Job), and wakes the resource's workflow with signal-with-start. The workflow does the rest.
 */
@Service
public class ResourceActions {
  public static final String ANNOTATION_ACTION = Aim.LABEL_PREFIX + "requested-action";
  public static final String ANNOTATION_AT = Aim.LABEL_PREFIX + "requested-action-at";
  public static final String ANNOTATION_BY = Aim.LABEL_PREFIX + "requested-action-by";

  private static final AimResourceType CACHES = AimResourceType.of(AIMTemplateCache.class);
  private static final AimResourceType ARTIFACTS = AimResourceType.of(AIMArtifact.class);

  private final KubernetesClient kubernetes;
  private final AimResources resources;
  private final ResourceWorkflows workflows;
  private final Access access;
  private final ObjectMapper mapper;

  ResourceActions(KubernetesClient kubernetes, AimResources resources, ResourceWorkflows workflows, Access access, ObjectMapper mapper) {
    this.kubernetes = kubernetes;
    this.resources = resources;
    this.workflows = workflows;
    this.access = access;
    this.mapper = mapper;
  }

  /**
   * Re-runs discovery of a template: deletes its discovery Jobs and clears {@code status.discovery},
   * {@code status.profile} and {@code status.discoveryJob}, so the template workflow starts a new discovery Job.
   */
  public Accepted rediscover(AimResourceType type, String namespace, String name) {
    GenericKubernetesResource template = resources.get(type, namespace, name);
    JsonNode sources = mapper.valueToTree(template).path("spec").path("modelSources");
    if (sources.isArray() && !sources.isEmpty()) {
      throw new ApiException(
          ProblemType.ACTION_NOT_APPLICABLE,
          type.kind() + " \"" + name + "\" lists its model sources inline (spec.modelSources): there is nothing to discover");
    }
    Instant at = now();
    template = annotate(type, namespace, name, "rediscover", at);
    List<Job> jobs =
        (type.namespaced()
                ? kubernetes.batch().v1().jobs().inNamespace(namespace).withLabel(Aim.LABEL_TEMPLATE, name)
                : kubernetes.batch().v1().jobs().inAnyNamespace().withLabel(Aim.LABEL_TEMPLATE, name))
            .withLabel("app.kubernetes.io/name", DiscoveryJobManifest.APP_NAME)
            .list()
            .getItems();
    int deleted = 0;
    for (Job job : jobs) {
      if (Owners.ownedBy(job, template.getMetadata().getUid())) {
        kubernetes.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        deleted++;
      }
    }
    patchStatus(type, namespace, name, Map.of("discovery", NULL, "profile", NULL, "discoveryJob", NULL));
    workflows.wake(template);
    return accepted(
        "rediscover",
        type,
        namespace,
        name,
        at,
        "Discovery results cleared" + (deleted > 0 ? " and " + deleted + " discovery Job(s) deleted" : "")
            + "; the template workflow runs a new discovery Job (watch status.status and the Discovered condition)");
  }

  /** Warms a template cache now: wakes its workflow and the workflows of its artifacts. */
  public Accepted warmCache(String namespace, String name) {
    Instant at = now();
    GenericKubernetesResource cache = annotate(CACHES, namespace, name, "warm", at);
    workflows.wake(cache);
    List<String> artifacts = cacheArtifacts(namespace, name);
    for (String artifact : artifacts) {
      GenericKubernetesResource a = resources.one(ARTIFACTS, namespace, artifact).get();
      if (a != null) {
        workflows.wake(a);
      }
    }
    return accepted(
        "warm", CACHES, namespace, name, at, "The template cache and its " + artifacts.size() + " artifact(s) reconcile now");
  }

  /**
   * Re-verifies the downloaded artifacts of a template cache: each Ready artifact gets its download Job deleted and
   * its status set back to Progressing, so its workflow runs the download Job again, which checks the files on the
   * volume against the source (and fetches only what is missing or wrong). Needs {@code patch} on each artifact.
   * While that runs the cache, and services using it, are not Ready.
   */
  public Accepted verifyCache(String namespace, String name) {
    resources.get(CACHES, namespace, name);
    List<String> names = cacheArtifacts(namespace, name);
    names.forEach(artifact -> access.require("patch", ARTIFACTS.plural(), namespace, artifact));
    Instant at = now();
    GenericKubernetesResource cache = annotate(CACHES, namespace, name, "verify", at);
    List<String> verifying = new ArrayList<>();
    for (String artifactName : names) {
      AIMArtifact artifact = kubernetes.resources(AIMArtifact.class).inNamespace(namespace).withName(artifactName).get();
      if (artifact == null) {
        continue;
      }
      if (artifact.getStatus() != null && artifact.getStatus().status == ResourceStatusValue.Ready) {
        deleteDownloadJob(artifact);
        patchStatus(ARTIFACTS, namespace, artifactName, Map.of("status", ResourceStatusValue.Progressing.name()));
        verifying.add(artifactName);
      }
      workflows.wake(annotate(ARTIFACTS, namespace, artifactName, "verify", at));
    }
    workflows.wake(cache);
    return accepted(
        "verify",
        CACHES,
        namespace,
        name,
        at,
        verifying.isEmpty()
            ? "No artifact is Ready yet, so none is re-verified; the cache and its artifacts reconcile now"
            : "Re-verifying " + String.join(", ", verifying) + ": their download Jobs run again");
  }

  /** Retries a Failed artifact: deletes its failed download Job, so its workflow starts a new one. */
  public Accepted retryArtifact(String namespace, String name) {
    AIMArtifact artifact = kubernetes.resources(AIMArtifact.class).inNamespace(namespace).withName(name).get();
    if (artifact == null) {
      throw AimResources.notFound(ARTIFACTS, name);
    }
    Job job = downloadJob(artifact);
    boolean jobFailed =
        job != null
            && job.getStatus() != null
            && job.getStatus().getConditions() != null
            && job.getStatus().getConditions().stream().anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
    ResourceStatusValue status = artifact.getStatus() == null ? null : artifact.getStatus().status;
    if (status != ResourceStatusValue.Failed && !jobFailed) {
      throw new ApiException(
              ProblemType.ACTION_NOT_APPLICABLE,
              "AIMArtifact \"" + name + "\" has not failed (status " + status + "): only a failed artifact can be retried")
          .with("resourceStatus", String.valueOf(status));
    }
    Instant at = now();
    deleteDownloadJob(artifact);
    workflows.wake(annotate(ARTIFACTS, namespace, name, "retry", at));
    return accepted("retry", ARTIFACTS, namespace, name, at, "The failed download Job was deleted; the artifact workflow starts a new one");
  }

  private List<String> cacheArtifacts(String namespace, String name) {
    AIMTemplateCache cache = kubernetes.resources(AIMTemplateCache.class).inNamespace(namespace).withName(name).get();
    if (cache == null) {
      throw AimResources.notFound(CACHES, name);
    }
    if (cache.getStatus() == null || cache.getStatus().artifacts == null) {
      return List.of();
    }
    return cache.getStatus().artifacts.values().stream().map(e -> e.name).filter(n -> n != null && !n.isEmpty()).toList();
  }

  private Job downloadJob(AIMArtifact artifact) {
    String job = DerivedNames.artifactDownloadJob(artifact.getMetadata().getName(), artifact.getMetadata().getUid());
    return kubernetes.batch().v1().jobs().inNamespace(artifact.getMetadata().getNamespace()).withName(job).get();
  }

  private void deleteDownloadJob(AIMArtifact artifact) {
    Job job = downloadJob(artifact);
    if (job != null) {
      kubernetes.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
  }

  /** Records the request on the object; answers the patched object. */
  private GenericKubernetesResource annotate(AimResourceType type, String namespace, String name, String action, Instant at) {
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put(ANNOTATION_ACTION, action);
    annotations.put(ANNOTATION_AT, at.toString());
    annotations.put(ANNOTATION_BY, access.caller().username());
    return resources.one(type, namespace, name).patch(PatchContext.of(PatchType.JSON_MERGE), json(Map.of("metadata", Map.of("annotations", annotations))));
  }

  /** A JSON merge patch of the status subresource; {@link #NULL} removes a field. */
  private void patchStatus(AimResourceType type, String namespace, String name, Map<String, Object> fields) {
    resources.one(type, namespace, name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), json(Map.of("status", fields)));
  }

  private static final Object NULL = com.fasterxml.jackson.databind.node.NullNode.getInstance();

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Accepted accepted(String action, AimResourceType type, String namespace, String name, Instant at, String message) {
    return new Accepted(action, type.kind(), namespace, name, WorkflowIds.of(type.kind(), namespace, name), access.caller().username(), at.toString(), message);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }
}
