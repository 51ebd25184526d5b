package aim.orchestrator.starter.cli;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** The {@code aim} subcommands the starter jar runs without Spring ({@code java -jar starter.jar recipes ...}). */
public final class AimCli {
  private AimCli() {}

  /** Whether {@code args} name a CLI subcommand rather than the Spring application. */
  public static boolean handles(String[] args) {
    return args.length > 0 && args[0].equals("recipes");
  }

  /** Runs the CLI subcommand and returns its exit code. */
  public static int run(String[] args) {
    var out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    var err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    var context = new RecipesCommand.Context(System.getenv(), Path.of("").toAbsolutePath(), http);
    return RecipesCommand.execute(Arrays.copyOfRange(args, 1, args.length), out, err, context);
  }
}
