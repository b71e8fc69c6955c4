package io.warmpool.testbed;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code make bench}: the benchmark set behind {@code docs/performance.md}. Each benchmark runs
 * {@code --runs} times (2 by default: the machine is small and noisy, so medians are quoted)
 * and rewrites its own block of the document with the command, the date, the machine and the
 * figures of every run. {@code --only id,id} runs some of them and leaves the others' blocks
 * as they were.
 *
 * <p>One method per benchmark of the document, in the document's order, so the whole catalogue
 * reads as one list beside what it produces; the policies benchmark, with a table per scenario
 * and pictures of its own, is {@link PoliciesBench}.
 */
public final class Bench {

  static final String USAGE = "usage: Bench [--only "
    + "warm,single-use,burst,recycle,hot-path,hot-path-hops,policies,oscillation,overhead] [--runs 2] [--quick] [--doc docs/performance.md]"
    + "\n(from the repository root; make bench [BENCH=...] [RUNS=...] [QUICK=1] builds and runs it)";
  static final List<String> ALL = List.of("warm", "single-use", "burst", "recycle", "hot-path", "hot-path-hops", "policies", "oscillation", "overhead");
  /** The oscillation runs with --quick: spawns and reaps are quoted per minute, so a shorter run stays comparable. */
  static final long QUICK_OSCILLATION_MS = 30_000;
  /** Each scenario of the policies benchmark runs this long with --quick: long enough to see the pool follow, too short to quote. */
  static final long QUICK_POLICIES_MS = 20_000;
  /** The start latency below which a start counts as warm, for the single-use rate sweep. */
  /** A single-use rate is kept warm when every start's p99 stays at or below this and no job is turned away. */
  static final double KEPT_WARM_P99_MS = 30.0;
  static final long OVERHEAD_SETTLE_MS = 5_000;
  static final long OVERHEAD_WINDOW_MS = 20_000;
  /** Before each run the machine should be at most this busy, or the run measures someone else's work too. */
  static final double QUIET_BUSY_SHARE = 0.25;
  static final long QUIET_WAIT_MS = 60_000;

  record Options(List<String> only, int runs, boolean quick, Path doc, Path conf, Path scenarios, Path reports) {

