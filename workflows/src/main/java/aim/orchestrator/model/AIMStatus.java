package aim.orchestrator.model;

/**
 * Every status value an AIM resource can report, with the priority the reference uses when it picks the
 * worst (lowest) or best (highest) of several: Running 7 &gt; Ready 6 &gt; Progressing 5 &gt; Starting 4 &gt;
 * Pending 3 &gt; Degraded 2 &gt; NotAvailable 1 &gt; Failed 0.
 */
public enum AIMStatus {
  Failed(0),
  NotAvailable(1),
  Degraded(2),
  Pending(3),
  Starting(4),
  Progressing(5),
  Ready(6),
  Running(7);

  private final int priority;

  AIMStatus(int priority) {
    this.priority = priority;
  }

  public int priority() {
    return priority;
  }

  public static AIMStatus worst(AIMStatus a, AIMStatus b) {
    return a.priority <= b.priority ? a : b;
  }

  /** Parses a status string as written in a resource; null or unknown values count as {@code Pending}. */
  public static AIMStatus parse(String value) {
    if (value == null) {
      return Pending;
    }
    for (AIMStatus s : values()) {
      if (s.name().equals(value)) {
        return s;
      }
    }
    return Pending;
  }
}
