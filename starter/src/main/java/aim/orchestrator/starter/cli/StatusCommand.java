package aim.orchestrator.starter.cli;

import aim.orchestrator.starter.status.ServiceStatus;
import aim.orchestrator.starter.status.ServiceStatusReader;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aim status [-n NS] SERVICE [-w]}: one AIMService's status, conditions, lifecycle steps (from its workflow's
 * {@code status} query) and downloads. Exit codes: 0 ok, 1 the service is Failed or not found (or the cluster cannot
 * be read), 2 a usage error.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show an AIMService: status, conditions, the steps of its workflow and the downloads of its artifacts.",
      "With -w, redraw every second until the service is Running or Failed (or Ctrl-C)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok (with -w: the service reached Running)", "1:the service is Failed or not found, or the cluster cannot be read", "2:usage error"})
public final class StatusCommand implements Callable<Integer> {
  /** The kubeconfig {@code ./aim dev} writes, relative to the repository root. */
  static final Path DEV_KUBECONFIG = Path.of(".aim", "dev", "kubeconfig");

  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final String CLEAR_SCREEN = "\033[H\033[2J";

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SERVICE", description = "Name of the AIMService.")
  String service;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Namespace of the service. Default: the kubeconfig context's namespace, else default.")
  String namespace;

  @Option(
      names = {"-w", "--watch"},
      description = "Redraw every second until Running or Failed; plain change lines when stdout is not a terminal.")
  boolean watch;

  @Option(
      names = "--temporal-target",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:TEMPORAL_ADDRESS:-127.0.0.1:7233}",
      description = "Temporal frontend. Default: $TEMPORAL_ADDRESS, else ${DEFAULT-VALUE}.")
  String temporalTarget;

  @Option(
      names = "--temporal-namespace",
      paramLabel = "NS",
      defaultValue = "${env:TEMPORAL_NAMESPACE:-default}",
      description = "Temporal namespace. Default: ${DEFAULT-VALUE}.")
  String temporalNamespace;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Kubeconfig. Default: .aim/dev/kubeconfig when ./aim dev wrote one, else $KUBECONFIG or ~/.kube/config.")
  Path kubeconfig;

  final Context context;

  /**
   * What the command needs from outside.
   *
   * @param workingDir where relative paths are resolved
   * @param devRoot the repository root, where {@code ./aim dev} writes {@code .aim/dev/kubeconfig}
   * @param terminal whether stdout is a terminal (then {@code -w} redraws in place)
   * @param watchInterval how often {@code -w} reads again
   */
  public record Context(Path workingDir, Path devRoot, boolean terminal, Duration watchInterval) {}

  public StatusCommand(Context context) {
    this.context = context;
  }

  /** Runs {@code aim status} with {@code args} and returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err, Context context) {
    CommandLine cli = new CommandLine(new StatusCommand(context));
    cli.setCommandName("aim status");
    cli.setOut(out);
    cli.setErr(err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Config config = kubernetesConfig();
    String ns = namespace != null ? namespace : Optional.ofNullable(config.getNamespace()).orElse("default");
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporalTarget).setRpcQueryTimeout(QUERY_TIMEOUT).build());
    try (var kubernetes = new KubernetesClientBuilder().withConfig(config).build();
        var reader =
            new ServiceStatusReader(
                kubernetes,
                WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(temporalNamespace).build()),
                QUERY_TIMEOUT)) {
      Optional<ServiceStatus> first = reader.one(ns, service);
      if (first.isEmpty()) {
        err.println("AIMService " + ns + "/" + service + " not found");
        return 1;
      }
      ServiceStatus last = watch ? watch(reader, first.get(), out) : show(first.get(), out);
      return "Failed".equals(last.status()) ? 1 : 0;
    } catch (KubernetesClientException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      err.println("cannot read the cluster at " + config.getMasterUrl() + ": " + cause.getMessage());
      return 1;
    } finally {
      stubs.shutdownNow();
    }
  }

  private ServiceStatus show(ServiceStatus status, PrintWriter out) {
    out.print(StatusView.full(status));
    out.flush();
    return status;
  }

  private ServiceStatus watch(ServiceStatusReader reader, ServiceStatus first, PrintWriter out) throws InterruptedException {
    ServiceStatus now = first;
    ServiceStatus before = null;
    if (!context.terminal()) {
      show(first, out);
      out.println();
    }
    while (true) {
      if (context.terminal()) {
        out.print(CLEAR_SCREEN);
        show(now, out);
      } else {
        String clock = LocalTime.now().format(CLOCK);
        StatusView.changes(before, now).forEach(line -> out.println(clock + "  " + line));
        out.flush();
      }
      if (done(now)) {
        return now;
      }
      Thread.sleep(context.watchInterval().toMillis());
      before = now;
      Optional<ServiceStatus> next = reader.one(now.namespace(), now.name());
      if (next.isEmpty()) {
        out.println("AIMService " + now.key() + " was deleted");
        out.flush();
        return now;
      }
      now = next.get();
    }
  }

  private static boolean done(ServiceStatus s) {
    return "Running".equals(s.status()) || "Failed".equals(s.status());
  }

  private Config kubernetesConfig() throws IOException {
    Path file = kubeconfig == null ? null : context.workingDir().resolve(kubeconfig);
    if (file == null && Files.isRegularFile(context.devRoot().resolve(DEV_KUBECONFIG))) {
      file = context.devRoot().resolve(DEV_KUBECONFIG);
    }
    if (file == null) {
      return Config.autoConfigure(null);
    }
    if (!Files.isRegularFile(file)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--kubeconfig " + kubeconfig + ": no such file");
    }
    return Config.fromKubeconfig(null, Files.readString(file), file.toString());
  }
}
