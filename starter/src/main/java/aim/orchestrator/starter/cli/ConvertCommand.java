package aim.orchestrator.starter.cli;

import aim.orchestrator.convert.Conversion;
import aim.orchestrator.convert.LegacyConverter;
import aim.orchestrator.convert.SourceFile;
import aim.orchestrator.convert.UnreadableInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aim convert FILE...}: legacy AIM manifests (seeds 000 and 001) to {@code aim.eai.amd.com/v1alpha1}. The
 * conversion itself is {@link LegacyConverter}; this command reads the files and prints or writes the result.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    versionProvider = ConvertCommand.Version.class,
    description = {
      "Convert legacy AIM manifests (kaiwo.silogen.ai, config.kaiwo.silogen.ai and aim.silogen.ai: AIMClusterImage, AIMImage,"
          + " AIMClusterModel, AIMServiceTemplate, AIMClusterServiceTemplate, AIMService, AIMTemplateCache, ModelCache,"
          + " AIMNamespaceConfig, AIMClusterConfig) to aim.eai.amd.com/v1alpha1.",
      "",
      "The files are one batch: model ids resolve through the catalog entries (AIMClusterImage, AIMImage, AIMClusterModel) of"
          + " every file given. Manifests go to standard output as multi-document YAML (or to --out DIR); what could not be"
          + " converted, and why, goes to standard error (or into the JSON of --output json). Other documents are copied"
          + " unchanged. Mapping: docs/convert.md.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every document converted",
      "1:something could not be converted (the rest is still written)",
      "2:usage error, or an input that cannot be read or is not YAML"
    })
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Legacy manifests: YAML files, directories (their *.yaml and *.yml files, sorted), or - for standard input.")
  List<String> inputs;

  @Option(names = "--out", paramLabel = "DIR", description = "Write the manifests of each input file to DIR/<its file name> instead of standard output.")
  Path outDir;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (default): manifests as YAML on standard output, the report on standard error. json: one JSON document on"
              + " standard output with the report (summary, documents, notConverted, notes) and the manifests (or, with"
              + " --out, the files written).")
  Format output;

  private final Context context;

  /** Output formats. */
  enum Format {
    text,
    json
  }

  /**
   * What the command needs from outside.
   *
   * @param workingDir relative paths resolve against it
   * @param stdin what {@code -} reads
   */
  record Context(Path workingDir, InputStream stdin) {}

  ConvertCommand(Context context) {
    this.context = context;
  }

  /** Runs {@code aim convert <args>} and returns the exit code. */
  static int execute(String[] args, PrintWriter out, PrintWriter err, Context context) {
    CommandLine cli = new CommandLine(new ConvertCommand(context));
    cli.setCommandName("aim convert");
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Conversion conversion;
    try {
      conversion = LegacyConverter.convert(read());
    } catch (IOException | UnreadableInputException e) {
      err.println("aim convert: " + e.getMessage());
      return 2;
    }
    Map<Path, String> files = outDir == null ? Map.of() : filesToWrite(conversion);
    if (files == null) {
      err.println("aim convert: two inputs have the same file name; --out DIR cannot hold both (convert them separately)");
      return 2;
    }
    try {
      for (Map.Entry<Path, String> file : files.entrySet()) {
        Files.createDirectories(file.getKey().getParent());
        Files.writeString(file.getKey(), file.getValue());
      }
    } catch (IOException e) {
      err.println("aim convert: cannot write " + e.getMessage());
      return 2;
    }
    if (output == Format.json) {
      ObjectNode report = conversion.reportJson();
      ArrayNode listed = report.putArray(outDir == null ? "manifests" : "written");
      if (outDir == null) {
        conversion.manifests().forEach(listed::add);
      } else {
        files.keySet().forEach(p -> listed.add(p.toString()));
      }
      out.println(report.toPrettyString());
    } else {
      if (outDir == null) {
        out.print(conversion.yaml());
      } else {
        files.keySet().forEach(p -> err.println("wrote " + p));
      }
      err.print(conversion.reportText());
    }
    return conversion.complete() ? 0 : 1;
  }

  /** The inputs in order: files as given, directories expanded, {@code -} as standard input. */
  private List<SourceFile> read() throws IOException {
    List<SourceFile> sources = new ArrayList<>();
    for (String input : inputs) {
      if (input.equals("-")) {
        sources.add(new SourceFile("-", new String(context.stdin().readAllBytes(), StandardCharsets.UTF_8)));
        continue;
      }
      Path path = context.workingDir().resolve(input);
      if (Files.isDirectory(path)) {
        try (Stream<Path> listing = Files.list(path)) {
          for (Path file : listing.filter(ConvertCommand::isYaml).sorted().toList()) {
            sources.add(new SourceFile(Path.of(input).resolve(file.getFileName()).toString(), readFile(file, input)));
          }
        }
      } else {
        sources.add(new SourceFile(input, readFile(path, input)));
      }
    }
    return sources;
  }

  private static String readFile(Path path, String input) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException("cannot read " + input + ": no such file");
    }
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new IOException("cannot read " + input + ": " + e.getMessage(), e);
    }
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  /** DIR/<file name> per input file that produced manifests; null when two inputs share a file name. */
  private Map<Path, String> filesToWrite(Conversion conversion) {
    Map<Path, String> files = new LinkedHashMap<>();
    Path dir = context.workingDir().resolve(outDir);
    for (String input : conversion.files()) {
      String yaml = conversion.yaml(input);
      if (yaml.isEmpty()) {
        continue;
      }
      String name = input.equals("-") ? "stdin.yaml" : Path.of(input).getFileName().toString();
      if (files.put(dir.resolve(name), yaml) != null) {
        return null;
      }
    }
    return files;
  }

  /** {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String build = ConvertCommand.class.getPackage().getImplementationVersion();
      return new String[] {"aim convert " + (build == null ? "(development build)" : build)};
    }
  }
}
