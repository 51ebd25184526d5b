package aim.orchestrator.dev.sim;

import aim.orchestrator.discovery.DiscoveryJobManifest;
import aim.orchestrator.recipes.SimulatedImage;
import aim.orchestrator.recipes.SimulatedImages;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs discovery Jobs for simulated AIM images (dev/test only): the Pod's log is what the image's
 * {@code dry-run --format=json} would print for the container's environment, computed by the same profile selection
 * as {@code aim recipes select} ({@link SimulatedImages}). An image the simulator does not know fails the Pod with
 * a message that says so and how to add one.
 */
public final class DiscoveryRunner implements JobRunner {
  private static final SimLog LOG = new SimLog(DiscoveryRunner.class);

  private final SimulatedImages images;

  public DiscoveryRunner(SimulatedImages images) {
    this.images = images;
  }

  /** True for the Jobs this runner answers: discovery Jobs by their {@code app.kubernetes.io/name} label. */
  public static boolean isDiscoveryJob(Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    return labels != null && DiscoveryJobManifest.APP_NAME.equals(labels.get("app.kubernetes.io/name"));
  }

  @Override
  public Outcome run(Job job, Pod pod) {
    List<Container> containers = job.getSpec().getTemplate().getSpec().getContainers();
    Container container =
        containers.stream().filter(c -> DiscoveryJobManifest.CONTAINER.equals(c.getName())).findFirst().orElse(containers.get(0));
    Optional<SimulatedImage> image = images.find(container.getImage());
    if (image.isEmpty()) {
      String message =
          "dev simulator: " + container.getImage() + " is not a simulated AIM image; known: "
              + images.images().stream().map(SimulatedImage::image).toList()
              + " (add a descriptor, see docs/simulated-images.md)";
      LOG.info("discovery Job {}/{}: {}", job.getMetadata().getNamespace(), job.getMetadata().getName(), message);
      return Outcome.failure(1, message, message + "\n");
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnv() != null) {
      for (EnvVar e : container.getEnv()) {
        if (e.getValue() != null) {
          env.put(e.getName(), e.getValue());
        }
      }
    }
    String output = image.get().dryRunJson(env);
    LOG.info(
        "discovery Job {}/{}: dry-run of {} with {} answered {} profile(s)",
        job.getMetadata().getNamespace(),
        job.getMetadata().getName(),
        container.getImage(),
        env,
        output.trim().equals("[]") ? 0 : image.get().dryRun(env).size());
    return Outcome.success(output + "\n");
  }
}
