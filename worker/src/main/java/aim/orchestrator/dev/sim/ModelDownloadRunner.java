package aim.orchestrator.dev.sim;

import aim.orchestrator.activities.download.DownloadCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs an artifact's download Job the way its Pod would, dev/test only: this project's real downloader
 * ({@link DownloadCommand}) with the container's env (secret references resolved through the API), writing into a
 * local folder per PVC ({@code <volumes>/<namespace>/<claim>}) and fetching {@code hf://} sources from the
 * {@link DevModelHub} (there is no internet). Its output becomes the Pod's log while it runs (the orchestrator reads
 * the progress lines there) and its JSON result the container's termination message. {@code s3://} sources come
 * from the {@link DevObjectStore}, with the credentials the container's env names (the dev endpoint's own when it
 * names none).
 */
public final class ModelDownloadRunner implements JobRunner {
  private static final SimLog LOG = new SimLog(ModelDownloadRunner.class);
  /** Label the orchestrator puts on download Jobs. */
  public static final String COMPONENT_LABEL = "aim.eai.amd.com/component";

  private final KubernetesClient client;
  private final DevModelHub hub;
  private final DevObjectStore objectStore;
  private final Path volumes;

  public ModelDownloadRunner(KubernetesClient client, DevModelHub hub, DevObjectStore objectStore, Path volumes) {
    this.client = client;
    this.hub = hub;
    this.objectStore = objectStore;
    this.volumes = volumes;
  }

  /**
   * Removes a claim's folder: its volume was deleted with the claim (reclaim policy {@code Delete}), as a real
   * provisioner deletes the disk. A claim created again under that name starts empty.
   */
  public void deleteVolume(String namespace, String claim) {
    Path folder = volumes.resolve(namespace).resolve(claim).normalize();
    if (!folder.startsWith(volumes.resolve(namespace)) || !Files.isDirectory(folder)) {
      return;
    }
    try (var files = Files.walk(folder)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
      LOG.info("deleted the files of volume {}/{} with its claim", namespace, claim);
    } catch (java.io.IOException e) {
      LOG.warn("could not delete the files of volume {}/{}: {}", namespace, claim, e.toString());
    }
  }

  /** True for the Jobs this runner serves: the orchestrator's download Jobs and cache warming's verify Jobs. */
  public static boolean isDownloadJob(Job job) {
    var labels = job.getMetadata().getLabels();
    String component = labels == null ? null : labels.get(COMPONENT_LABEL);
    return "download".equals(component) || "verify".equals(component);
  }

  @Override
  public Outcome run(Job job, Pod pod) throws Exception {
    return run(job, pod, log -> {});
  }

  @Override
  public Outcome run(Job job, Pod pod, Consumer<String> live) throws Exception {
    var spec = job.getSpec().getTemplate().getSpec();
    Container c = spec.getContainers().get(0);
    String uri = c.getArgs() == null || c.getArgs().isEmpty() ? "" : c.getArgs().get(0);
    String ns = job.getMetadata().getNamespace();
    String claim = claimAt(spec.getVolumes(), c, "/cache");
    Path target = volumes.resolve(ns).resolve(claim == null ? job.getMetadata().getName() : claim);
    Files.createDirectories(target);
    Map<String, String> env = env(ns, c.getEnv());
    env.put("TARGET_DIR", target.toString());
    env.put("MOUNT_PATH", target.toString());
    // There is no internet: every source is served by the dev endpoints.
    env.put("HF_ENDPOINT", hub.url());
    if (objectStore != null) {
      env.put("AWS_ENDPOINT_URL", objectStore.url());
      // A source that names no credentials gets the dev endpoint's (wrong ones still fail with AuthError).
      if (!env.containsKey("AWS_ACCESS_KEY_ID")) {
        env.put("AWS_ACCESS_KEY_ID", DevObjectStore.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", DevObjectStore.SECRET_KEY);
      }
    }
    env.putIfAbsent("PROGRESS_INTERVAL", "1");
    // Where a real Pod's /dev/termination-log would be: the downloader's JSON result, read by the orchestrator.
    Path termination = Files.createTempFile("aim-dev-termination-", ".log");
    env.put("AIM_TERMINATION_LOG", termination.toString());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dev-download-log");
      t.setDaemon(true);
      return t;
    });
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
      // The log grows while the Pod runs, as kubectl logs -f would show it.
      publisher.scheduleWithFixedDelay(() -> live.accept(text(log)), 500, 500, TimeUnit.MILLISECONDS);
      int code = new DownloadCommand(env, out, out, () -> client).run(uri);
      publisher.shutdownNow();
      String text = text(log);
      String message = Files.readString(termination, StandardCharsets.UTF_8).strip();
      LOG.info("download Job {}/{} ran the downloader into {}: exit {}", ns, job.getMetadata().getName(), target, code);
      return code == 0 ? new Outcome(0, message, text, null) : Outcome.failure(code, message, text);
    } finally {
      publisher.shutdownNow();
      Files.deleteIfExists(termination);
    }
  }

  private static String text(ByteArrayOutputStream log) {
    return log.toString(StandardCharsets.UTF_8); // synchronized with the writes
  }

  private Map<String, String> env(String namespace, List<EnvVar> vars) {
    Map<String, String> out = new HashMap<>();
    if (vars == null) {
      return out;
    }
    for (EnvVar v : vars) {
      if (v.getValue() != null) {
        out.put(v.getName(), v.getValue());
      } else if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
        var ref = v.getValueFrom().getSecretKeyRef();
        Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (s != null && s.getData() != null && s.getData().get(ref.getKey()) != null) {
          out.put(v.getName(), new String(Base64.getDecoder().decode(s.getData().get(ref.getKey())), StandardCharsets.UTF_8));
        } else if (s != null && s.getStringData() != null && s.getStringData().get(ref.getKey()) != null) {
          out.put(v.getName(), s.getStringData().get(ref.getKey()));
        }
      }
    }
    return out;
  }

  private static String claimAt(List<Volume> volumes, Container c, String mountPath) {
    if (c.getVolumeMounts() == null || volumes == null) {
      return null;
    }
    for (var m : c.getVolumeMounts()) {
      if (mountPath.equals(m.getMountPath())) {
        for (Volume v : volumes) {
          if (v.getName().equals(m.getName()) && v.getPersistentVolumeClaim() != null) {
            return v.getPersistentVolumeClaim().getClaimName();
          }
        }
      }
    }
    return null;
  }
}
