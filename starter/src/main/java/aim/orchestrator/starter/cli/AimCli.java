package aim.orchestrator.starter.cli;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The {@code aim} subcommands the starter jar runs without Spring ({@code java -jar starter.jar recipes|convert|status
 * ...}).
 */
public final class AimCli {
  private AimCli() {}

  /** Whether {@code args} name a CLI subcommand rather than the Spring application. */
  public static boolean handles(String[] args) {
    return args.length > 0 && (args[0].equals("recipes") || args[0].equals("convert") || args[0].equals("status"));
  }

  /** Runs the CLI subcommand and returns its exit code. */
  public static int run(String[] args) {
    var out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    var err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    return run(args, out, err);
  }

  /** Runs the CLI subcommand writing to {@code out} and {@code err} (the CLI reference renders every --help so). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (args[0].equals("convert")) {
      return ConvertCommand.execute(rest, out, err, new ConvertCommand.Context(Path.of("").toAbsolutePath(), System.in));
    }
    if (args[0].equals("status")) {
      // The repository root, where ./aim dev writes .aim/dev/kubeconfig; the launcher passes it.
      Path devRoot = Path.of(System.getProperty("aim.dev.root", "")).toAbsolutePath();
      var context = new StatusCommand.Context(Path.of("").toAbsolutePath(), devRoot, System.console() != null, Duration.ofSeconds(1));
      return StatusCommand.execute(rest, out, err, context);
    }
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    var context = new RecipesCommand.Context(System.getenv(), Path.of("").toAbsolutePath(), http);
    return RecipesCommand.execute(rest, out, err, context);
  }
}