    static Options parse(String[] args) {
      List<String> only = ALL;
      int runs = 2;
      boolean quick = false;
      Path doc = Path.of("docs/performance.md");
      Path conf = Path.of("conf/worker.json");
      Path scenarios = Path.of("testbed/scenarios");
      Path reports = Path.of("testbed/reports");
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--only" -> {
            only = List.of(value(args, ++i).split(","));
            for (String id : only) {
              if (!ALL.contains(id)) {
                throw new IllegalArgumentException("unknown benchmark '" + id + "' (" + String.join(", ", ALL) + ")");
              }
            }
          }
          case "--runs" -> runs = Integer.parseInt(value(args, ++i));
          case "--quick" -> quick = true;
          case "--doc" -> doc = Path.of(value(args, ++i));
          case "--conf" -> conf = Path.of(value(args, ++i));
          case "--scenarios" -> scenarios = Path.of(value(args, ++i));
          case "--reports" -> reports = Path.of(value(args, ++i));
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      if (runs < 1 || runs > 9) {
        throw new IllegalArgumentException("--runs must be 1 to 9");
      }
      return new Options(only, runs, quick, doc, conf, scenarios, reports);
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value");
      }
      return args[i];
    }
  }

  private final Options options;
  private final PrintStream out;
  private final Machine machine = Machine.current();
  private final Path reports;
  private final List<String> busyNotes = new ArrayList<>();

  Bench(Options options, PrintStream out, Path reports) {
    this.options = options;
    this.out = out;
    this.reports = reports;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    try {
      Path reports = ReportWriter.newDirectory(options.reports(), "bench", Instant.now());
      new Bench(options, System.out, reports).run();
      System.exit(0);
    } catch (Exception e) {
      System.err.println("bench failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  void run() throws Exception {
    String doc = Files.exists(options.doc()) ? Files.readString(options.doc()) : "# Performance\n";
    for (String id : options.only()) {
      out.printf("%n=== bench %s: %d run(s)%s ===%n", id, options.runs(), options.quick() ? ", quick" : "");
      long started = System.nanoTime();
      String block = switch (id) {
        case "warm" -> warm();
        case "single-use" -> singleUse();
        case "burst" -> burst();
        case "recycle" -> recycle();
        case "hot-path" -> hotPath();
        case "hot-path-hops" -> hotPathHops();
        case "policies" -> policies();
        case "oscillation" -> oscillation();
        case "overhead" -> overhead();
        default -> throw new IllegalStateException(id);
      };
      String header = String.format(Locale.ROOT, "Measured %s with `make bench BENCH=%s%s%s`: %d run(s), %.0f s, on %s. Reports: `%s`.%n%n",
        LocalDate.now(), id, options.runs() == 2 ? "" : " RUNS=" + options.runs(), options.quick() ? " QUICK=1" : "",
        options.runs(), (System.nanoTime() - started) / 1e9, machine.describe(), reports);
      if (!busyNotes.isEmpty()) {
        block += "\nThe machine was busy with other work around some runs (their figures include it):\n\n"
          + String.join("\n", busyNotes.stream().map(n -> "- " + n).toList()) + "\n";
        busyNotes.clear();
      }
      doc = PerformanceDoc.replace(doc, id, header + block);
      // written after each benchmark, so an interrupted bench keeps what it measured
      Files.writeString(options.doc(), doc);
      out.println(block);
    }
    out.println("rewrote " + options.doc());
  }

  // ---- the benchmarks ------------------------------------------------------------------

  /** Warm start latency over the WebSocket while the pool keeps up, fresh and reused processes. */
  private String warm() throws Exception {
    long duration = options.quick() ? 20_000 : 40_000;
    Scenario fresh = scenario("bench-warm-fresh", """
      {"description": "single-use processes (the default) at a rate the pool keeps up with",
       "connections": 4, "durationMs": %d, "arrival": {"type": "constant", "rate": 0.4},
       "mix": [{"weight": 1, "payload": {"op": "echo", "value": "bench"}}],
       "worker": {"pool": {"maxJobsPerProcess": 1}}, "cooldownMs": 0, "seed": 21}""".formatted(duration));
    Scenario reused = scenario("bench-warm-reused", """
      {"description": "processes that run many jobs: every start is on a warm, already used process",
       "connections": 4, "durationMs": %d, "arrival": {"type": "poisson", "rate": 20},
       "mix": [{"weight": 1, "payload": {"op": "echo", "value": "bench"}}],
       "worker": {"pool": {"maxIdle": 2, "maxJobsPerProcess": 100000}, "load": {"source": "jobs"}}, "cooldownMs": 0, "seed": 22}"""
      .formatted(duration / 2));
    List<JsonObject> a = runs(fresh);
    List<JsonObject> b = runs(reused);
    BenchTable table = new BenchTable(options.runs())
      .add("fresh process (maxJobsPerProcess 1, 0.4 jobs/s): p50", "ms", figure(a, "startLatencyMs", "p50"), 2)
      .add("fresh process: p99", "ms", figure(a, "startLatencyMs", "p99"), 2)
      .add("fresh process: jobs", "", figure(a, "startLatencyMs", "count"), 0)
      .add("reused process (maxJobsPerProcess 100000, 20 jobs/s): p50", "ms", figure(b, "startLatencyMs", "p50"), 2)
      .add("reused process: p99", "ms", figure(b, "startLatencyMs", "p99"), 2)
      .add("reused process: jobs", "", figure(b, "startLatencyMs", "count"), 0);
    return table.markdown() + problems(a, b);
  }

  /**
   * Single-use processes: start latency as the steady rate rises, and the highest rate kept
   * warm: every run's p99 start at or below {@link #KEPT_WARM_P99_MS} and no job turned away.
   */
  private String singleUse() throws Exception {
    double[] rates = options.quick() ? new double[] {1, 3, 6} : new double[] {1, 2, 3, 4, 6, 8};
    long duration = options.quick() ? 15_000 : 25_000;
    BenchTable table = new BenchTable(options.runs());
    double best = Double.NaN;
    List<List<JsonObject>> all = new ArrayList<>();
    for (double rate : rates) {
      Scenario scenario = scenario("bench-single-use-" + String.valueOf(rate).replace('.', '_'), """
        {"description": "single-use processes at a steady rate",
         "connections": 4, "durationMs": %d, "arrival": {"type": "constant", "rate": %s},
         "mix": [{"weight": 1, "payload": {"op": "echo", "value": "bench"}}],
         "worker": {"pool": {"maxJobsPerProcess": 1}}, "cooldownMs": 0, "seed": 31}""".formatted(duration, rate));
      List<JsonObject> runs = runs(scenario);
      all.add(runs);
      String label = String.format(Locale.ROOT, "%.2f jobs/s", rate);
      double[] p99 = figure(runs, "startLatencyMs", "p99");
      double[] rejected = figure(runs, "jobs", "rejectedPercent");
      table.add(label + ": p50", "ms", figure(runs, "startLatencyMs", "p50"), 2)
        .add(label + ": p99", "ms", p99, 1)
        .add(label + ": rejected", "%", rejected, 1);
      if (Arrays.stream(p99).allMatch(ms -> ms <= KEPT_WARM_P99_MS) && Arrays.stream(rejected).allMatch(percent -> percent == 0)) {
        best = rate;
      }
    }
    String verdict = Double.isNaN(best)
      ? String.format(Locale.ROOT, "No rate tried was kept warm in every run (p99 start at or below %.0f ms, no job turned away; lowest tried: %.2f jobs/s).",
        KEPT_WARM_P99_MS, rates[0])
      : String.format(Locale.ROOT, "Highest steady rate kept warm in every run (p99 start at or below %.0f ms, no job turned away): **%.2f jobs/s**.",
        KEPT_WARM_P99_MS, best);
    return verdict + "\n\n" + table.markdown() + problems(all.toArray(List[]::new));
  }

  /** 8 jobs at once into a half-warm pool and an empty one: how long until the last one starts. */
  private String burst() throws Exception {
    Scenario scenario = Scenario.load(options.scenarios(), "burst");
    List<JsonObject> summaries = summaries(scenario);
    BenchTable table = new BenchTable(options.runs());
    for (Scenario.Variant variant : scenario.variants()) {
      List<JsonObject> runs = summaries.stream().map(s -> variantRun(s, variant.name())).toList();
      table.add(variant.name() + ": burst of 8 → last job started", "ms", figure(runs, "timeToLastStartMs"), 0)
        .add(variant.name() + ": start latency p50", "ms", figure(runs, "startLatencyMs", "p50"), 1)
        .add(variant.name() + ": idle processes when the burst came", "", figure(runs, "observed", "idleAtStart"), 0);
    }
    return table.markdown() + problemsOfSummaries(summaries);
  }

  /** Short echo jobs per second when processes are reused. */
  private String recycle() throws Exception {
    List<JsonObject> runs = runs(Scenario.load(options.scenarios(), "recycle"));
    BenchTable table = new BenchTable(options.runs())
      .add("completed echo jobs per second (8 in flight, maxJobsPerProcess 200)", "jobs/s", figure(runs, "completedPerSecond"), 1)
      .add("start latency p50", "ms", figure(runs, "startLatencyMs", "p50"), 2)
      .add("start latency p99", "ms", figure(runs, "startLatencyMs", "p99"), 2);
    return table.markdown() + problems(runs);
  }

  /** The hot path against this machine's floor, both by the same client in the same run ({@link HotPathBench}). */
  private String hotPath() throws Exception {
    return HotPathBench.markdown(hotPathRuns("hot-path", HotPathBench::run, HotPathBench::describe));
  }

  /** Where the time of a start goes, hop by hop, from the worker's trace ({@code job.traceHops}). */
  private String hotPathHops() throws Exception {
    return HotPathBench.hopsMarkdown(hotPathRuns("hot-path-hops", HotPathBench::hops, HotPathBench::describe));
  }

  /** One of {@link HotPathBench}'s measurements: what it makes of a run's report folder. */
  interface HotPathRun<T> {
    T measure(HotPathBench bench, Path dir) throws Exception;
  }

  /** Each run on a quiet machine, in a report folder of its own, described as it ends. */
  private <T> List<T> hotPathRuns(String id, HotPathRun<T> run, Function<T, String> describe) throws Exception {
    List<T> runs = new ArrayList<>();
    for (int i = 0; i < options.runs(); i++) {
      awaitQuietMachine(id + " run " + (i + 1));
      Path dir = Files.createDirectories(reports.resolve(id + "-" + (i + 1)));
      T figures = run.measure(new HotPathBench(out, options.conf()), dir);
      out.println("[" + id + "] run " + (i + 1) + ": " + describe.apply(figures));
      runs.add(figures);
    }
    return runs;
  }

  /** The same loads, saturating the machine, under each idle policy ({@link PoliciesBench}). */
  private String policies() throws Exception {
    Path images = options.doc().toAbsolutePath().getParent().resolve("images");
    return new PoliciesBench(this::reports, out, images).run(options.scenarios(), options.quick() ? QUICK_POLICIES_MS : 0);
  }

  /**
   * Load swinging across the threshold with the idle target's damping off and on: how often the
   * pool spawned and reaped, and what that bought in idle memory and start latency.
   */
  private String oscillation() throws Exception {
    JsonObject shorter = options.quick() ? new JsonObject().put("durationMs", QUICK_OSCILLATION_MS) : new JsonObject();
    Scenario scenario = Scenario.load(options.scenarios(), "oscillation", shorter);
    List<JsonObject> summaries = summaries(scenario);
    BenchTable table = new BenchTable(options.runs());
    List<double[]> events = new ArrayList<>();
    for (Scenario.Variant variant : scenario.variants()) {
      List<JsonObject> runs = summaries.stream().map(s -> variantRun(s, variant.name())).toList();
      double[] perMinute = figure(runs, "scaling", "eventsPerMinute");
      events.add(perMinute);
      table.add(variant.name() + ": spawn+reap events per minute", "/min", perMinute, 1)
        .add(variant.name() + ": spawns", "", figure(runs, "scaling", "spawns"), 0)
        .add(variant.name() + ": reaps", "", figure(runs, "scaling", "reaps"), 0)
        .add(variant.name() + ": idle-process memory", "MB·s", figure(runs, "resources", "idleMemoryMbSeconds"), 0)
        .add(variant.name() + ": start latency p50", "ms", figure(runs, "startLatencyMs", "p50"), 1)
        .add(variant.name() + ": start latency p99", "ms", figure(runs, "startLatencyMs", "p99"), 1)
        .add(variant.name() + ": rejected", "%", figure(runs, "jobs", "rejectedPercent"), 1);
    }
    String ratio = events.size() < 2 ? "" : ratioLine(scenario.variants().get(0).name(), BenchTable.median(events.get(0)),
      scenario.variants().get(1).name(), BenchTable.median(events.get(1)));
    return table.markdown() + ratio + problemsOfSummaries(summaries);
  }

  /** {@code off ÷ on} of the median events per minute, with the case where the second had none said in words. */
  static String ratioLine(String first, double firstMedian, String second, double secondMedian) {
    String figure;
    if (Double.isNaN(firstMedian) || Double.isNaN(secondMedian)) {
      figure = "not known (a run could not count them)";
    } else if (secondMedian == 0) {
      figure = firstMedian == 0 ? "not defined (neither spawned nor reaped)" : "unbounded (" + second + " had none)";
    } else {
      figure = String.format(Locale.ROOT, "**%.1f×**", firstMedian / secondMedian);
    }
    return String.format(Locale.ROOT, "%nSpawn+reap events per minute, %s ÷ %s (medians %s and %s): %s.%n", first, second,
      BenchTable.format(firstMedian, 1), BenchTable.format(secondMedian, 1), figure);
  }

  /** A worker with a warm idle pool and nothing to do: its own CPU and memory. */
  private String overhead() throws Exception {
    double[] cpu = new double[options.runs()];
    double[] rss = new double[options.runs()];
    double[] childCpu = new double[options.runs()];
    double[] childRss = new double[options.runs()];
    double[] idle = new double[options.runs()];
    for (int i = 0; i < options.runs(); i++) {
      awaitQuietMachine("overhead run " + (i + 1));
      Path dir = Files.createDirectories(reports.resolve("overhead-" + (i + 1)));
      out.printf("[overhead %d] starting a worker on %s; waiting for a warm pool, then measuring for %d s%n", i + 1,
        options.conf(), OVERHEAD_WINDOW_MS / 1000);
      try (WorkerProcess worker = WorkerProcess.start(options.conf(), new JsonObject(), dir, "overhead")) {
        JsonObject pool = worker.awaitWarmPool();
        idle[i] = pool.getInteger("idle");
        // the pooled processes warm their own start path after they are ready: let that pass first
        Thread.sleep(OVERHEAD_SETTLE_MS);
        ResourceSampler sampler = worker.sampler();
        sampler.sample();
        long cpu0 = sampler.workerCpuMs();
        long childCpu0 = sampler.childrenCpuMs();
        long t0 = System.nanoTime();
        double rssSum = 0;
        double childRssSum = 0;
        int samples = 0;
        int fewest = Integer.MAX_VALUE;
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(OVERHEAD_WINDOW_MS)) {
          Thread.sleep(1000);
          sampler.sample();
          rssSum += sampler.workerRssMb();
          childRssSum += sampler.childrenRssMb();
          fewest = Math.min(fewest, sampler.children());
          samples++;
        }
        // with load.source cpu a machine busy with other work makes the worker full, and its idle pool goes
        if (fewest < idle[i]) {
          busyNotes.add(String.format(Locale.ROOT, "overhead run %d: the idle pool shrank from %.0f to %d processes during the "
            + "window (the machine's load reached the threshold)", i + 1, idle[i], fewest));
        }
        idle[i] = Math.min(idle[i], fewest);
        double wallMs = (System.nanoTime() - t0) / 1e6;
        cpu[i] = 100.0 * (sampler.workerCpuMs() - cpu0) / wallMs;
        childCpu[i] = 100.0 * (sampler.childrenCpuMs() - childCpu0) / wallMs;
        rss[i] = rssSum / samples;
        childRss[i] = childRssSum / samples;
      }
    }
    return new BenchTable(options.runs())
      .add("worker CPU, idle pool", "% of one core", cpu, 2)
      .add("worker RSS", "MB", rss, 0)
      .add("idle pooled processes (fewest during the window)", "", idle, 0)
      .add("pooled processes CPU together", "% of one core", childCpu, 2)
      .add("pooled processes RSS together", "MB", childRss, 0)
      .markdown();
  }

  // ---- helpers of the benchmarks -------------------------------------------------------

  /**
   * Waits, at most {@value #QUIET_WAIT_MS} ms, until other work leaves the CPUs mostly idle, so
   * a run measures the worker rather than a neighbour; a run that starts on a busy machine is
   * noted in the document.
   */
  private void awaitQuietMachine(String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_WAIT_MS);
    double busy = Machine.busyShare(2000);
    boolean told = false;
    while (busy > QUIET_BUSY_SHARE && System.nanoTime() < deadline) {
      if (!told) {
        out.printf("[bench] the machine is %.0f%% busy with other work; waiting up to %d s for it to calm down%n",
          100 * busy, QUIET_WAIT_MS / 1000);
        told = true;
      }
      busy = Machine.busyShare(2000);
    }
    if (busy > QUIET_BUSY_SHARE) {
      busyNotes.add(String.format(Locale.ROOT, "%s started with the CPUs %.0f%% busy", what, 100 * busy));
    }
  }

  private static Scenario scenario(String name, String json) throws ScenarioException {
    return Scenario.fromJson(name, new JsonObject(json));
  }

  private LoadTest.Options loadOptions(String name) {
    return new LoadTest.Options(name, null, options.conf(), options.scenarios(), reports, true);
  }

  /** The scenario's one run, {@code --runs} times: the summary of each run. */
  private List<JsonObject> runs(Scenario scenario) throws Exception {
    List<JsonObject> runs = new ArrayList<>();
    for (int i = 0; i < options.runs(); i++) {
      out.printf("[bench] %s, run %d of %d%n", scenario.name(), i + 1, options.runs());
      awaitQuietMachine(scenario.name() + " run " + (i + 1));
      JsonObject summary = LoadTest.run(scenario, loadOptions(scenario.name()), out).summary();
      runs.add(summary.getJsonArray("runs").getJsonObject(0).copy().put("problemsOfRun", summary.getJsonArray("problems")));
    }
    return runs;
  }

  /** A scenario {@code --runs} times, each once the machine is quiet: what a benchmark measures with. */
  interface Runner {
    List<LoadTest.Report> reports(Scenario scenario) throws Exception;
  }

  /** A scenario with variants, {@code --runs} times: the whole report of each. */
  private List<LoadTest.Report> reports(Scenario scenario) throws Exception {
    List<LoadTest.Report> reports = new ArrayList<>();
    for (int i = 0; i < options.runs(); i++) {
      out.printf("[bench] %s, run %d of %d%n", scenario.name(), i + 1, options.runs());
      awaitQuietMachine(scenario.name() + " run " + (i + 1));
      reports.add(LoadTest.run(scenario, loadOptions(scenario.name()), out));
    }
    return reports;
  }

  /** A scenario with variants, {@code --runs} times: the whole summary of each. */
  private List<JsonObject> summaries(Scenario scenario) throws Exception {
    return reports(scenario).stream().map(LoadTest.Report::summary).toList();
  }

  static JsonObject variantRun(JsonObject summary, String name) {
    for (Object o : summary.getJsonArray("runs")) {
      if (name.equals(((JsonObject) o).getString("name"))) {
        return (JsonObject) o;
      }
    }
    return new JsonObject();
  }

  /** A number at {@code path} in each run's summary; NaN where a run has none. */
  static double[] figure(List<JsonObject> runs, String... path) {
    return column(runs, run -> at(run, path) instanceof Number n ? n.doubleValue() : Double.NaN);
  }

  /** What is at {@code path} in a run's summary; null where there is nothing. */
  static Object at(JsonObject run, String... path) {
    Object value = run;
    for (String key : path) {
      value = value instanceof JsonObject ? ((JsonObject) value).getValue(key) : null;
    }
    return value;
  }

  private static double[] column(List<JsonObject> runs, java.util.function.ToDoubleFunction<JsonObject> value) {
    return runs.stream().mapToDouble(value).toArray();
  }

  @SafeVarargs
  private static String problems(List<JsonObject>... groups) {
    List<String> problems = new ArrayList<>();
    for (List<JsonObject> runs : groups) {
      for (JsonObject run : runs) {
        run.getJsonArray("problems", new io.vertx.core.json.JsonArray()).forEach(p -> problems.add(run.getString("name") + ": " + p));
        run.getJsonArray("notes", new io.vertx.core.json.JsonArray()).forEach(n -> problems.add(run.getString("name") + ": note: " + n));
      }
    }
    return problems.isEmpty() ? "" : "\nRuns with problems or notes (their figures are in the table all the same):\n\n"
      + String.join("\n", problems.stream().map(p -> "- " + p).toList()) + "\n";
  }

  static String problemsOfSummaries(List<JsonObject> summaries) {
    List<JsonObject> runs = new ArrayList<>();
    summaries.forEach(s -> s.getJsonArray("runs").forEach(r -> runs.add((JsonObject) r)));
    return problems(runs);
  }
}
