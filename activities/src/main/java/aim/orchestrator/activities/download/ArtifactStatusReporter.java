package aim.orchestrator.activities.download;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a download's progress into its AIMArtifact, as the reference downloader does with {@code
 * kubectl patch --subresource=status --type=merge}: {@code status.progress} (capped at 99 % until
 * the files are verified) and {@code status.download}. Failed writes are reported once per HTTP
 * status on the error stream and otherwise ignored: a status write must never fail a download. Only
 * the status code is printed, never the API server's text, so a refused write cannot make the pod
 * log look like an RBAC failure of the download itself.
 */
public final class ArtifactStatusReporter implements AutoCloseable {
  /** {@code aim.eai.amd.com/v1alpha1} AIMArtifact. */
  public static final ResourceDefinitionContext AIM_ARTIFACTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("aim.eai.amd.com")
          .withVersion("v1alpha1")
          .withKind("AIMArtifact")
          .withPlural("aimartifacts")
          .withNamespaced(true)
          .build();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final String namespace;
  private final String name;
  private final PrintStream err;
  private final Set<Integer> reportedFailures = ConcurrentHashMap.newKeySet();
  private Map<String, Object> lastProgress;

  /**
   * A reporter for one artifact.
   *
   * @param client the Kubernetes client
   * @param ownsClient whether {@link #close()} closes the client
   * @param namespace the artifact's namespace
   * @param name the artifact's name
   * @param err where failed writes are reported
   */
  public ArtifactStatusReporter(
      KubernetesClient client, boolean ownsClient, String namespace, String name, PrintStream err) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
    this.err = Objects.requireNonNull(err, "err");
  }

  /**
   * Patches {@code status.progress}. The percentage stays at 99 or below until {@code verified}, so
   * "100 %" always means the files are complete and checked.
   */
  public synchronized void progress(long downloadedBytes, long totalBytes, boolean verified) {
    int percentage;
    if (verified) {
      percentage = 100;
    } else if (totalBytes > 0) {
      percentage = (int) Math.min(99, downloadedBytes * 100 / totalBytes);
    } else {
      percentage = 0;
    }
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put("totalBytes", totalBytes);
    progress.put(
        "downloadedBytes", verified ? Math.max(downloadedBytes, totalBytes) : downloadedBytes);
    progress.put("percentage", percentage);
    progress.put("displayPercentage", percentage + "%");
    if (progress.equals(lastProgress)) {
      return;
    }
    lastProgress = progress;
    patch(Map.of("progress", progress));
  }

  /** Patches {@code status.download}. */
  public void download(
      String protocol, int attempt, int totalAttempts, String protocolSequence, String message) {
    Map<String, Object> download = new LinkedHashMap<>();
    download.put("protocol", protocol);
    download.put("attempt", attempt);
    download.put("totalAttempts", totalAttempts);
    download.put("protocolSequence", protocolSequence);
    download.put("message", message);
    patch(Map.of("download", download));
  }

  private void patch(Map<String, Object> status) {
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("status", status));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      client
          .genericKubernetesResources(AIM_ARTIFACTS)
          .inNamespace(namespace)
          .withName(name)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), body);
    } catch (KubernetesClientException e) {
      if (reportedFailures.add(e.getCode())) {
        err.println(
            "WARN: status update of aimartifact "
                + namespace
                + "/"
                + name
                + " failed (HTTP "
                + e.getCode()
                + "); the download continues");
      }
    }
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
