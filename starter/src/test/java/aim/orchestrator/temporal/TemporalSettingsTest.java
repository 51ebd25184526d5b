package aim.orchestrator.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Wrong {@code aim.temporal.*} settings fail before anything connects, every problem named by its property and
 * listed at once; keys and tokens never show. The Spring binding is the one both applications import.
 */
class TemporalSettingsTest {
  @TempDir Path dir;
  private TestPki.Issued ca;
  private TestPki.Issued client;
  private Path cert;
  private Path key;

  @BeforeEach
  void files() {
    ca = TestPki.ca("CA");
    client = TestPki.client(ca, "aim");
    cert = TestPki.certPem(dir.resolve("client.pem"), client.cert());
    key = TestPki.pkcs8KeyPem(dir.resolve("client-key.pem"), client.keys());
  }

  @Test
  void aClientCertificateNeedsItsKeyAndTheOtherWayRound() {
    assertThatThrownBy(() -> check(tls("", cert.toString(), "")))
        .isInstanceOf(TemporalSettingsException.class)
        .hasMessage(
            "Invalid Temporal settings: aim.temporal.tls.client-key-file is required when aim.temporal.tls.client-cert-file is set (mutual TLS needs both)");
    assertThatThrownBy(() -> check(tls("", "", key.toString())))
        .hasMessage(
            "Invalid Temporal settings: aim.temporal.tls.client-cert-file is required when aim.temporal.tls.client-key-file is set (mutual TLS needs both)");
  }

