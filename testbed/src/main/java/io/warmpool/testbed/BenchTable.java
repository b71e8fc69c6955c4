package io.warmpool.testbed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Markdown table of benchmark figures: one row per figure, one column per run, and the
 * median of the runs, which is the number to quote on a noisy machine.
 */
final class BenchTable {

  /** One figure measured once per run; NaN where a run could not measure it. */
  record Row(String figure, String unit, double[] runs, int decimals) {

    double median() {
      return BenchTable.median(runs);
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final int runs;

  BenchTable(int runs) {
    this.runs = runs;
  }

  BenchTable add(String figure, String unit, double[] values, int decimals) {
    if (values.length != runs) {
      throw new IllegalArgumentException(figure + ": " + values.length + " values for " + runs + " runs");
    }
    rows.add(new Row(figure, unit, values.clone(), decimals));
    return this;
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The median of the values that are numbers; NaN if none is. */
  static double median(double[] values) {
    double[] known = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (known.length == 0) {
      return Double.NaN;
    }
    int middle = known.length / 2;
    return known.length % 2 == 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
  }

  String markdown() {
    StringBuilder md = new StringBuilder("| figure | median |");
    for (int i = 1; i <= runs; i++) {
      md.append(" run ").append(i).append(" |");
    }
    md.append("\n| --- | ---: |");
    md.append(" ---: |".repeat(runs));
    md.append('\n');
    for (Row row : rows) {
      md.append("| ").append(row.figure()).append(row.unit().isEmpty() ? "" : " (" + row.unit() + ")").append(" | **")
        .append(format(row.median(), row.decimals())).append("** |");
      for (double v : row.runs()) {
        md.append(' ').append(format(v, row.decimals())).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  static String format(double value, int decimals) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
