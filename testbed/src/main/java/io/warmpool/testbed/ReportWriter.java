package io.warmpool.testbed;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a run's report directory: {@code summary.json} (the figures), {@code timeline.csv}
 * (the pool every {@value Timeline#STEP_MS} ms), one PNG per run (timeline and latency
 * histogram) and {@code report.md}, which embeds the plots.
 */
public final class ReportWriter {

  static final DateTimeFormatter DIR_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());
  static final String CSV_HEADER = "run,t_s,status,load,effective_load,idle,initializing,running,exiting,target,"
    + "active_jobs,waiting_jobs,submitted,started,rejected,ended,worker_rss_mb,children_rss_mb";

  /** The percentiles of every latency figure, as named in {@code summary.json}. */
  static final Map<String, Double> PERCENTILES = percentiles();

  private static Map<String, Double> percentiles() {
    Map<String, Double> map = new java.util.LinkedHashMap<>();
    map.put("p50", 50.0);
    map.put("p90", 90.0);
    map.put("p99", 99.0);
    map.put("p99.9", 99.9);
    return map;
  }

  private ReportWriter() {
  }

  /** {@code reports/<scenario>-<yyyyMMdd-HHmmss>}, made unique if a run of the same second exists. */
  public static Path newDirectory(Path reports, String scenario, Instant at) throws IOException {
    Path dir = reports.resolve(scenario + "-" + DIR_TIME.format(at));
    for (int i = 2; Files.exists(dir); i++) {
      dir = reports.resolve(scenario + "-" + DIR_TIME.format(at) + "-" + i);
    }
    return Files.createDirectories(dir);
  }

  /**
   * Writes every file of the report.
   *
   * @param target    what was loaded: {@code "own worker"} or the URL
   * @param plots     whether to draw the PNGs (tests of the numbers leave them out)
   * @return the summary written to {@code summary.json}
   */
  public static JsonObject write(Path dir, Scenario scenario, List<RunResult> runs, Instant startedAt, String target,
                                 Machine machine, String command, boolean plots) throws IOException {
    List<String> pngs = new ArrayList<>();
    List<String> plotNotes = new ArrayList<>();
    if (plots) {
      for (RunResult run : runs) {
        String png = "plot-" + run.name() + ".png";
        try {
          ReportPlot.write(dir.resolve(png), run);
          pngs.add(png);
        } catch (Exception | LinkageError | java.awt.AWTError | InternalError e) {
          // a machine without fonts cannot draw text: the figures stand without the picture
          plotNotes.add("the plot of " + run.name() + " could not be drawn: " + e);
        }
      }
    }
    JsonObject summary = summary(scenario, runs, startedAt, target, machine, command);
    plotNotes.forEach(n -> summary.getJsonArray("notes").add(n));
    Files.writeString(dir.resolve("summary.json"), summary.encodePrettily() + "\n");
    writeCsv(dir.resolve("timeline.csv"), runs);
    Files.writeString(dir.resolve("report.md"), markdown(summary, runs, pngs));
    return summary;
  }

  // ---- summary.json --------------------------------------------------------------------

  static JsonObject summary(Scenario scenario, List<RunResult> runs, Instant startedAt, String target, Machine machine,
                            String command) {
    JsonArray runJson = new JsonArray();
    JsonArray problems = new JsonArray();
    JsonArray notes = new JsonArray();
    long withoutTerminal = 0;
    for (RunResult run : runs) {
      runJson.add(run(run));
      run.problems().forEach(p -> problems.add(runs.size() > 1 ? run.name() + ": " + p : p));
      run.notes().forEach(n -> notes.add(runs.size() > 1 ? run.name() + ": " + n : n));
      withoutTerminal += run.recorder().outcome("noTerminalEvent");
    }
    return new JsonObject()
      .put("scenario", scenario.name())
      .put("description", scenario.description())
      .put("command", command)
      .put("startedAt", startedAt.toString())
      .put("target", target)
      .put("machine", machine.toJson())
      .put("ok", problems.isEmpty())
      .put("problems", problems)
      .put("notes", notes)
      .put("withoutTerminalEvent", withoutTerminal)
      .put("runs", runJson);
  }

  static JsonObject run(RunResult run) {
    Recorder r = run.recorder();
    Timeline t = run.timeline();
    Scenario s = run.scenario();
    long submitted = r.submitted();
    long rejected = r.outcome("rejected");
    double spanS = r.spanMs() / 1000.0;
    JsonObject jobs = new JsonObject()
      .put("submitted", submitted)
      .put("accepted", r.accepted())
      .put("started", r.started())
      .put("outcomes", sorted(r.outcomes()))
      .put("rejectedByReason", sorted(r.rejectedByReason()))
      .put("failedByReason", sorted(r.failedByReason()))
      .put("errorsByCode", sorted(r.errorsByCode()))
      .put("withoutTerminalEvent", r.outcome("noTerminalEvent"))
      .put("noReply", r.noReply())
      .put("lateTerminalEvents", r.lateTerminalEvents())
      .put("duplicateTerminalEvents", r.duplicateTerminalEvents())
      .put("unexpectedOutcomes", r.unexpectedOutcomes())
      .put("rejectedPercent", round(submitted == 0 ? 0 : 100.0 * rejected / submitted, 2));
    JsonObject resources = new JsonObject()
      .put("workerPeakRssMb", round(peak(t, Timeline.Row::workerRssMb), 1))
      .put("childrenPeakRssMb", round(peak(t, Timeline.Row::childrenRssMb), 1))
      .put("treePeakRssMb", round(peak(t, row -> row.workerRssMb() + row.childrenRssMb()), 1))
      .put("idleProcessSeconds", round(t.idleProcessSeconds(), 1))
      .put("idleMemoryMbSeconds", round(t.idleMemoryMbSeconds(), 1));
    JsonObject observed = new JsonObject()
      .put("full", t.sawStatus("full"))
      .put("fullPercentOfTime", round(100 * t.fullShare(), 1))
      .put("targetZero", t.sawTargetZero())
      .put("recoveredAfterFull", t.recoveredAfterFull())
      .put("maxLoad", round(t.maxLoad(), 3))
      .put("maxRunning", t.maxRunning())
      .put("idleAtStart", t.loadRows().isEmpty() ? null : t.loadRows().get(0).idle())
      .put("loadAtStart", t.loadRows().isEmpty() ? null : round(t.loadRows().get(0).load(), 3))
      .put("threshold", Double.isNaN(t.threshold()) ? null : t.threshold())
      .put("maxIdle", t.maxIdle());
    JsonObject json = new JsonObject()
      .put("name", run.name())
      .put("description", run.variant().description())
      .put("workerOverrides", run.variant().worker())
      .put("arrival", s.arrival().describe())
      .put("connections", s.connections())
      .put("durationMs", s.durationMs())
      .put("loadMs", run.loadMs())
      .put("jobs", jobs)
      .put("startLatencyMs", latency(r.startLatencyUs()))
      .put("timeToLastStartMs", round(r.timeToLastStartMs(), 3))
      .put("completedPerSecond", round(spanS <= 0 ? 0 : r.outcome("completed") / spanS, 2))
      .put("workCpuSecondsPerSecond", round(run.loadMs() <= 0 ? 0 : r.completedWorkMs() / (double) run.loadMs(), 3))
      .put("resources", resources)
      .put("scaling", run.scaling() == null ? null : scaling(run.scaling(), run.loadMs()))
      .put("observed", observed)
      .put("problems", new JsonArray(run.problems()))
      .put("notes", new JsonArray(run.notes()));
    if (run.worker() != null) {
      WorkerProcess.Outcome w = run.worker();
      json.put("worker", new JsonObject()
        .put("exitCode", w.exitCode())
        .put("killed", w.killed())
        .put("diedDuringRun", w.diedDuringRun())
        .put("errorLines", w.errorLines())
        .put("warnLines", w.warnLines())
        .put("leftoverProcesses", w.leftoverProcesses())
        .put("log", w.log().getFileName().toString()));
    }
    return json;
  }

  /**
   * The pool's spawns and reaps during the load, totals and by cause, and both together per
   * minute of load: how much the pool scaled to follow it.
   */
  static JsonObject scaling(ScalingCounts counts, long loadMs) {
    return new JsonObject()
      .put("spawns", counts.spawns())
      .put("reaps", counts.reaps())
      .put("events", counts.events())
      .put("byCause", new JsonObject()
        .put("spawns", sorted(counts.spawnsByCause()))
        .put("reaps", sorted(counts.reapsByCause())))
      .put("eventsPerMinute", round(counts.eventsPerMinute(loadMs), 1))
      .put("spawnCpuSeconds", round(counts.spawnCpuSeconds(), 2))
      .put("wastedSpawns", counts.wasted())
      .put("wastedByCause", sorted(counts.wastedByCause()))
      .put("wastedSpawnCpuSeconds", round(counts.wastedCpuSeconds(), 2));
  }

  /** p50, p90, p99, p99.9, max and mean of a histogram of microseconds, in ms. */
  static JsonObject latency(Histogram us) {
    JsonObject json = new JsonObject().put("count", us.getTotalCount());
    for (Map.Entry<String, Double> p : PERCENTILES.entrySet()) {
      json.put(p.getKey(), us.getTotalCount() == 0 ? null : round(us.getValueAtPercentile(p.getValue()) / 1000.0, 3));
    }
    json.put("max", us.getTotalCount() == 0 ? null : round(us.getMaxValue() / 1000.0, 3));
    json.put("mean", us.getTotalCount() == 0 ? null : round(us.getMean() / 1000.0, 3));
    return json;
  }

  private static double peak(Timeline t, java.util.function.ToDoubleFunction<Timeline.Row> value) {
    return t.rows().stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
  }

  private static JsonObject sorted(Map<String, Long> counts) {
    JsonObject json = new JsonObject();
    new TreeMap<>(counts).forEach(json::put);
    return json;
  }

  /** Rounded for reading; NaN (nothing measured) becomes null, which JSON can hold. */
  static Double round(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return null;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  // ---- timeline.csv --------------------------------------------------------------------

  static void writeCsv(Path file, List<RunResult> runs) throws IOException {
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (RunResult run : runs) {
      for (Timeline.Row r : run.timeline().rows()) {
        csv.append(run.name()).append(',')
          .append(String.format(Locale.ROOT, "%.1f", r.tMs() / 1000.0)).append(',')
          .append(r.status()).append(',')
          .append(number(r.load(), 4)).append(',')
          .append(number(r.effectiveLoad(), 4)).append(',')
          .append(r.idle()).append(',').append(r.initializing()).append(',').append(r.running()).append(',')
          .append(r.exiting()).append(',').append(r.target()).append(',')
          .append(r.activeJobs()).append(',').append(r.waitingJobs()).append(',')
          .append(r.submitted()).append(',').append(r.started()).append(',').append(r.rejected()).append(',')
          .append(r.ended()).append(',')
          .append(number(r.workerRssMb(), 1)).append(',')
          .append(number(r.childrenRssMb(), 1)).append('\n');
      }
    }
    Files.writeString(file, csv);
  }

  private static String number(double value, int decimals) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  // ---- report.md -----------------------------------------------------------------------

  static String markdown(JsonObject summary, List<RunResult> runs, List<String> pngs) {
    StringBuilder md = new StringBuilder();
    md.append("# Load test: ").append(summary.getString("scenario")).append("\n\n");
    if (!summary.getString("description", "").isEmpty()) {
      md.append(summary.getString("description")).append("\n\n");
    }
    md.append("- command: `").append(summary.getString("command")).append("`\n")
      .append("- started: ").append(summary.getString("startedAt")).append("\n")
      .append("- worker: ").append(summary.getString("target")).append("\n")
      .append("- machine: ").append(summary.getJsonObject("machine").getInteger("cores")).append(" cores, ")
      .append(summary.getJsonObject("machine").getString("cpu")).append("\n")
      .append("- result: **").append(summary.getBoolean("ok") ? "passed" : "FAILED").append("**\n\n");
    JsonArray problems = summary.getJsonArray("problems");
    if (!problems.isEmpty()) {
      md.append("## Problems\n\n");
      problems.forEach(p -> md.append("- ").append(p).append('\n'));
      md.append('\n');
    }
    JsonArray notes = summary.getJsonArray("notes");
    if (!notes.isEmpty()) {
      md.append("## Notes\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
      md.append('\n');
    }
    md.append("## Figures\n\n");
    JsonArray runJson = summary.getJsonArray("runs");
    md.append("| figure |");
    runJson.forEach(r -> md.append(' ').append(((JsonObject) r).getString("name")).append(" |"));
    md.append("\n| --- |");
    runJson.forEach(r -> md.append(" ---: |"));
    md.append('\n');
    row(md, runJson, "arrival", r -> r.getString("arrival"));
    row(md, runJson, "submitted", r -> r.getJsonObject("jobs").getLong("submitted"));
    for (String outcome : Recorder.OUTCOMES) {
      row(md, runJson, outcome, r -> r.getJsonObject("jobs").getJsonObject("outcomes").getLong(outcome));
    }
    row(md, runJson, "rejected %", r -> r.getJsonObject("jobs").getDouble("rejectedPercent"));
    for (String p : List.of("p50", "p90", "p99", "p99.9", "max")) {
      row(md, runJson, "start latency " + p + " (ms)", r -> r.getJsonObject("startLatencyMs").getValue(p));
    }
    row(md, runJson, "first submit → last start (ms)", r -> r.getDouble("timeToLastStartMs"));
    row(md, runJson, "completed / s", r -> r.getDouble("completedPerSecond"));
    row(md, runJson, "worker peak RSS (MB)", r -> r.getJsonObject("resources").getValue("workerPeakRssMb"));
    row(md, runJson, "pooled processes peak RSS (MB)", r -> r.getJsonObject("resources").getValue("childrenPeakRssMb"));
    row(md, runJson, "idle process-seconds", r -> r.getJsonObject("resources").getValue("idleProcessSeconds"));
    row(md, runJson, "idle memory (MB·s, estimate)", r -> r.getJsonObject("resources").getValue("idleMemoryMbSeconds"));
    row(md, runJson, "processes spawned (by cause)", r -> byCause(r.getJsonObject("scaling"), "spawns"));
    row(md, runJson, "processes reaped (by cause)", r -> byCause(r.getJsonObject("scaling"), "reaps"));
    row(md, runJson, "spawn+reap events / min of load", r -> r.getJsonObject("scaling") == null ? null
      : r.getJsonObject("scaling").getValue("eventsPerMinute"));
    row(md, runJson, "full (% of time)", r -> r.getJsonObject("observed").getValue("fullPercentOfTime"));
    row(md, runJson, "idle target reached 0", r -> r.getJsonObject("observed").getBoolean("targetZero"));
    row(md, runJson, "available again after full", r -> r.getJsonObject("observed").getBoolean("recoveredAfterFull"));
    md.append('\n');
    for (int i = 0; i < runs.size(); i++) {
      RunResult run = runs.get(i);
      md.append("## ").append(run.name()).append("\n\n");
      if (!run.variant().description().isEmpty()) {
        md.append(run.variant().description()).append("\n\n");
      }
      md.append("Worker overrides: `").append(run.variant().worker().encode()).append("`\n\n");
      String png = "plot-" + run.name() + ".png";
      if (pngs.contains(png)) {
        md.append("![").append(run.name()).append(": pool timeline and start latency](").append(png).append(")\n\n");
      }
    }
    md.append("Files: [summary.json](summary.json), [timeline.csv](timeline.csv)");
    for (RunResult run : runs) {
      if (run.worker() != null) {
        String log = run.worker().log().getFileName().toString();
        md.append(", [").append(log).append("](").append(log).append(')');
      }
    }
    md.append(".\n");
    return md.toString();
  }

  /** {@code 12 (demand 1, target 11)}; null when the run could not count them. */
  private static String byCause(JsonObject scaling, String kind) {
    if (scaling == null) {
      return null;
    }
    JsonObject causes = scaling.getJsonObject("byCause").getJsonObject(kind);
    List<String> parts = new ArrayList<>();
    causes.forEach(c -> parts.add(c.getKey() + " " + c.getValue()));
    return scaling.getLong(kind) + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
  }

  private static void row(StringBuilder md, JsonArray runs, String label, java.util.function.Function<JsonObject, Object> value) {
    md.append("| ").append(label).append(" |");
    for (Object r : runs) {
      Object v = value.apply((JsonObject) r);
      md.append(' ').append(v == null ? "–" : v).append(" |");
    }
    md.append('\n');
  }
}
