package aim.orchestrator.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one way the worker, the starter and the dev mode connect to Temporal: checks {@link TemporalProperties}
 * (reading the TLS files, the API key and the codec keys once, failing with every problem named by its property)
 * and builds the service stubs (target, TLS, API key) and the client options (namespace, the data converter with the
 * payload codec when it is on). Spring-free, so the command line and tests use it as the applications do.
 */
public final class TemporalConnection {
  private final TemporalProperties props;
  private final TlsMaterial tls;
  private final ApiKeySource apiKey;
  private final AesGcmPayloadCodec codec;

  private TemporalConnection(TemporalProperties props, TlsMaterial tls, ApiKeySource apiKey, AesGcmPayloadCodec codec) {
    this.props = props;
    this.tls = tls;
    this.apiKey = apiKey;
    this.codec = codec;
  }

  /** Checks the settings against the process environment. */
  public static TemporalConnection of(TemporalProperties props) {
    return of(props, System.getenv(), Clock.systemUTC());
  }

  /**
   * Checks the settings; {@code env} is where {@code aim.temporal.api-key.env} is looked up.
   *
   * @throws TemporalSettingsException listing every problem, each starting with its property
   */
  public static TemporalConnection of(TemporalProperties props, Map<String, String> env, Clock clock) {
    List<String> problems = new ArrayList<>();
    if (props.target().isEmpty()) {
      problems.add("aim.temporal.target is required: the Temporal frontend as host:port (TEMPORAL_ADDRESS)");
    } else if (props.target().chars().anyMatch(Character::isWhitespace)) {
      problems.add("aim.temporal.target: '" + props.target() + "' contains whitespace");
    }
    if (props.namespace().isEmpty()) {
      problems.add("aim.temporal.namespace is required (TEMPORAL_NAMESPACE)");
    }
    TlsMaterial tls = props.usesTls() ? TlsMaterial.read(props.tls(), problems) : null;
    ApiKeySource apiKey = props.apiKey().configured() ? ApiKeySource.of(props.apiKey(), env, clock, problems) : null;
    AesGcmPayloadCodec codec = props.codec().enabled() ? AesGcmPayloadCodec.fromDirectory(props.codec(), problems) : null;
    if (!problems.isEmpty()) {
      throw new TemporalSettingsException(problems);
    }
    return new TemporalConnection(props, tls, apiKey, codec);
  }

  public TemporalProperties properties() {
    return props;
  }

  /** Service stubs options: the target, TLS (CA, server name, client certificate) and the API key. */
  public WorkflowServiceStubsOptions serviceStubsOptions() {
    WorkflowServiceStubsOptions.Builder builder = WorkflowServiceStubsOptions.newBuilder().setTarget(props.target());
    if (tls != null) {
      builder.setSslContext(tls.sslContext());
      String serverName = props.tls().serverName();
      if (!serverName.isEmpty()) {
        // The name the server's certificate is checked against, also sent as SNI and :authority.
        builder.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
      }
    }
    if (apiKey != null) {
      builder.addApiKey(apiKey);
    }
    return builder.build();
  }

  /** New service stubs; the caller shuts them down. Connecting is lazy: the first call connects. */
  public WorkflowServiceStubs newServiceStubs() {
    return WorkflowServiceStubs.newServiceStubs(serviceStubsOptions());
  }

  /** Temporal's default JSON converter, wrapped in the payload codec when it is on. */
  public DataConverter dataConverter() {
    DataConverter json = DefaultDataConverter.newDefaultInstance();
    return codec == null ? json : new CodecDataConverter(json, List.of(codec), props.codec().encryptFailures());
  }

  /** The payload codec, when {@code aim.temporal.codec.enabled}. */
  public Optional<AesGcmPayloadCodec> codec() {
    return Optional.ofNullable(codec);
  }

  public WorkflowClientOptions clientOptions() {
    return WorkflowClientOptions.newBuilder().setNamespace(props.namespace()).setDataConverter(dataConverter()).build();
  }

  public ScheduleClientOptions scheduleClientOptions() {
    return ScheduleClientOptions.newBuilder().setNamespace(props.namespace()).setDataConverter(dataConverter()).build();
  }

  /** A client over the given stubs with this connection's namespace and data converter. */
  public WorkflowClient newClient(WorkflowServiceStubs stubs) {
    return WorkflowClient.newInstance(stubs, clientOptions());
  }

  /** One line for the startup log: where, how secured, whether payloads are encrypted; never a secret. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Temporal ").append(props.target()).append(", namespace ").append(props.namespace());
    if (tls == null) {
      s.append(", plaintext");
    } else {
      s.append(", TLS (")
          .append(props.tls().caFile().isEmpty() ? "JVM trust store" : "CA " + props.tls().caFile())
          .append(props.tls().serverName().isEmpty() ? "" : ", server name " + props.tls().serverName())
          .append(props.tls().mutual() ? ", client certificate " + props.tls().clientCertFile() : "")
          .append(')');
    }
    if (apiKey != null) {
      s.append(", ").append(apiKey);
    }
    s.append(codec == null ? ", payloads not encrypted" : ", " + codec);
    return s.toString();
  }
}
