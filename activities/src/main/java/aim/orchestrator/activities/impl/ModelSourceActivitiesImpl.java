package aim.orchestrator.activities.impl;

import aim.orchestrator.activities.kube.Kube;
import aim.orchestrator.activities.registry.Keychain;
import aim.orchestrator.activities.registry.PullSecrets;
import aim.orchestrator.activities.registry.RegistryClient;
import aim.orchestrator.activities.registry.RegistryException;
import aim.orchestrator.activities.registry.RegistrySettings;
import aim.orchestrator.activity.ModelSourceActivities;
import aim.orchestrator.activity.ModelSourceSync;
import aim.orchestrator.activity.StageResult;
import aim.orchestrator.model.AIMClusterModel;
import aim.orchestrator.model.AIMClusterModelSource;
import aim.orchestrator.model.AIMClusterModelSourceSpec;
import aim.orchestrator.modelsource.FilterOutcome;
import aim.orchestrator.modelsource.GoDuration;
import aim.orchestrator.modelsource.ImageFilter;
import aim.orchestrator.modelsource.ModelSourceFilters;
import aim.orchestrator.modelsource.RegistryImage;
import aim.orchestrator.modelsource.SyncPlan;
import aim.orchestrator.status.ComponentHealth;
import aim.orchestrator.status.DependencyType;
import aim.orchestrator.status.ErrorCategory;
import aim.orchestrator.workflow.ResourceRef;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs an AIMClusterModelSource (spec §2.8, §3.13). Each filter is one of three shapes: an exact image (no registry
 * call), an exact repository (its tag list), or a repository pattern with {@code *} — listed through the Docker Hub
 * API for {@code docker.io}, the GitHub packages API for {@code ghcr.io}, and the registry's {@code _catalog}
 * elsewhere, then each matching repository's tags. What a filter keeps decides {@link ModelSourceFilters}; which
 * models to create decides {@link SyncPlan}. Models are created, never updated or deleted.
 */
public class ModelSourceActivitiesImpl implements ModelSourceActivities {
  static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofHours(1);
  private static final String GHCR = "ghcr.io";
  private static final Logger log = LoggerFactory.getLogger(ModelSourceActivitiesImpl.class);

  private final Kube kube;
  private final RegistryClient registry;
  private final Clock clock;

