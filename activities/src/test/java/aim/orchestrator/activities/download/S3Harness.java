package aim.orchestrator.activities.download;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * S3Proxy in-process with the in-memory blob store and SigV4 credentials, seeded like {@link
 * S3DownloadTest}, for tests that need an S3 endpoint only once (the JUnit extension restarts it
 * for every test method).
 */
final class S3Harness implements AutoCloseable {
  private final S3Proxy proxy;

  S3Harness() throws IOException {
    Properties properties = new Properties();
    properties.setProperty("jclouds.identity", S3DownloadTest.ACCESS_KEY);
    properties.setProperty("jclouds.credential", S3DownloadTest.SECRET_KEY);
    properties.setProperty(
        "jclouds.filesystem.basedir",
        Files.createTempDirectory("s3proxy").toFile().getCanonicalPath());
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("transient-nio2", properties))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4,
                S3DownloadTest.ACCESS_KEY,
                S3DownloadTest.SECRET_KEY)
            .ignoreUnknownHeaders(true)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .build();
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IOException("S3Proxy did not start", e);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> "STARTED".equals(proxy.getState()));
    S3DownloadTest.seed(endpoint());
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
