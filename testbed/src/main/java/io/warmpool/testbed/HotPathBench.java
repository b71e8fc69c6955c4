package io.warmpool.testbed;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * {@code make bench BENCH=hot-path}: the worker's hot path against this machine's floor, both
 * measured by the same client ({@link RoundTrips}) in the same run. The floor is a bare Vert.x
 * WebSocket echo server in a JVM of its own ({@link EchoServer}); the worker runs echo jobs on
 * reused processes, on single-use ones, and on processes recycled every 200 jobs, with
 * {@code load.source} external (the load stays 0: the hot path is measured, not admission).
 *
 * <p>Steady state is measured, as a worker that has served for a while runs: the echo server's
 * and the reused worker's one-at-a-time figures are taken after their throughput runs, which
 * leave their JIT warm. Both are measured just started too, since that is what a worker's first
 * minute's clients meet; each is set against the other in the same state.
 */
final class HotPathBench {

  /** One at a time, this far apart: 50 round trips a second. */
  static final long GAP_MS = 20;
  static final int WARMUP = 300;
  static final int COUNT = 500;
  /** Single-use processes are started for each job: a gap they can be kept warm at. */
  static final long SINGLE_USE_GAP_MS = 300;
  static final int SINGLE_USE_WARMUP = 10;
  static final int SINGLE_USE_COUNT = 60;
  static final int IN_FLIGHT = 64;
  /**
   * Load before the jobs are counted. On 2 cores the worker's C2 compiler works through its queue
   * for about 25 s of full load (a flight recording: 750 compilations, 13.5 s of compiler time, as
   * much CPU as its event loops), and the jobs per second rise until it is done.
   */
  static final long THROUGHPUT_WARMUP_MS = 30_000;
  static final long THROUGHPUT_MS = 5_000;

  /** The figures of one run. */
  record Figures(double echoP50, double echoP99, double echoFreshP50, double echoFreshP99, double reusedP50,
                 double reusedP99, double freshP50, double freshP99,
                 double singleUseP50, double singleUseP99, double echoPerSecond, double reusedPerSecond,
                 double recycledPerSecond, double recycledSpawnCpuMs) {

    /**
     * Recycled jobs per second this machine's cores allow however well the pool schedules: each
     * job costs the CPU a reused job cost the whole machine (the reused run keeps every core
     * busy), and every {@link #RECYCLE_AFTER} jobs cost a process's start on top.
     */
    double recycledCeiling() {
      int cores = Runtime.getRuntime().availableProcessors();
      return cores / (recycledSpawnCpuMs / 1000 / RECYCLE_AFTER + cores / reusedPerSecond);
    }
  }

  static final int RECYCLE_AFTER = 200;

  private final PrintStream out;
  private final Path conf;

  HotPathBench(PrintStream out, Path conf) {
    this.out = out;
    this.conf = conf;
  }

