package io.warmpool.testbed;

import java.util.ArrayList;
import java.util.List;

/**
 * The sample lines of a worker's {@code GET /metrics} page, in the Prometheus text format: a
 * metric's samples with their labels and values, which is all the testbed reads of it.
 *
 * <p>Deliberately small: comments are skipped, a name must end where its labels or its value
 * begin ({@code warmpool_spawns_total_created} is another metric), quoted label values may hold
 * escaped quotes and braces, and a value that is not a finite number drops its line.
 */
public final class PrometheusText {

  /**
   * One sample line.
   *
   * @param labels the text between the braces ({@code cause="target",node="a"}), empty for none
   */
  public record Sample(String labels, double value) {

    /** The value of label {@code key}, unescaped; null if the sample does not have it. */
    public String label(String key) {
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

  /** Every sample of {@code name} on the page, in order. */
  public static List<Sample> samples(String page, String name) {
    List<Sample> samples = new ArrayList<>();
    for (String raw : page.split("\n")) {
      String line = raw.strip();
      if (isSampleOf(line, name)) {
        Sample sample = sample(line, name.length());
        if (sample != null) {
          samples.add(sample);
        }
      }
    }
    return samples;
  }

  /** The sum of {@code name}'s samples whose label {@code key} is {@code value}; 0 if none. */
  public static double sum(String page, String name, String key, String value) {
    return samples(page, name).stream().filter(s -> value.equals(s.label(key))).mapToDouble(Sample::value).sum();
  }

  /** The sum of all of {@code name}'s samples; 0 if none (a counter not registered yet). */
  public static double sum(String page, String name) {
    return samples(page, name).stream().mapToDouble(Sample::value).sum();
  }

  private static boolean isSampleOf(String line, String name) {
    return line.startsWith(name) && line.length() > name.length()
      && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ');
  }

  /** {@code {cause="target",…} 4.0 [timestamp]} after the name; null if the line is not one. */
  private static Sample sample(String line, int at) {
    String labels = "";
    int i = at;
    if (line.charAt(i) == '{') {
      int close = labelsEnd(line, i);
      if (close < 0) {
        return null;
      }
      labels = line.substring(i + 1, close);
      i = close + 1;
    }
    String[] rest = line.substring(i).strip().split("\\s+");
    double value;
    try {
      value = Double.parseDouble(rest[0]);
    } catch (NumberFormatException e) {
      return null;
    }
    return Double.isFinite(value) ? new Sample(labels, value) : null;
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

  private PrometheusText() {
  }
}