  @Test
  void filesThatCannotBeReadAreNamedWithTheirProperty() {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> check(tls(missing.toString(), "", "")))
        .hasMessage("Invalid Temporal settings: aim.temporal.tls.ca-file: " + missing + " does not exist");
    assertThatThrownBy(() -> check(tls(dir.toString(), "", "")))
        .hasMessage("Invalid Temporal settings: aim.temporal.tls.ca-file: " + dir + " is a directory, not a file");
  }

  @Test
  void everyProblemIsListedAtOnce() {
    Path notPem = TestPki.write(dir.resolve("ca.txt"), "hello");
    TemporalProperties props =
        new TemporalProperties(
            "",
            "",
            new TemporalProperties.Tls(false, notPem.toString(), "bad name!", cert.toString(), ""),
            new TemporalProperties.ApiKey(dir.resolve("missing-key").toString(), "SOME_VAR"),
            new TemporalProperties.Codec(true, "", "", false));

    assertThatThrownBy(() -> check(props))
        .isInstanceOf(TemporalSettingsException.class)
        .satisfies(
            e ->
                assertThat(((TemporalSettingsException) e).problems())
                    .containsExactly(
                        "aim.temporal.target is required: the Temporal frontend as host:port (TEMPORAL_ADDRESS)",
                        "aim.temporal.namespace is required (TEMPORAL_NAMESPACE)",
                        "aim.temporal.tls.server-name: 'bad name!' is not a host name",
                        "aim.temporal.tls.ca-file: " + notPem + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                        "aim.temporal.tls.client-key-file is required when aim.temporal.tls.client-cert-file is set (mutual TLS needs both)",
                        "set only one of aim.temporal.api-key.file and aim.temporal.api-key.env (both are set)",
                        "aim.temporal.codec.key-dir is required when aim.temporal.codec.enabled is true"))
        .hasMessageStartingWith("Invalid Temporal settings:\n  - aim.temporal.target is required");
  }

  @Test
  void keysMustBeUnencryptedPkcs8AndBelongToTheCertificate() {
    Path traditional = TestPki.traditionalKeyPem(dir.resolve("ec.pem"), client.keys());
    Path otherKey = TestPki.pkcs8KeyPem(dir.resolve("other-key.pem"), TestPki.client(ca, "other").keys());
    Path certOnly = TestPki.certPem(dir.resolve("cert-as-key.pem"), client.cert());

    assertThatThrownBy(() -> check(tls("", cert.toString(), traditional.toString())))
        .hasMessage(
            "Invalid Temporal settings: aim.temporal.tls.client-key-file: " + traditional + " holds a EC PRIVATE KEY (PKCS#1/SEC1); "
                + "convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pkcs8>");
    assertThatThrownBy(() -> check(tls("", cert.toString(), otherKey.toString())))
        .hasMessage(
            "Invalid Temporal settings: aim.temporal.tls.client-key-file: the key in " + otherKey + " does not belong to the certificate in "
                + cert + " (aim.temporal.tls.client-cert-file)");
    assertThatThrownBy(() -> check(tls("", cert.toString(), certOnly.toString())))
        .hasMessage("Invalid Temporal settings: aim.temporal.tls.client-key-file: " + certOnly + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  @Test
  void anExpiredClientCertificateIsCaughtAtStartup() {
    TestPki.Issued old = TestPki.client(ca, "old", Instant.now().minus(Duration.ofDays(10)), Duration.ofDays(1));
    Path oldCert = TestPki.certPem(dir.resolve("old.pem"), old.cert());
    Path oldKey = TestPki.pkcs8KeyPem(dir.resolve("old-key.pem"), old.keys());

    assertThatThrownBy(() -> check(tls("", oldCert.toString(), oldKey.toString())))
        .hasMessage(
            "Invalid Temporal settings: aim.temporal.tls.client-cert-file: the certificate in " + oldCert + " expired on "
                + old.cert().getNotAfter().toInstant());
  }

  @Test
  void apiKeyProblemsNeverShowTheKey() {
    Path empty = TestPki.write(dir.resolve("empty"), "  \n");
    Path twoLines = TestPki.write(dir.resolve("two"), "secret-one\nsecret-two\n");
    TemporalProperties base = TemporalProperties.plain("h:7233", "default");

    assertThatThrownBy(() -> check(base.withApiKey(new TemporalProperties.ApiKey(empty.toString(), ""))))
        .hasMessage("Invalid Temporal settings: aim.temporal.api-key.file: " + empty + " is empty");
    assertThatThrownBy(() -> check(base.withApiKey(new TemporalProperties.ApiKey(twoLines.toString(), ""))))
        .hasMessage("Invalid Temporal settings: aim.temporal.api-key.file: " + twoLines + " holds more than one line; it must hold the API key only")
        .message()
        .doesNotContain("secret");
    assertThatThrownBy(() -> check(base.withApiKey(new TemporalProperties.ApiKey("", "TEMPORAL_API_KEY"))))
        .hasMessage("Invalid Temporal settings: aim.temporal.api-key.env: the environment variable TEMPORAL_API_KEY is not set or empty");
  }

  @Test
  void theSettingsRecordHoldsPathsAndNamesOnly() {
    TemporalProperties props =
        TemporalProperties.plain("h:7233", "default")
            .withApiKey(new TemporalProperties.ApiKey("", "TEMPORAL_API_KEY"))
            .withTls(new TemporalProperties.Tls(false, "/ca.pem", "", "", ""));
    TemporalConnection connection = TemporalConnection.of(props.withTls(TemporalProperties.Tls.jvmTrust()), Map.of("TEMPORAL_API_KEY", "tok-123"), Clock.systemUTC());

    assertThat(props.toString()).doesNotContain("tok-123").contains("TEMPORAL_API_KEY");
    assertThat(connection.toString()).doesNotContain("tok-123");
    // TLS through our own SSL context (JVM trust store here), never left to be derived.
    assertThat(connection.serviceStubsOptions().getSslContext()).isNotNull();
  }

  @Test
  void springBindsAimTemporalAndBuildsTheClientWithTheCodec() throws Exception {
    Path keys = Files.createDirectory(dir.resolve("keys"));
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    Files.writeString(keys.resolve("k1"), Base64.getEncoder().encodeToString(k));

    new ApplicationContextRunner()
        .withUserConfiguration(TemporalConfiguration.class)
        .withPropertyValues(
            "aim.temporal.target=temporal.example:7233",
            "aim.temporal.namespace=aim",
            "aim.temporal.tls.ca-file=" + TestPki.certPem(dir.resolve("ca.pem"), ca.cert()),
            "aim.temporal.tls.server-name=temporal.example",
            "aim.temporal.codec.enabled=true",
            "aim.temporal.codec.key-dir=" + keys)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              TemporalProperties props = ctx.getBean(TemporalProperties.class);
              assertThat(props.tls().serverName()).isEqualTo("temporal.example");
              assertThat(props.apiKey().configured()).isFalse();
              WorkflowClient client = ctx.getBean(WorkflowClient.class);
              assertThat(client.getOptions().getNamespace()).isEqualTo("aim");
              assertThat(client.getOptions().getDataConverter()).isInstanceOf(CodecDataConverter.class);
              assertThat(ctx.getBean(WorkflowServiceStubs.class).getOptions().getTarget()).isEqualTo("temporal.example:7233");
              assertThat(ctx.getBean(TemporalConnection.class).codec()).hasValueSatisfying(c -> assertThat(c.currentKeyId()).isEqualTo("k1"));
            });
  }

  @Test
  void springRefusesToStartOnWrongOrRenamedSettingsAndExplainsWhy() {
    new ApplicationContextRunner()
        .withUserConfiguration(TemporalConfiguration.class)
        .withPropertyValues("aim.temporal.tls.client-cert-file=" + cert, "aim.worker.temporal-target=old:7233")
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              TemporalSettingsException e = findCause(ctx.getStartupFailure());
              assertThat(e.problems()).containsExactly("aim.worker.temporal-target is no longer read: set aim.temporal.target instead");
            });
    new ApplicationContextRunner()
        .withUserConfiguration(TemporalConfiguration.class)
        .withPropertyValues("aim.temporal.tls.client-cert-file=" + cert)
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              FailureAnalysis analysis = new TemporalSettingsFailureAnalyzer().analyze(ctx.getStartupFailure());
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "The Temporal connection settings are wrong:\n  - aim.temporal.tls.client-key-file is required when "
                          + "aim.temporal.tls.client-cert-file is set (mutual TLS needs both)");
              assertThat(analysis.getAction()).contains("docs/operations.md");
            });
  }

  @Test
  void withNothingSetItIsTheLocalDefaultInPlaintext() {
    new ApplicationContextRunner()
        .withUserConfiguration(TemporalConfiguration.class)
        .run(
            ctx -> {
              TemporalConnection connection = ctx.getBean(TemporalConnection.class);
              assertThat(connection.toString()).isEqualTo("Temporal 127.0.0.1:7233, namespace default, plaintext, payloads not encrypted");
              assertThat(connection.serviceStubsOptions().getSslContext()).isNull();
              assertThat(connection.serviceStubsOptions().getEnableHttps()).isFalse();
              assertThat(connection.codec()).isEmpty();
            });
  }

  private static TemporalSettingsException findCause(Throwable t) {
    while (t != null && !(t instanceof TemporalSettingsException)) {
      t = t.getCause();
    }
    assertThat(t).isNotNull();
    return (TemporalSettingsException) t;
  }

  private static TemporalProperties tls(String caFile, String certFile, String keyFile) {
    return TemporalProperties.plain("h:7233", "default").withTls(new TemporalProperties.Tls(false, caFile, "", certFile, keyFile));
  }

  private static TemporalConnection check(TemporalProperties props) {
    return TemporalConnection.of(props, Map.of(), Clock.systemUTC());
  }
}