  Figures run(Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ServerFigures echo = floor(vertx, true);
      ServerFigures reused = worker(vertx, dir, "reused", 100_000, true);
      ServerFigures recycled = worker(vertx, dir, "recycled", RECYCLE_AFTER, false);
      ServerFigures singleUse = worker(vertx, dir, "single-use", 1, false);
      return new Figures(echo.p50(), echo.p99(), echo.freshP50(), echo.freshP99(), reused.p50(), reused.p99(),
        reused.freshP50(), reused.freshP99(), singleUse.freshP50(), singleUse.freshP99(), echo.perSecond(),
        reused.perSecond(), recycled.perSecond(), recycled.spawnCpuMs());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The echo server measured as the worker with reused processes is: one at a time just
   * started (if {@code justStarted}), its round trips per second with 64 outstanding, one at a
   * time again after that.
   */
  private ServerFigures floor(Vertx vertx, boolean justStarted) throws Exception {
    int port = WorkerProcess.freePort();
    try (JvmProcess server = Floors.echoServer(port)) {
      out.printf("[hot-path] floor: a bare Vert.x WebSocket echo server on port %d%n", port);
      RoundTrips client = LoadTest.await(RoundTrips.connect(vertx, port), 10_000);
      Histogram fresh = !justStarted ? null : LoadTest.await(client.latency(RoundTrips.echo(), WARMUP, COUNT, GAP_MS), 120_000);
      double perSecond = throughput(client, RoundTrips.echo());
      Histogram warm = LoadTest.await(client.latency(RoundTrips.echo(), WARMUP, COUNT, GAP_MS), 120_000);
      client.close();
      return new ServerFigures(ms(warm, 50), ms(warm, 99), ms(fresh, 50), ms(fresh, 99), perSecond, Double.NaN);
    }
  }

  private static double throughput(RoundTrips client, RoundTrips.Exchange exchange) throws Exception {
    return LoadTest.await(client.throughput(exchange, IN_FLIGHT, THROUGHPUT_WARMUP_MS, THROUGHPUT_MS),
      THROUGHPUT_WARMUP_MS + 60_000);
  }

  /**
   * One server's figures: a round trip one at a time (the worker's: submit → {@code started}),
   * p50 and p99 (ms), on the server just started ({@code fresh}) and after its throughput run
   * ({@code p50}, {@code p99}); round trips (completed jobs) per second with 64 outstanding; the
   * CPU a spawn took to ready (ms). NaN where the server was not measured so.
   */
  record ServerFigures(double p50, double p99, double freshP50, double freshP99, double perSecond, double spawnCpuMs) {
  }

  /**
   * A worker whose processes run {@code maxJobsPerProcess} jobs. Single-use: one at a time on
   * the worker just started. Otherwise, if {@code latency}, one at a time on the worker just
   * started; then the throughput run; then, if {@code latency}, one at a time again once the pool
   * is back at its idle maximum. The spawn CPU is the worker's own average over its life
   * ({@code warmpool_spawn_cpu_seconds_total}).
   */
  private ServerFigures worker(Vertx vertx, Path dir, String name, int maxJobsPerProcess, boolean latency) throws Exception {
    out.printf("[hot-path] worker, %s processes (pool.maxJobsPerProcess %d)%n", name, maxJobsPerProcess);
    try (WorkerProcess worker = WorkerProcess.start(conf, overrides(maxJobsPerProcess), dir, "hot-path-" + name)) {
      worker.awaitWarmPool();
      RoundTrips client = LoadTest.await(RoundTrips.connect(vertx, worker.port()), 10_000);
      Histogram fresh = null;
      Histogram warm = null;
      double perSecond = Double.NaN;
      if (maxJobsPerProcess == 1) {
        fresh = LoadTest.await(client.latency(RoundTrips.job("single-use", "started"), SINGLE_USE_WARMUP, SINGLE_USE_COUNT,
          SINGLE_USE_GAP_MS), 120_000);
      } else {
        if (latency) {
          fresh = LoadTest.await(client.latency(RoundTrips.job("fresh", "started"), WARMUP, COUNT, GAP_MS), 120_000);
        }
        perSecond = throughput(client, RoundTrips.job("throughput", "completed"));
        if (latency) {
          worker.awaitSettledPool();
          warm = LoadTest.await(client.latency(RoundTrips.job("latency", "started"), WARMUP, COUNT, GAP_MS), 120_000);
        }
      }
      client.close();
      String metrics = LoadTest.await(new WorkerHttp(vertx, WorkerTarget.local(worker.port(), worker.token())).metrics(), 10_000);
      double spawnCpuMs = PrometheusText.sum(metrics, "warmpool_spawn_cpu_seconds_total") * 1000
        / PrometheusText.sum(metrics, "warmpool_spawns_total");
      worker.stop();
      return new ServerFigures(ms(warm, 50), ms(warm, 99), ms(fresh, 50), ms(fresh, 99), perSecond, spawnCpuMs);
    }
  }

  /** The worker of every figure: {@code load.source} external, so admission never turns a job away. */
  private static JsonObject overrides(int maxJobsPerProcess) {
    return new JsonObject()
      .put("pool", new JsonObject().put("maxIdle", maxJobsPerProcess == 1 ? 4 : 2).put("maxJobsPerProcess", maxJobsPerProcess)
        .put("maxWaitingJobs", IN_FLIGHT))
      .put("load", new JsonObject().put("source", "external"));
  }

  /**
   * Where the time of a start goes, reused and single-use: each hop's p50 (ms), and the whole
   * start's; beside them the floors (ms, p50): a bare WebSocket echo's round trip, one event bus
   * hop between two verticles, and a line to another JVM and back.
   */
  record Hops(double[] reused, double reusedTotal, double[] reusedP99, double reusedTotalP99, double[] singleUse,
              double singleUseTotal, double echoFloor, double busFloor, double processFloor) {

    /**
     * What a start would take with nothing of warmpool's on its way: the client's round trip to
     * a WebSocket server, the submission to another verticle and the event back (a bus hop each),
     * and the child's round trip.
     */
    double shapeFloor() {
      return echoFloor + 2 * busFloor + processFloor;
    }
  }

  /**
   * {@code make bench BENCH=hot-path-hops}: the same one-at-a-time starts as the figures, on a
   * worker with {@code job.traceHops} on, each start cut into its hops ({@link HopTable}).
   */
  Hops hops(Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      out.println("[hot-path-hops] floors: a bare WebSocket echo, an event bus hop, a line to another JVM and back");
      // the hops are traced on a warm worker only: the echo just started is not wanted here
      double echoP50 = floor(vertx, false).p50();
      Histogram bus = Floors.busHop(vertx, WARMUP, COUNT, GAP_MS);
      Histogram process = Floors.processRoundTrip(vertx, WARMUP, COUNT, GAP_MS);
      HopTable reused = traced(vertx, dir, "reused", 100_000, WARMUP, COUNT, GAP_MS);
      HopTable singleUse = traced(vertx, dir, "single-use", 1, SINGLE_USE_WARMUP, SINGLE_USE_COUNT, SINGLE_USE_GAP_MS);
      return new Hops(reused.p50Ms(), reused.totalP50Ms(), reused.p99Ms(), reused.totalP99Ms(), singleUse.p50Ms(),
        singleUse.totalP50Ms(), echoP50, ms(bus, 50), ms(process, 50));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private HopTable traced(Vertx vertx, Path dir, String name, int maxJobsPerProcess, int warmup, int count, long gapMs)
    throws Exception {
    JsonObject overrides = overrides(maxJobsPerProcess).put("job", new JsonObject().put("traceHops", true));
    out.printf("[hot-path-hops] traced worker, %s processes (pool.maxJobsPerProcess %d)%n", name, maxJobsPerProcess);
    try (WorkerProcess worker = WorkerProcess.start(conf, overrides, dir, "hot-path-hops-" + name)) {
      worker.awaitWarmPool();
      RoundTrips client = LoadTest.await(RoundTrips.connect(vertx, worker.port()), 10_000);
      if (maxJobsPerProcess > 1) {
        // traced as the figures are taken: after the throughput run has warmed the worker's JIT
        throughput(client, RoundTrips.job("jit-warm-up", "completed"));
        worker.awaitSettledPool();
      }
      HopTable table = new HopTable();
      LoadTest.await(client.oneAtATime(RoundTrips.job("traced-" + name, "started"), warmup, count, gapMs, table::record), 120_000);
      client.close();
      worker.stop();
      return table;
    }
  }

  static String hopsMarkdown(List<Hops> runs) {
    BenchTable table = new BenchTable(runs.size())
      .add("floor: a bare Vert.x WebSocket echo, round trip (client → server → client), p50", "ms", column(runs, Hops::echoFloor), 3)
      .add("floor: one event bus request between two verticles, send → consumer, p50", "ms", column(runs, Hops::busFloor), 3)
      .add("floor: a line to another JVM and back over a loopback socket, p50", "ms", column(runs, Hops::processFloor), 3);
    hopRows(table, "reused process, 20 ms apart", "p50", runs, Hops::reused, Hops::reusedTotal);
    hopRows(table, "single-use processes, 300 ms apart", "p50", runs, Hops::singleUse, Hops::singleUseTotal);
    hopRows(table, "reused process, 20 ms apart", "p99", runs, Hops::reusedP99, Hops::reusedTotalP99);
    table.add("floor of the same shape: the echo, two event bus hops and a line to another JVM and back, added up", "ms",
        column(runs, Hops::shapeFloor), 3)
      .add("reused process: the whole start ÷ the floor of the same shape", "×", column(runs, h -> h.reusedTotal() / h.shapeFloor()), 2)
      .add("reused process: the whole start ÷ the bare echo", "×", column(runs, h -> h.reusedTotal() / h.echoFloor()), 2);
    return table.markdown();
  }

  /** A row per hop with its {@code stat} (p50, p99), then the hops' added up and the whole start's. */
  private static void hopRows(BenchTable table, String mode, String stat, List<Hops> runs, Function<Hops, double[]> hops,
                              ToDoubleFunction<Hops> total) {
    for (int i = 0; i < HopTable.HOPS.size(); i++) {
      int hop = i;
      table.add(mode + ": " + HopTable.HOPS.get(i).name() + ", " + stat, "ms",
        runs.stream().mapToDouble(r -> hops.apply(r)[hop]).toArray(), 3);
    }
    double[] sums = runs.stream().mapToDouble(r -> Arrays.stream(hops.apply(r)).sum()).toArray();
    table.add(mode + ": the hops' " + stat + "s added up", "ms", sums, 3)
      .add(mode + ": the whole start (submit written → started read), " + stat, "ms", column(runs, total), 3);
  }

  static String describe(Hops hops) {
    return String.format(Locale.ROOT, "floors: echo %.3f ms, bus hop %.3f ms, process round trip %.3f ms; reused p50 %.3f ms %s, "
        + "single-use p50 %.3f ms %s", hops.echoFloor(), hops.busFloor(), hops.processFloor(), hops.reusedTotal(),
      Arrays.toString(hops.reused()), hops.singleUseTotal(), Arrays.toString(hops.singleUse()));
  }

  /** A percentile in ms; NaN for a measurement not taken. */
  private static double ms(Histogram us, double percentile) {
    return us == null ? Double.NaN : us.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The block for the document: a row per figure, the runs and their median, and the ratios against the floor. */
  static String markdown(List<Figures> runs) {
    int n = runs.size();
    BenchTable table = new BenchTable(n)
      // the worker just started against the echo server just started: 300 round trips in
      .add("floor: bare Vert.x WebSocket echo, one at a time 20 ms apart, the server just started: p50", "ms",
        column(runs, Figures::echoFreshP50), 3)
      .add("floor, the server just started: p99", "ms", column(runs, Figures::echoFreshP99), 3)
      .add("warm start, reused process, 20 ms apart, the worker just started: p50", "ms", column(runs, Figures::freshP50), 3)
      .add("warm start, reused process, the worker just started: p99", "ms", column(runs, Figures::freshP99), 3)
      .add("warm start, reused process, the worker just started: p50 ÷ floor p50, the server just started", "×",
        ratio(runs, Figures::freshP50, Figures::echoFreshP50), 2)
      .add("warm start, single-use processes, 300 ms apart, the worker just started: p50", "ms",
        column(runs, Figures::singleUseP50), 3)
      .add("warm start, single-use processes: p99", "ms", column(runs, Figures::singleUseP99), 3)
      .add("warm start, single-use processes: p50 ÷ floor p50, the server just started", "×",
        ratio(runs, Figures::singleUseP50, Figures::echoFreshP50), 2)
      // both after their throughput runs: the JIT done with the code they run
      .add("floor: bare Vert.x WebSocket echo, one at a time 20 ms apart, after its throughput run: p50", "ms",
        column(runs, Figures::echoP50), 3)
      .add("floor, after its throughput run: p99", "ms", column(runs, Figures::echoP99), 3)
      .add("warm start, reused process, 20 ms apart, after the throughput run: p50", "ms", column(runs, Figures::reusedP50), 3)
      .add("warm start, reused process, after the throughput run: p99", "ms", column(runs, Figures::reusedP99), 3)
      .add("warm start, reused process, after the throughput run: p50 ÷ floor p50 after its own", "×",
        ratio(runs, Figures::reusedP50, Figures::echoP50), 2)
      .add("floor: echo round trips per second, 64 outstanding, after 30 s of it", "/s", column(runs, Figures::echoPerSecond), 0)
      .add("echo jobs per second, reused processes, 64 outstanding, after 30 s of it", "jobs/s",
        column(runs, Figures::reusedPerSecond), 0)
      .add("the same ÷ floor round trips per second", "", ratio(runs, Figures::reusedPerSecond, Figures::echoPerSecond), 4)
      .add("echo jobs per second, processes recycled every 200 jobs, 64 outstanding", "jobs/s",
        column(runs, Figures::recycledPerSecond), 0)
      .add("recycled: CPU a process took to start, the worker's average", "ms", column(runs, Figures::recycledSpawnCpuMs), 0)
      .add("recycled: the most jobs per second the cores allow (a reused job's CPU each, a start's per 200)", "jobs/s",
        column(runs, Figures::recycledCeiling), 0);
    return table.markdown();
  }

  private static <T> double[] column(List<T> runs, ToDoubleFunction<T> value) {
    return runs.stream().mapToDouble(value).toArray();
  }

  private static double[] ratio(List<Figures> runs, ToDoubleFunction<Figures> top,
                                ToDoubleFunction<Figures> bottom) {
    return runs.stream().mapToDouble(f -> top.applyAsDouble(f) / bottom.applyAsDouble(f)).toArray();
  }

  static String describe(Figures f) {
    return String.format(Locale.ROOT, "just started: floor p50 %.3f ms, reused p50 %.3f ms (%.2f×), single-use p50 %.3f ms "
        + "(%.2f×); after the throughput runs: floor p50 %.3f ms, reused p50 %.3f ms (%.2f×); floor %.0f/s, reused %.0f "
        + "jobs/s, recycled %.0f jobs/s", f.echoFreshP50(), f.freshP50(), f.freshP50() / f.echoFreshP50(), f.singleUseP50(),
      f.singleUseP50() / f.echoFreshP50(), f.echoP50(), f.reusedP50(), f.reusedP50() / f.echoP50(), f.echoPerSecond(),
      f.reusedPerSecond(), f.recycledPerSecond());
  }
}
