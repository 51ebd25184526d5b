package aim.orchestrator.starter.cli;

import aim.orchestrator.starter.status.ServiceStatus;
import aim.orchestrator.starter.status.ServiceStatus.ArtifactProgress;
import aim.orchestrator.starter.status.ServiceStatus.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** How {@code aim status} prints a {@link ServiceStatus}: a full view, and the one-line changes of {@code -w}. */
final class StatusView {
  static final int BAR_WIDTH = 30;

  private StatusView() {}

  /** The full view: facts, conditions, steps and downloads. */
  static String full(ServiceStatus s) {
    var b = new StringBuilder();
    b.append("AIMService ").append(s.key()).append("  ").append(s.status()).append('\n');
    fact(b, "model", s.model());
    fact(b, "template", s.template());
    fact(b, "cache", s.cache());
    fact(b, "endpoint", s.endpoint());
    fact(b, "workflow", workflow(s.workflow()));
    fact(b, "created", s.created());

    b.append("\nConditions\n");
    if (s.conditions().isEmpty()) {
      b.append("  (none yet)\n");
    } else {
      var rows = new ArrayList<List<String>>();
      rows.add(List.of("TYPE", "STATUS", "REASON", "SINCE", "MESSAGE"));
      s.conditions().forEach(c -> rows.add(List.of(c.type(), c.status(), text(c.reason()), text(c.lastTransitionTime()), text(c.message()))));
      table(b, rows);
    }

    b.append("\nSteps (from the workflow's status query)\n");
    if (s.timeline().isEmpty()) {
      b.append("  (").append(s.workflow().found() ? "no steps yet" : s.workflow().state()).append(")\n");
    } else {
      var rows = new ArrayList<List<String>>();
      rows.add(List.of("", "STEP", "STATE", "REASON", "SINCE", "MESSAGE"));
      s.timeline().forEach(t -> rows.add(List.of(mark(t.state()), t.component(), text(t.state()), text(t.reason()), text(t.since()), text(t.message()))));
      table(b, rows);
    }

    if (!s.artifacts().isEmpty()) {
      b.append("\nDownloads\n");
      for (ArtifactProgress a : s.artifacts()) {
        b.append("  ").append(download(a)).append('\n');
      }
    }
    return b.toString();
  }

  /** One download: name, bar, percentage, bytes and status. */
  static String download(ArtifactProgress a) {
    int pct = percent(a);
    return String.format(
        Locale.ROOT,
        "%s  %s %4s  %s / %s  %s",
        a.name(),
        bar(pct),
        a.displayPercentage() == null ? pct + "%" : a.displayPercentage(),
        bytes(a.downloadedBytes()),
        bytes(a.totalBytes()),
        a.status());
  }

  /** {@code [#########---------------------]} for {@code pct} percent. */
  static String bar(int pct) {
    int filled = Math.max(0, Math.min(BAR_WIDTH, pct * BAR_WIDTH / 100));
    return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
  }

  /**
   * The lines {@code -w} prints when stdout is not a terminal: one for a changed status or current step, one per
   * artifact whose progress or status changed. {@code before} is null for the first reading.
   */
  static List<String> changes(ServiceStatus before, ServiceStatus now) {
    List<String> lines = new ArrayList<>();
    Step step = currentStep(now);
    if (before == null || !before.status().equals(now.status()) || !Objects.equals(currentStep(before), step)) {
      lines.add(
          now.key() + "  " + now.status()
              + (step == null ? "" : "  step " + step.component() + ": " + step.state() + " (" + text(step.reason()) + ")"));
    }
    for (ArtifactProgress a : now.artifacts()) {
      ArtifactProgress old =
          before == null ? null : before.artifacts().stream().filter(x -> x.name().equals(a.name())).findFirst().orElse(null);
      if (old == null || percent(old) != percent(a) || !old.status().equals(a.status())) {
        lines.add("download " + download(a));
      }
    }
    return lines;
  }

  /** The first step that is not Ready: what the service waits for. */
  static Step currentStep(ServiceStatus s) {
    return s.timeline().stream().filter(t -> !"Ready".equals(t.state())).findFirst().orElse(null);
  }

  private static int percent(ArtifactProgress a) {
    if (a.percentage() != null) {
      return a.percentage();
    }
    return "Ready".equals(a.status()) ? 100 : 0;
  }

  static String bytes(Long n) {
    if (n == null) {
      return "?";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return i == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  private static String workflow(ServiceStatus.WorkflowView w) {
    if (w.found()) {
      return w.id() + " (" + w.phase() + ", " + w.passes() + " passes)";
    }
    return w.id() + ": " + w.state() + (w.detail() == null ? "" : " (" + w.detail() + ")");
  }

  private static String mark(String state) {
    if (state == null) {
      return " ";
    }
    return switch (state) {
      case "Ready", "Running" -> "+";
      case "Failed", "NotAvailable" -> "x";
      case "Degraded" -> "!";
      default -> "~";
    };
  }

  private static void fact(StringBuilder b, String name, String value) {
    b.append(String.format(Locale.ROOT, "  %-9s %s%n", name, value == null ? "-" : value));
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  /** Left-aligned columns; the last column is not padded. */
  private static void table(StringBuilder b, List<List<String>> rows) {
    int cols = rows.get(0).size();
    int[] width = new int[cols];
    for (List<String> r : rows) {
      for (int i = 0; i < cols - 1; i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    for (List<String> r : rows) {
      var line = new StringBuilder("  ");
      for (int i = 0; i < cols; i++) {
        line.append(i < cols - 1 ? String.format("%-" + (width[i] + 2) + "s", r.get(i)) : r.get(i));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
