package aim.orchestrator.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Temporal service (the Java test server's gRPC services) behind a real TLS listener on loopback, with a CA,
 * server and client certificates made for the test: the client built by {@link TemporalConnection} trusts the
 * server only through the configured CA and server name, presents its client certificate (mutual TLS), and sends
 * the API key as {@code Authorization: Bearer}; a workflow runs over that connection.
 */
class TemporalTlsTest {
  /** The name in the server's certificate; the test connects to 127.0.0.1, so it must be set as the server name. */
  private static final String SERVER_NAME = "temporal.test";

  @WorkflowInterface
  public interface Echo {
    @WorkflowMethod
    String echo(String text);
  }

  public static class EchoImpl implements Echo {
    @Override
    public String echo(String text) {
      return "echo: " + text;
    }
  }

  @TempDir Path dir;
  private TestPki.Issued serverCa;
  private TestPki.Issued clientCa;
  private Path serverCaFile;
  private TestServicesStarter temporal;
  private Server server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> clientSubjects = new CopyOnWriteArrayList<>();
  private final List<WorkflowServiceStubs> opened = new CopyOnWriteArrayList<>();

  @BeforeEach
  void pki() {
    serverCa = TestPki.ca("Temporal Test Server CA");
    clientCa = TestPki.ca("Temporal Test Client CA");
    serverCaFile = TestPki.certPem(dir.resolve("server-ca.pem"), serverCa.cert());
  }

  @AfterEach
  void stop() throws InterruptedException {
    opened.forEach(WorkflowServiceStubs::shutdownNow);
    if (server != null) {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void runsAWorkflowOverMutualTlsWithAnApiKey() throws Exception {
    startServer(ClientAuth.REQUIRE);
    TestPki.Issued workerCert = TestPki.client(clientCa, "aim-worker");
    Path apiKey = TestPki.write(dir.resolve("api-key"), "key-one\n");
    TemporalProperties props =
        target()
            .withTls(
                new TemporalProperties.Tls(
                    false,
                    serverCaFile.toString(),
                    SERVER_NAME,
                    TestPki.certPem(dir.resolve("client.pem"), workerCert.cert()).toString(),
                    TestPki.pkcs8KeyPem(dir.resolve("client-key.pem"), workerCert.keys()).toString()))
            .withApiKey(new TemporalProperties.ApiKey(apiKey.toString(), ""));
    TemporalConnection connection = TemporalConnection.of(props);

    WorkflowServiceStubs stubs = open(connection);
    WorkflowClient client = connection.newClient(stubs);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    factory.newWorker("tls").registerWorkflowImplementationTypes(EchoImpl.class);
    factory.start();
    try {
      Echo echo = client.newWorkflowStub(Echo.class, WorkflowOptions.newBuilder().setTaskQueue("tls").setWorkflowId("echo-1").build());
      assertThat(echo.echo("over mTLS")).isEqualTo("echo: over mTLS");
    } finally {
      factory.shutdownNow();
    }

    assertThat(clientSubjects).isNotEmpty().allMatch("CN=aim-worker"::equals);
    assertThat(authorizations).isNotEmpty().allMatch("Bearer key-one"::equals);
    assertThat(connection.toString())
        .isEqualTo(
            "Temporal " + props.target() + ", namespace default, TLS (CA " + serverCaFile + ", server name temporal.test, client certificate "
                + dir.resolve("client.pem") + "), API key from file " + apiKey + ", payloads not encrypted")
        .doesNotContain("key-one");
  }

  @Test
  void aRotatedApiKeyFileIsPickedUpWithoutARestart() throws Exception {
    startServer(ClientAuth.NONE);
    Path apiKey = TestPki.write(dir.resolve("api-key"), "key-one");
    MutableClock clock = new MutableClock();
    TemporalConnection connection =
        TemporalConnection.of(
            target()
                .withTls(new TemporalProperties.Tls(false, serverCaFile.toString(), SERVER_NAME, "", ""))
                .withApiKey(new TemporalProperties.ApiKey(apiKey.toString(), "")),
            Map.of(),
            clock);
    WorkflowServiceStubs stubs = open(connection);
    systemInfo(stubs);

    Files.writeString(apiKey, "key-two");
    Files.setLastModifiedTime(apiKey, FileTime.from(Instant.now().plusSeconds(5)));
    systemInfo(stubs); // within the recheck interval: still the old key
    clock.advance(ApiKeySource.RECHECK.plusSeconds(1));
    systemInfo(stubs);

    assertThat(authorizations).first().isEqualTo("Bearer key-one");
    assertThat(authorizations.get(authorizations.size() - 2)).isEqualTo("Bearer key-one");
    assertThat(authorizations).last().isEqualTo("Bearer key-two");
  }

  @Test
  void anApiKeyFromTheEnvironmentTurnsTlsOnAndIsSentAsBearer() throws Exception {
    startServer(ClientAuth.NONE);
    TemporalProperties props =
        target()
            .withTls(new TemporalProperties.Tls(false, serverCaFile.toString(), SERVER_NAME, "", ""))
            .withApiKey(new TemporalProperties.ApiKey("", "MY_TEMPORAL_KEY"));
    TemporalConnection connection = TemporalConnection.of(props, Map.of("MY_TEMPORAL_KEY", "env-key"), Clock.systemUTC());

    systemInfo(open(connection));

    assertThat(authorizations).isNotEmpty().allMatch("Bearer env-key"::equals);
    assertThat(connection.toString()).contains("API key from environment variable MY_TEMPORAL_KEY").doesNotContain("env-key");
    // An API key alone (no TLS setting) still means TLS, with the JVM's trust store.
    assertThat(TemporalProperties.plain("x:7233", "d").withApiKey(new TemporalProperties.ApiKey("", "K")).usesTls()).isTrue();
  }

  @Test
  void isRejectedWithoutTheServersCa() throws Exception {
    startServer(ClientAuth.NONE);
    // The JVM's trust store does not know the test CA.
    WorkflowServiceStubs stubs = open(TemporalConnection.of(target().withTls(new TemporalProperties.Tls(true, "", SERVER_NAME, "", ""))));

    assertThatThrownBy(() -> systemInfo(stubs))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .rootCause()
        .hasMessageContaining("unable to find valid certification path");
  }

  @Test
  void checksTheServersNameAgainstItsCertificate() throws Exception {
    startServer(ClientAuth.NONE);
    // Trusted CA, but 127.0.0.1 is not a name in the server's certificate.
    WorkflowServiceStubs stubs = open(TemporalConnection.of(target().withTls(new TemporalProperties.Tls(false, serverCaFile.toString(), "", "", ""))));

    assertThatThrownBy(() -> systemInfo(stubs))
        .isInstanceOf(StatusRuntimeException.class)
        .rootCause()
        .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
  }

  @Test
  void aServerRequiringClientCertificatesRejectsAClientWithout() throws Exception {
    startServer(ClientAuth.REQUIRE);
    WorkflowServiceStubs withoutCert =
        open(TemporalConnection.of(target().withTls(new TemporalProperties.Tls(false, serverCaFile.toString(), SERVER_NAME, "", ""))));
    TestPki.Issued stranger = TestPki.client(TestPki.ca("Someone Else's CA"), "stranger");
    WorkflowServiceStubs foreignCert =
        open(
            TemporalConnection.of(
                target()
                    .withTls(
                        new TemporalProperties.Tls(
                            false,
                            serverCaFile.toString(),
                            SERVER_NAME,
                            TestPki.certPem(dir.resolve("stranger.pem"), stranger.cert()).toString(),
                            TestPki.pkcs8KeyPem(dir.resolve("stranger-key.pem"), stranger.keys()).toString()))));

    assertThatThrownBy(() -> systemInfo(withoutCert)).isInstanceOf(StatusRuntimeException.class);
    assertThatThrownBy(() -> systemInfo(foreignCert)).isInstanceOf(StatusRuntimeException.class);
    assertThat(clientSubjects).isEmpty();
  }

  @Test
  void plaintextStaysPlaintextAndSendsNoAuthorization() throws Exception {
    temporal = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    temporal.getServices().forEach(s -> builder.addService(ServerInterceptors.intercept(s, recorder())));
    server = builder.build().start();

    systemInfo(open(TemporalConnection.of(target())));

    assertThat(authorizations).isEmpty();
  }

  private TemporalProperties target() {
    return TemporalProperties.plain("127.0.0.1:" + (server == null ? 1 : server.getPort()), "default");
  }

  private void startServer(ClientAuth clientAuth) throws Exception {
    TestPki.Issued cert = TestPki.server(serverCa, SERVER_NAME);
    SslContextBuilder tls = GrpcSslContexts.configure(SslContextBuilder.forServer(cert.keys().getPrivate(), cert.cert(), serverCa.cert())).clientAuth(clientAuth);
    if (clientAuth != ClientAuth.NONE) {
      tls.trustManager(clientCa.cert());
    }
    temporal = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).sslContext(tls.build());
    temporal.getServices().forEach(s -> builder.addService(ServerInterceptors.intercept(s, recorder())));
    server = builder.build().start();
  }

  /** Records each call's {@code authorization} header and the client certificate's subject. */
  private ServerInterceptor recorder() {
    Metadata.Key<String> authorization = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String auth = headers.get(authorization);
        if (auth != null) {
          authorizations.add(auth);
        }
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session != null) {
          try {
            clientSubjects.add(((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName());
          } catch (SSLPeerUnverifiedException e) {
            // No client certificate on this connection.
          }
        }
        return next.startCall(call, headers);
      }
    };
  }

  private WorkflowServiceStubs open(TemporalConnection connection) {
    WorkflowServiceStubs stubs = connection.newServiceStubs();
    opened.add(stubs);
    return stubs;
  }

  private static void systemInfo(WorkflowServiceStubs stubs) {
    stubs.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS).getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
  }

  /** A clock the test moves forward, for the API key file's recheck interval. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