  public ModelSourceActivitiesImpl(Kube kube, RegistryClient registry, Clock clock) {
    this.kube = kube;
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public ModelSourceSync sync(ResourceRef ref) {
    return Kube.call(
        () -> {
          AIMClusterModelSource source = kube.current(ref, AIMClusterModelSource.class);
          AIMClusterModelSourceSpec spec = source.getSpec();
          long generation = source.getMetadata().getGeneration() == null ? 0 : source.getMetadata().getGeneration();
          Duration interval;
          try {
            interval = syncInterval(spec.syncInterval);
          } catch (IllegalArgumentException e) {
            return new ModelSourceSync(
                StageResult.of(
                    ComponentHealth.error(
                        "SyncInterval", ErrorCategory.INVALID_SPEC, "InvalidSyncInterval", "spec.syncInterval: " + e.getMessage(), DependencyType.UPSTREAM)),
                generation,
                DEFAULT_SYNC_INTERVAL.toMillis());
          }
          Credentials credentials = new Credentials(spec);
          List<FilterOutcome> outcomes = new ArrayList<>();
          for (AIMClusterModelSourceSpec.Filter filter : spec.filters == null ? List.<AIMClusterModelSourceSpec.Filter>of() : spec.filters) {
            outcomes.add(outcome(filter, spec, credentials));
          }
          List<String> existing =
              kube.aim(AIMClusterModel.class).withLabel(SyncPlan.LABEL_MODEL_SOURCE, ref.name()).list().getItems().stream()
                  .map(m -> m.getSpec().image)
                  .toList();
          SyncPlan plan = SyncPlan.plan(existing, outcomes, spec.maxModels == null ? SyncPlan.DEFAULT_MAX_MODELS : spec.maxModels);
          for (RegistryImage image : plan.newImages()) {
            create(SyncPlan.clusterModel(source, image));
          }
          log.info(
              "{}: {} images available, {} models ({} new){}",
              ref, plan.available(), plan.discovered(), plan.newImages().size(), plan.limitReached() ? ", maxModels reached" : "");
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("lastSyncTime", Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
          fields.put("discoveredModels", plan.discovered());
          fields.put("availableModels", plan.available());
          fields.put("modelsLimitReached", plan.limitReached());
          StageResult result = new StageResult(plan.components(), fields, null, null).withConditions(plan.limitCondition());
          return new ModelSourceSync(result, generation, interval.toMillis());
        });
  }

  static Duration syncInterval(String value) {
    Duration d = value == null || value.isEmpty() ? DEFAULT_SYNC_INTERVAL : GoDuration.parse(value);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("\"" + value + "\" is not a positive duration");
    }
    return d;
  }

  /** What one filter finds; registry errors become the filter's error. */
  private FilterOutcome outcome(AIMClusterModelSourceSpec.Filter filter, AIMClusterModelSourceSpec spec, Credentials credentials) {
    ImageFilter parsed = ImageFilter.parse(filter.image);
    String host = RegistrySettings.host(parsed.registryOr(spec.registry));
    List<RegistryImage> candidates = new ArrayList<>();
    try {
      if (parsed.exactImage()) {
        candidates.add(new RegistryImage(host, parsed.repository(), parsed.tag()));
      } else if (!parsed.wildcard()) {
        for (String tag : registry.tags(host, parsed.repository(), credentials.keychain())) {
          candidates.add(new RegistryImage(host, parsed.repository(), tag));
        }
      } else {
        for (String repository : repositories(host, parsed, credentials)) {
          if (!ModelSourceFilters.matchesWildcard(parsed.repository(), repository)
              || (filter.exclude != null && filter.exclude.contains(repository))) {
            continue;
          }
          try {
            for (String tag : registry.tags(host, repository, credentials.keychain())) {
              candidates.add(new RegistryImage(host, repository, tag));
            }
          } catch (RegistryException e) {
            // As in the reference: one repository that cannot be listed does not fail the filter.
            log.info("skipping {}/{}: {}", host, repository, e.getMessage());
          }
        }
      }
    } catch (RegistryException e) {
      return FilterOutcome.failed(filter.image, e.getMessage());
    }
    return FilterOutcome.found(filter.image, candidates.stream().filter(i -> ModelSourceFilters.matches(i, filter, spec.versions)).toList());
  }

  /** The repositories a wildcard filter considers, from the listing API of its registry. */
  private List<String> repositories(String host, ImageFilter filter, Credentials credentials) throws RegistryException {
    if (RegistrySettings.DOCKER_HUB.equals(host) || GHCR.equals(host)) {
      String namespace = filter.namespace();
      if (namespace == null) {
        throw new RegistryException(
            RegistryException.Reason.INVALID,
            "a wildcard on " + host + " needs a fixed first path segment (namespace or organisation), e.g. amdenterpriseai/aim-*");
      }
      return RegistrySettings.DOCKER_HUB.equals(host)
          ? registry.dockerHubRepositories(namespace)
          : registry.githubContainerPackages(namespace, credentials.keychain());
    }
    return registry.catalog(host, credentials.keychain());
  }

  /** Creates a model unless one of that name exists: the sync never updates what it (or someone) created. */
  private void create(AIMClusterModel model) {
    try {
      kube.client().resource(model).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      log.debug("{} exists already; left as it is", model.getMetadata().getName());
    }
  }

  /** The source's pull secrets (operator namespace), read once and only when a filter needs the registry. */
  private final class Credentials {
    private final AIMClusterModelSourceSpec spec;
    private Keychain keychain;

    Credentials(AIMClusterModelSourceSpec spec) {
      this.spec = spec;
    }

    Keychain keychain() throws RegistryException {
      if (keychain == null) {
        String namespace = registry.settings().operatorNamespace();
        PullSecrets.Lookup lookup = PullSecrets.read(kube.client(), namespace, spec.imagePullSecrets);
        if (!lookup.missing().isEmpty()) {
          throw new RegistryException(
              RegistryException.Reason.AUTH,
              "image pull secret " + String.join(", ", lookup.missing()) + " not found in namespace " + namespace);
        }
        try {
          keychain = lookup.keychain();
        } catch (IllegalArgumentException e) {
          throw new RegistryException(RegistryException.Reason.INVALID, e.getMessage());
        }
      }
      return keychain;
    }
  }
}
