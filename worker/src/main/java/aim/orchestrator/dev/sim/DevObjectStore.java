package aim.orchestrator.dev.sim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A dev/test-only S3-compatible endpoint on 127.0.0.1 (S3Proxy in-process, objects as plain files under a folder),
 * so {@code s3://} model sources download for real in the dev mode. Bucket {@value #BUCKET} holds the same small
 * synthetic files as the {@link DevModelHub} for every catalog model, under the Hugging Face repository id
 * ({@code s3://models/Qwen/Qwen3-32B/config.json}); a listing of a prefix {@code <org>/<model>} of that bucket that
 * the hub holds and the bucket does not yet puts the hub's files there first, so every repository of the hub is an
 * {@code s3://models/<org>/<model>} source too. Any other prefix is empty, so its download fails with
 * {@code SourceNotFound}. Add your
 * own objects with any S3 client against {@link #url()} (credentials {@value #ACCESS_KEY} / {@value #SECRET_KEY}).
 */
public final class DevObjectStore implements AutoCloseable {
  private static final SimLog LOG = new SimLog(DevObjectStore.class);

  /** The bucket holding the synthetic models. */
  public static final String BUCKET = "models";

  /** The dev endpoint's access key (dev/test only; not a secret). */
  public static final String ACCESS_KEY = "aim-dev";

  /** The dev endpoint's secret key (dev/test only; not a secret). */
  public static final String SECRET_KEY = "aim-dev-secret";

  private final S3Proxy proxy;

  private DevObjectStore(S3Proxy proxy) {
    this.proxy = proxy;
  }

  /**
   * Starts the endpoint on 127.0.0.1:{@code port} (0 = a free port) keeping objects under {@code folder}, and
   * puts the synthetic files of {@code repositories} there (repository id → path → content).
   */
  public static DevObjectStore start(int port, Path folder, Map<String, Map<String, byte[]>> repositories) {
    return start(port, folder, repositories, null);
  }

  /**
   * As {@link #start(int, Path, Map)}; with a hub, a listing of an unknown prefix of the bucket gets the hub's
   * synthetic files of that "repository" first.
   */
  public static DevObjectStore start(
      int port, Path folder, Map<String, Map<String, byte[]>> repositories, DevModelHub hub) {
    try {
      Files.createDirectories(folder);
      Properties properties = new Properties();
      properties.setProperty("jclouds.filesystem.basedir", folder.toAbsolutePath().toString());
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(
                  hub == null
                      ? BlobStores.create("filesystem-nio2", properties)
                      : new SyntheticPrefixes(BlobStores.create("filesystem-nio2", properties), hub))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
              .ignoreUnknownHeaders(true)
              .endpoint(URI.create("http://127.0.0.1:" + port))
              .build();
      proxy.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        Thread.sleep(20);
      }
      DevObjectStore store = new DevObjectStore(proxy);
      store.seed(repositories);
      LOG.info("S3-compatible endpoint on {} (bucket {}: synthetic files of {} models; no real model weights)",
          store.url(), BUCKET, repositories.size());
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the dev S3 endpoint: " + e.getMessage(), e);
    }
  }

  /** The endpoint, as {@code AWS_ENDPOINT_URL} takes it. */
  public String url() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** A client of this endpoint. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(url()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  private void seed(Map<String, Map<String, byte[]>> repositories) {
    try (S3Client s3 = client()) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
        s3.createBucket(b -> b.bucket(BUCKET));
      }
      repositories.forEach(
          (repo, files) ->
              files.forEach(
                  (path, content) ->
                      s3.putObject(b -> b.bucket(BUCKET).key(repo + "/" + path), RequestBody.fromBytes(content))));
    }
  }

  /** Fills an empty prefix of {@value #BUCKET} with the hub's files of that repository when it is listed. */
  private static final class SyntheticPrefixes extends ForwardingBlobStore {
    private final DevModelHub hub;

    SyntheticPrefixes(BlobStore delegate, DevModelHub hub) {
      super(delegate);
      this.hub = hub;
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
      ListObjectsV2Response listed = super.list(request);
      String repo = request.prefix() == null ? "" : request.prefix().replaceAll("/+$", "");
      if (!BUCKET.equals(request.bucket()) || !listed.contents().isEmpty() || !repo.matches("[^/]+/[^/]+") || !hub.holds(repo)) {
        return listed;
      }
      hub.files(repo).forEach(
          (path, content) ->
              delegate()
                  .putBlob(
                      PutObjectRequest.builder().bucket(BUCKET).key(repo + "/" + path).contentLength((long) content.length).build(),
                      new ByteArrayInputStream(content)));
      LOG.info("synthetic files for s3://{}/{} (dev/test only)", BUCKET, repo);
      return super.list(request);
    }
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      LOG.warn("S3 endpoint did not stop cleanly: {}", e.toString());
    }
  }
}
