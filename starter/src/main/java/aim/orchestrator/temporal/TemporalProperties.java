package aim.orchestrator.temporal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the worker and the starter reach Temporal, under {@code aim.temporal} (docs/operations.md, "Connecting to
 * Temporal"). Only file paths and names live here, never a key or a token, so {@code toString()} is safe to log.
 * {@link TemporalConnections} checks and applies these settings.
 *
 * @param target Temporal frontend, {@code host:port} (or a gRPC target such as {@code dns:///host:port})
 * @param namespace Temporal namespace
 * @param tls TLS to the frontend ({@code aim.temporal.tls.*})
 * @param apiKey an API key sent as {@code Authorization: Bearer} on every call ({@code aim.temporal.api-key.*})
 * @param codec payload encryption ({@code aim.temporal.codec.*})
 */
@ConfigurationProperties("aim.temporal")
public record TemporalProperties(
    @DefaultValue("127.0.0.1:7233") String target,
    @DefaultValue("default") String namespace,
    @DefaultValue Tls tls,
    @DefaultValue ApiKey apiKey,
    @DefaultValue Codec codec) {

  public TemporalProperties {
    target = target == null ? "" : target.strip();
    namespace = namespace == null ? "" : namespace.strip();
    tls = tls == null ? Tls.NONE : tls;
    apiKey = apiKey == null ? ApiKey.NONE : apiKey;
    codec = codec == null ? Codec.OFF : codec;
  }

  /** A plain connection: no TLS, no API key, no codec. */
  public static TemporalProperties plain(String target, String namespace) {
    return new TemporalProperties(target, namespace, Tls.NONE, ApiKey.NONE, Codec.OFF);
  }

  public TemporalProperties withTls(Tls tls) {
    return new TemporalProperties(target, namespace, tls, apiKey, codec);
  }

  public TemporalProperties withApiKey(ApiKey apiKey) {
    return new TemporalProperties(target, namespace, tls, apiKey, codec);
  }

  public TemporalProperties withCodec(Codec codec) {
    return new TemporalProperties(target, namespace, tls, apiKey, codec);
  }

  /** Whether the connection is TLS: asked for, implied by any TLS file or server name, or by an API key. */
  public boolean usesTls() {
    return tls.requested() || apiKey.configured();
  }

  /**
   * TLS to the Temporal frontend, PEM files (read once at startup).
   *
   * @param enabled TLS with the JVM's trusted CAs; implied by any of the other settings and by an API key
   * @param caFile CA certificate(s) the server's certificate must chain to; empty: the JVM's trust store
   * @param serverName the name the server's certificate must carry, when it differs from the target's host (also
   *     sent as SNI and {@code :authority})
   * @param clientCertFile client certificate chain for mutual TLS (needs {@code client-key-file})
   * @param clientKeyFile the client certificate's private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
   */
  public record Tls(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("") String caFile,
      @DefaultValue("") String serverName,
      @DefaultValue("") String clientCertFile,
      @DefaultValue("") String clientKeyFile) {
    public static final Tls NONE = new Tls(false, "", "", "", "");

    public Tls {
      caFile = blankIfNull(caFile);
      serverName = blankIfNull(serverName);
      clientCertFile = blankIfNull(clientCertFile);
      clientKeyFile = blankIfNull(clientKeyFile);
    }

    /** TLS with the JVM's trust store (and nothing else). */
    public static Tls jvmTrust() {
      return new Tls(true, "", "", "", "");
    }

    boolean requested() {
      return enabled || !caFile.isEmpty() || !serverName.isEmpty() || !clientCertFile.isEmpty() || !clientKeyFile.isEmpty();
    }

    boolean mutual() {
      return !clientCertFile.isEmpty() || !clientKeyFile.isEmpty();
    }
  }

  /**
   * An API key (Temporal Cloud), sent as {@code Authorization: Bearer <key>}; it requires TLS, which it turns on.
   * Set one of the two.
   *
   * @param file a file holding the key (a mounted Secret); re-read when it changes, so a rotated key is picked up
   *     without a restart
   * @param env the name of an environment variable holding the key, e.g. {@code TEMPORAL_API_KEY}
   */
  public record ApiKey(@DefaultValue("") String file, @DefaultValue("") String env) {
    public static final ApiKey NONE = new ApiKey("", "");

    public ApiKey {
      file = blankIfNull(file);
      env = blankIfNull(env);
    }

    boolean configured() {
      return !file.isEmpty() || !env.isEmpty();
    }
  }

  /**
   * Encryption of every workflow payload with AES-256-GCM ({@link AesGcmPayloadCodec}).
   *
   * @param enabled encrypt what this process sends; decrypt what it reads (plain payloads still read as they are)
   * @param keyDir a directory of key files (a mounted Secret): the file name is the key id, the content 32 random
   *     bytes in base64 ({@code openssl rand -base64 32})
   * @param currentKeyId the key new payloads are encrypted with; may be left empty when the directory holds one key
   * @param encryptFailures also encrypt failure messages and stack traces (Temporal's "encode failure attributes");
   *     off by default so that failures stay readable in the Temporal UI without a codec server
   */
  public record Codec(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("") String keyDir,
      @DefaultValue("") String currentKeyId,
      @DefaultValue("false") boolean encryptFailures) {
    public static final Codec OFF = new Codec(false, "", "", false);

    public Codec {
      keyDir = blankIfNull(keyDir);
      currentKeyId = blankIfNull(currentKeyId);
    }

    /** Encryption with the keys in {@code keyDir}, encrypting with its only key (or {@code currentKeyId}). */
    public static Codec keys(java.nio.file.Path keyDir, String currentKeyId) {
      return new Codec(true, keyDir.toString(), currentKeyId, false);
    }
  }

  private static String blankIfNull(String s) {
    return s == null ? "" : s.strip();
  }
}
