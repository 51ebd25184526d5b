package aim.orchestrator.activities.download;

import aim.orchestrator.activities.download.DownloadException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Every object under an {@code s3://bucket/prefix}, each file written relative to the prefix.
 * Content is read with ranged GETs of {@link #DEFAULT_PART_SIZE} on a plain {@link S3AsyncClient},
 * one part after the other, so memory stays bounded and a resumed file asks only for what is
 * missing. (The Transfer Manager's multipart download reads by part number, which S3-compatible
 * servers such as S3Proxy reject; see STACK.md §4.)
 *
 * <p>S3 publishes no content digest that holds for every object (multipart ETags are not MD5s), so
 * only sizes are verified.
 */
public final class S3Source implements DownloadSource {
  /** The size of one ranged GET. */
  public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

  private static final Set<String> AUTH_CODES =
      Set.of(
          "AccessDenied",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "InvalidToken",
          "TokenRefreshRequired",
          "AllAccessDisabled");
  private static final Set<String> NOT_FOUND_CODES =
      Set.of("NoSuchBucket", "NoSuchKey", "NotFound");

  private final S3AsyncClient client;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix;
  private final long partSize;

  /**
   * A source over an existing client.
   *
   * @param client the client; closed with this source only if {@code ownsClient}
   * @param bucket the bucket
   * @param prefix the key prefix; a missing trailing {@code /} is added, so {@code models/a} does
   *     not match {@code models/ab/…}; empty for the whole bucket
   * @param partSize bytes per ranged GET
   * @param ownsClient whether {@link #close()} closes the client
   */
  public S3Source(
      S3AsyncClient client, String bucket, String prefix, long partSize, boolean ownsClient) {
    this.client = Objects.requireNonNull(client, "client");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    String p = prefix == null ? "" : prefix;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
    if (partSize <= 0) {
      throw new IllegalArgumentException("partSize must be positive");
    }
    this.partSize = partSize;
    this.ownsClient = ownsClient;
  }

  /**
   * The source for {@code s3://bucket/prefix} with a client from {@link #clientBuilder(Map)}; the
   * part size comes from {@code AIM_S3_PART_SIZE_BYTES} (default {@value #DEFAULT_PART_SIZE}).
   */
  public static S3Source fromUri(String uri, Map<String, String> env) throws DownloadException {
    String[] bucketAndPrefix = parse(uri);
    long partSize = DEFAULT_PART_SIZE;
    String configured = env.get("AIM_S3_PART_SIZE_BYTES");
    if (configured != null && !configured.isBlank()) {
      try {
        partSize = Long.parseLong(configured.strip());
      } catch (NumberFormatException e) {
        throw new DownloadException(
            Reason.INVALID_SOURCE, "AIM_S3_PART_SIZE_BYTES is not a number: " + configured);
      }
    }
    return new S3Source(
        clientBuilder(env).build(), bucketAndPrefix[0], bucketAndPrefix[1], partSize, true);
  }

  /**
   * A client builder configured from the environment: {@code AWS_ENDPOINT_URL_S3} or {@code
   * AWS_ENDPOINT_URL} as the endpoint override (with path-style addressing, which S3-compatible
   * stores need), the region from {@code AWS_REGION} or {@code AWS_DEFAULT_REGION} (default {@code
   * us-east-1}), static credentials from {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
   * (and {@code AWS_SESSION_TOKEN}) when both are set, else the SDK's default provider chain.
   */
  public static S3AsyncClientBuilder clientBuilder(Map<String, String> env) {
    String region = firstSet(env, "AWS_REGION", "AWS_DEFAULT_REGION");
    S3AsyncClientBuilder builder =
        S3AsyncClient.builder()
            .region(Region.of(region == null ? "us-east-1" : region))
            .credentialsProvider(credentials(env));
    String endpoint = firstSet(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
    }
    return builder;
  }

  private static AwsCredentialsProvider credentials(Map<String, String> env) {
    String accessKey = firstSet(env, "AWS_ACCESS_KEY_ID");
    String secretKey = firstSet(env, "AWS_SECRET_ACCESS_KEY");
    if (accessKey == null || secretKey == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    String sessionToken = firstSet(env, "AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(
        sessionToken == null
            ? AwsBasicCredentials.create(accessKey, secretKey)
            : AwsSessionCredentials.create(accessKey, secretKey, sessionToken));
  }

  private static String firstSet(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  private static String[] parse(String uri) throws DownloadException {
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isBlank()) {
      throw new DownloadException(
          Reason.INVALID_SOURCE, "Invalid S3 URI '" + uri + "': expected s3://bucket/prefix");
    }
    return new String[] {bucket, prefix};
  }

  @Override
  public String protocol() {
    return "S3";
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public List<RemoteFile> listFiles() throws IOException {
    List<RemoteFile> files = new ArrayList<>();
    String continuation = null;
    do {
      ListObjectsV2Request.Builder request =
          ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
      if (continuation != null) {
        request.continuationToken(continuation);
      }
      ListObjectsV2Response page = await(client.listObjectsV2(request.build()), location());
      for (S3Object object : page.contents()) {
        String key = object.key();
        // Zero-byte keys ending in '/' are console-made folder markers, not files.
        if (key.endsWith("/") || key.length() <= prefix.length()) {
          continue;
        }
        files.add(new RemoteFile(key.substring(prefix.length()), object.size()));
      }
      continuation = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (continuation != null);
    if (files.isEmpty()) {
      throw new DownloadException(
          Reason.SOURCE_NOT_FOUND, "S3 error: 404 (NoSuchKey): no objects under " + location());
    }
    return files;
  }

  @Override
  public RemoteContent open(RemoteFile file, long offset) throws IOException {
    PartStream stream = new PartStream(prefix + file.path(), offset, file.size());
    // Fetch the first part now, so a missing object or a refused credential surfaces here.
    stream.nextPart();
    return new RemoteContent(offset, stream);
  }

  @Override
  public RemoteContent openRange(RemoteFile file, long offset, long length) throws IOException {
    PartStream stream = new PartStream(prefix + file.path(), offset, Math.min(file.size(), offset + length));
    stream.nextPart();
    return new RemoteContent(offset, stream);
  }

  @Override
  public void close() {
    if (ownsClient) {
      // Closing the SDK's Netty event loops waits out a 2 s quiet period; nothing needs to wait.
      Thread closer = new Thread(client::close, "s3-client-close");
      closer.setDaemon(true);
      closer.start();
    }
  }

  @Override
  public String toString() {
    return "S3Source[" + location() + "]";
  }

  private ResponseInputStream<GetObjectResponse> fetch(String key, long first, long last)
      throws IOException {
    GetObjectRequest request =
        GetObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .range("bytes=" + first + "-" + last)
            .build();
    return await(
        client.getObject(request, AsyncResponseTransformer.toBlockingInputStream()),
        "s3://" + bucket + "/" + key);
  }

  private static <T> T await(Future<T> future, String what) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("Interrupted: " + what);
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      throw map(e.getCause(), what);
    } catch (CompletionException e) {
      throw map(e.getCause(), what);
    }
  }

  /**
   * Maps SDK failures to reasons, worded for the AIM engine's log classifier ({@code S3 error: 404
   * (NoSuchBucket)}, {@code S3 error: 403 (SignatureDoesNotMatch)}); SDK messages carry request
   * ids, never credentials.
   */
  static IOException map(Throwable failure, String what) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof S3Exception s3) {
      int status = s3.statusCode();
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      String detail = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorMessage();
      if (code == null || code.isBlank()) {
        code = status == 404 ? "NoSuchKey" : status == 403 ? "AccessDenied" : "HTTP" + status;
      }
      String message =
          "S3 error: "
              + status
              + " ("
              + code
              + "): "
              + (detail == null ? "no details" : detail)
              + " ["
              + what
              + "]";
      if (status == 404 || NOT_FOUND_CODES.contains(code)) {
        return new DownloadException(Reason.SOURCE_NOT_FOUND, message, s3);
      }
      if (status == 401 || status == 403 || AUTH_CODES.contains(code)) {
        return new DownloadException(
            Reason.AUTH, message + " (AccessDenied: invalid credentials or no access)", s3);
      }
      if (status == 408 || status == 429 || status >= 500 || "SlowDown".equals(code)) {
        return new DownloadException(Reason.TRANSIENT, message, s3);
      }
      return new DownloadException(Reason.FAILED, message, s3);
    }
    if (t instanceof SdkClientException sdk) {
      String m = String.valueOf(sdk.getMessage());
      if (m.toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
        return new DownloadException(
            Reason.AUTH,
            "S3 error: 403 (NoCredentialProviders): AWS credentials not found; set"
                + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ["
                + what
                + "]",
            sdk);
      }
      return new IOException("S3 client error for " + what + ": " + m, sdk);
    }
    if (t instanceof IOException io) {
      return io;
    }
    return new IOException("S3 request failed for " + what + ": " + t, t);
  }

  /** The remaining bytes of one object as a sequence of ranged GETs. */
  private final class PartStream extends InputStream {
    private final String key;
    private final long size;
    private long position;
    private long partEnd;
    private volatile ResponseInputStream<GetObjectResponse> current;
    private volatile boolean closed;

    PartStream(String key, long offset, long size) {
      this.key = key;
      this.position = offset;
      this.partEnd = offset;
      this.size = size;
    }

    void nextPart() throws IOException {
      if (current != null) {
        current.close();
        current = null;
      }
      if (position >= size) {
        return;
      }
      long last = Math.min(size, position + partSize) - 1;
      ResponseInputStream<GetObjectResponse> part = fetch(key, position, last);
      if (closed) {
        part.abort();
        throw new IOException("Stream closed");
      }
      String range = part.response().contentRange();
      if (position > 0 && (range == null || !range.startsWith("bytes " + position + "-"))) {
        // A store that ignores Range would hand us the object from byte 0 and corrupt the file.
        part.abort();
        throw new DownloadException(
            Reason.FAILED,
            "The S3 endpoint ignored the Range header for s3://"
                + bucket
                + "/"
                + key
                + " (Content-Range: "
                + range
                + ")");
      }
      current = part;
      partEnd = last + 1;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (true) {
        if (closed) {
          throw new IOException("Stream closed");
        }
        if (position >= size) {
          return -1;
        }
        if (current == null || position >= partEnd) {
          nextPart();
          continue;
        }
        int n;
        try {
          n = current.read(b, off, (int) Math.min(len, partEnd - position));
        } catch (RuntimeException e) {
          // The SDK's blocking stream reports connection failures as unchecked exceptions.
          throw new IOException(
              "S3 read failed for s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
        if (n < 0) {
          throw new IOException(
              "S3 part ended early at byte "
                  + position
                  + " of s3://"
                  + bucket
                  + "/"
                  + key
                  + " (part end "
                  + partEnd
                  + ")");
        }
        position += n;
        return n;
      }
    }

    @Override
    public void close() {
      closed = true;
      ResponseInputStream<GetObjectResponse> c = current;
      if (c != null) {
        c.abort();
      }
    }
  }
}
