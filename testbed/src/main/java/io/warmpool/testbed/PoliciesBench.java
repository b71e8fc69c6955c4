package io.warmpool.testbed;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make bench BENCH=policies}: what sizing the idle pool from the load buys. Each
 * scenario of {@link #SCENARIOS} runs once per idle policy ({@link #POLICIES}, the variants
 * it is given here), the same load against a worker of its own, {@code runs} times; the block
 * holds one table per scenario (a row per policy, medians of the runs), the comparisons the
 * choice rests on, and one picture per scenario: idle processes and load over time per
 * policy, and idle memory against p99 start latency.
 */
final class PoliciesBench {

  static final List<String> SCENARIOS = List.of("policies-cpu", "policies-memory", "policies-diurnal", "policies-bursts");

  /** The policies, as variants over each scenario's own worker settings ({@code pool.maxIdle} 4 in all). */
  static final JsonArray POLICIES = new JsonArray("""
    [{"name": "fixed-0", "description": "no idle process: every job waits for a fresh one",
      "worker": {"pool": {"idlePolicy": "fixed", "maxIdle": 0}}},
     {"name": "fixed-2", "description": "2 idle processes whatever the load",
      "worker": {"pool": {"idlePolicy": "fixed", "maxIdle": 2}}},
     {"name": "fixed-max", "description": "pool.maxIdle (4) idle processes whatever the load",
      "worker": {"pool": {"idlePolicy": "fixed"}}},
     {"name": "scaled-undamped", "description": "warmpool's load-scaled target, pool.scaleDownWindowMs 0",
      "worker": {"pool": {"scaleDownWindowMs": 0}}},
     {"name": "scaled", "description": "warmpool's load-scaled target, damped over 10 s (the default)",
      "worker": {"pool": {}}},
     {"name": "spawn-only", "description": "LiveKit's rule: the load's target only stops spawns, no idle process is closed",
      "worker": {"pool": {"idlePolicy": "spawn-only"}}}]""");

  /** A column of the table: where its figure is in a run's summary, and how it is written. */
  private record Column(String heading, int decimals, String... path) {
  }

  private static final List<Column> COLUMNS = List.of(
    new Column("idle memory (MB·s)", 0, "resources", "idleMemoryMbSeconds"),
    new Column("peak RSS, worker + processes (MB)", 0, "resources", "treePeakRssMb"),
    new Column("start p50 (ms)", 1, "startLatencyMs", "p50"),
    new Column("start p99 (ms)", 1, "startLatencyMs", "p99"),
    new Column("spawn CPU (s)", 1, "scaling", "spawnCpuSeconds"),
    new Column("wasted spawns", 0, "scaling", "wastedSpawns"),
    new Column("their CPU (s)", 1, "scaling", "wastedSpawnCpuSeconds"),
    new Column("rejected (%)", 1, "jobs", "rejectedPercent"),
    new Column("job work done (CPU-s/s)", 2, "workCpuSecondsPerSecond"),
    new Column("full (% of time)", 0, "observed", "fullPercentOfTime"));

  private final Bench.Runner runner;
  private final PrintStream out;
  private final Path images;

  PoliciesBench(Bench.Runner runner, PrintStream out, Path images) {
    this.runner = runner;
    this.out = out;
    this.images = images;
  }

  String run(Path scenarios, long durationMs) throws Exception {
    StringBuilder block = new StringBuilder();
    for (String name : SCENARIOS) {
      JsonObject overrides = new JsonObject().put("variants", POLICIES.copy());
      if (durationMs > 0) {
        overrides.put("durationMs", durationMs);
      }
      Scenario scenario = Scenario.load(scenarios, name, overrides);
      List<LoadTest.Report> reports = runner.reports(scenario);
      block.append(scenarioBlock(scenario, reports));
    }
    return block.toString();
  }

  private String scenarioBlock(Scenario scenario, List<LoadTest.Report> reports) throws Exception {
    Map<String, double[]> medians = new LinkedHashMap<>();
    StringBuilder md = new StringBuilder("### " + scenario.name() + "\n\n" + scenario.description() + "\n\n| policy |");
    COLUMNS.forEach(c -> md.append(' ').append(c.heading()).append(" |"));
    md.append(" rejected by reason (run 1) |\n| --- |").append(" ---: |".repeat(COLUMNS.size())).append(" --- |\n");
    for (Scenario.Variant policy : scenario.variants()) {
      List<JsonObject> runs = reports.stream().map(r -> Bench.variantRun(r.summary(), policy.name())).toList();
      double[] row = new double[COLUMNS.size()];
      md.append("| ").append(policy.name()).append(" |");
      for (int i = 0; i < COLUMNS.size(); i++) {
        Column column = COLUMNS.get(i);
        row[i] = BenchTable.median(Bench.figure(runs, column.path()));
        md.append(' ').append(BenchTable.format(row[i], column.decimals())).append(" |");
      }
      Object reasons = Bench.at(runs.get(0), "jobs", "rejectedByReason");
      md.append(' ').append(reasons instanceof JsonObject o && !o.isEmpty() ? o.encode() : "–").append(" |\n");
      medians.put(policy.name(), row);
    }
    md.append('\n').append(comparisons(medians));
    Path png = images.resolve("bench-" + scenario.name() + ".png");
    Files.createDirectories(images);
    PolicyPlot.write(png, scenario, reports.get(0).runs(), medians, column("idle memory (MB·s)"), column("start p99 (ms)"));
    md.append("\n![").append(scenario.name()).append(": idle processes and load per policy, and idle memory against p99](")
      .append("images/").append(png.getFileName()).append(")\n\n");
    md.append(Bench.problemsOfSummaries(reports.stream().map(LoadTest.Report::summary).toList()));
    out.print(md);
    return md.toString();
  }

  /** Load-scaled against a fixed pool of maxIdle and against LiveKit's rule, in the figures the choice rests on. */
  private static String comparisons(Map<String, double[]> medians) {
    int memory = column("idle memory (MB·s)");
    int p99 = column("start p99 (ms)");
    int wasted = column("wasted spawns");
    int wastedCpu = column("their CPU (s)");
    StringBuilder md = new StringBuilder();
    double[] scaled = medians.get("scaled");
    for (String other : List.of("fixed-max", "spawn-only")) {
      double[] o = medians.get(other);
      md.append(String.format(Locale.ROOT, "- scaled against %s: idle memory %s (%s against %s MB·s), p99 %s against %s ms%s.%n",
        other, change(scaled[memory], o[memory]), BenchTable.format(scaled[memory], 0), BenchTable.format(o[memory], 0),
        BenchTable.format(scaled[p99], 1), BenchTable.format(o[p99], 1),
        other.equals("spawn-only") ? String.format(Locale.ROOT, "; scaled wasted %s spawns costing %s CPU-s, spawn-only %s",
          BenchTable.format(scaled[wasted], 0), BenchTable.format(scaled[wastedCpu], 1), BenchTable.format(o[wasted], 0)) : ""));
    }
    return md.toString();
  }

  /** "−63 %" when {@code value} is under {@code base}. */
  static String change(double value, double base) {
    if (Double.isNaN(value) || Double.isNaN(base) || base == 0) {
      return "not comparable";
    }
    double percent = 100 * (value - base) / base;
    return String.format(Locale.ROOT, "**%s%.0f %%**", percent < 0 ? "−" : "+", Math.abs(percent));
  }

  private static int column(String heading) {
    for (int i = 0; i < COLUMNS.size(); i++) {
      if (COLUMNS.get(i).heading().equals(heading)) {
        return i;
      }
    }
    throw new IllegalArgumentException(heading);
  }
}
