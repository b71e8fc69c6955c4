package io.warmpool.testbed;

import java.util.Map;
import java.util.TreeMap;

/**
 * The pool's scaling as its own counters tell it: processes spawned and reaped, by cause,
 * read from the worker's {@code GET /metrics} ({@value #SPAWNS} and {@value #REAPS}). A run
 * reads them when its load starts and when it ends; the difference is what the load made the
 * pool do, without the warm-up that filled it.
 *
 * <p>The parser is deliberately small: it reads the Prometheus text format's sample lines of
 * those two names and sums their values by the {@code cause} label, which is all the report
 * needs. A counter the worker has not registered yet (nothing reaped so far) counts as 0.
 *
 * @param spawnsByCause {@code demand} (a job waited) and {@code target} (the idle target)
 * @param reapsByCause  the pool's exit causes: {@code surplus}, {@code recycled}, {@code crashed}, …
 */
public record ScalingCounts(Map<String, Long> spawnsByCause, Map<String, Long> reapsByCause) {

  static final String SPAWNS = "warmpool_spawns_total";
  static final String REAPS = "warmpool_reaps_total";

  public ScalingCounts {
    spawnsByCause = Map.copyOf(spawnsByCause);
    reapsByCause = Map.copyOf(reapsByCause);
  }

  public long spawns() {
    return spawnsByCause.values().stream().mapToLong(Long::longValue).sum();
  }

  public long reaps() {
    return reapsByCause.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Spawns and reaps together: each is a process the pool started or ended for its own reasons. */
  public long events() {
    return spawns() + reaps();
  }

  /** Events per minute over {@code ms}; NaN for no time. */
  public double eventsPerMinute(long ms) {
    return ms <= 0 ? Double.NaN : events() * 60_000.0 / ms;
  }

  /** What happened between {@code before} and this reading. */
  public ScalingCounts since(ScalingCounts before) {
    return new ScalingCounts(minus(spawnsByCause, before.spawnsByCause), minus(reapsByCause, before.reapsByCause));
  }

  private static Map<String, Long> minus(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> delta = new TreeMap<>();
    now.forEach((cause, count) -> {
      // counters only go up: less than before means the worker restarted in between, so count from its 0
      long d = count - before.getOrDefault(cause, 0L);
      delta.put(cause, d < 0 ? count : d);
    });
    return delta;
  }

  /** The two counters out of a {@code /metrics} page in the Prometheus text format. */
  public static ScalingCounts parse(String prometheusText) {
    Map<String, Long> spawns = new TreeMap<>();
    Map<String, Long> reaps = new TreeMap<>();
    for (String raw : prometheusText.split("\n")) {
      String line = raw.strip();
      if (isSampleOf(line, SPAWNS)) {
        add(spawns, line, SPAWNS);
      } else if (isSampleOf(line, REAPS)) {
        add(reaps, line, REAPS);
      }
    }
    return new ScalingCounts(spawns, reaps);
  }

  /** The name must end where the labels or the value begin: {@code warmpool_spawns_total_x} is another metric. */
  private static boolean isSampleOf(String line, String name) {
    return line.startsWith(name) && line.length() > name.length()
      && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ');
  }

  private static void add(Map<String, Long> into, String line, String name) {
    Sample sample = sample(line, name.length());
    if (sample != null) {
      into.merge(sample.cause(), sample.value(), Long::sum);
    }
  }

  private record Sample(String cause, long value) {
  }

  /** {@code {cause="target",…} 4.0 [timestamp]} after the name; null if the line is not one. */
  private static Sample sample(String line, int at) {
    String cause = "unknown";
    int i = at;
    if (line.charAt(i) == '{') {
      int close = labelsEnd(line, i);
      if (close < 0) {
        return null;
      }
      String label = label(line.substring(i + 1, close), "cause");
      if (label != null) {
        cause = label;
      }
      i = close + 1;
    }
    String[] rest = line.substring(i).strip().split("\\s+");
    double value;
    try {
      value = Double.parseDouble(rest[0]);
    } catch (NumberFormatException e) {
      return null;
    }
    return Double.isFinite(value) ? new Sample(cause, Math.round(value)) : null;
  }

  /** The index of the {@code }} that closes the labels opened at {@code open}, skipping quoted values. */
  private static int labelsEnd(String line, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /** The value of {@code key} in {@code a="1",b="2"}, unescaped; null if it is not there. */
  private static String label(String labels, String key) {
    int i = 0;
    while (i < labels.length()) {
      int eq = labels.indexOf('=', i);
      if (eq < 0 || eq + 1 >= labels.length() || labels.charAt(eq + 1) != '"') {
        return null;
      }
      String name = labels.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < labels.length() && labels.charAt(j) != '"'; j++) {
        char c = labels.charAt(j);
        if (c == '\\' && j + 1 < labels.length()) {
          char next = labels.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      if (name.equals(key)) {
        return value.toString();
      }
      // past the closing quote and the comma after it
      i = labels.indexOf(',', j) < 0 ? labels.length() : labels.indexOf(',', j) + 1;
    }
    return null;
  }
}
