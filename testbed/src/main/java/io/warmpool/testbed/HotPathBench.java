package io.warmpool.testbed;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code make bench BENCH=hot-path}: the worker's hot path against this machine's floor, both
 * measured by the same client ({@link RoundTrips}) in the same run. The floor is a bare Vert.x
 * WebSocket echo server in a JVM of its own ({@link EchoServer}); the worker runs echo jobs on
 * reused processes, on single-use ones, and on processes recycled every 200 jobs, with
 * {@code load.source} external (the load stays 0: the hot path is measured, not admission).
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
  static final long THROUGHPUT_WARMUP_MS = 2_000;
  static final long THROUGHPUT_MS = 5_000;

  /** The figures of one run. */
  record Figures(double echoP50, double echoP99, double reusedP50, double reusedP99, double singleUseP50,
                 double singleUseP99, double echoPerSecond, double reusedPerSecond, double recycledPerSecond) {
  }

  private final PrintStream out;
  private final Path conf;

  HotPathBench(PrintStream out, Path conf) {
    this.out = out;
    this.conf = conf;
  }

  Figures run(Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      double[] echo = floor(vertx);
      double[] reused = worker(vertx, dir, "reused", 100_000, true);
      double[] recycled = worker(vertx, dir, "recycled", 200, false);
      double[] singleUse = worker(vertx, dir, "single-use", 1, false);
      return new Figures(echo[0], echo[1], reused[0], reused[1], singleUse[0], singleUse[1], echo[2], reused[2],
        recycled[2]);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** p50 and p99 (ms) of the echo server one at a time, and its round trips per second with 64 outstanding. */
  private double[] floor(Vertx vertx) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EchoServer.class.getName(),
      Integer.toString(port)).redirectErrorStream(true).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = lines.readLine();
      if (first == null || !first.startsWith("listening")) {
        throw new IOException("the echo server did not start: " + first);
      }
      out.printf("[hot-path] floor: a bare Vert.x WebSocket echo server on port %d%n", port);
      RoundTrips client = LoadTest.await(RoundTrips.connect(vertx, port), 10_000);
      Histogram us = LoadTest.await(client.latency(RoundTrips.echo(), WARMUP, COUNT, GAP_MS), 120_000);
      double perSecond = LoadTest.await(client.throughput(RoundTrips.echo(), IN_FLIGHT, THROUGHPUT_WARMUP_MS, THROUGHPUT_MS), 60_000);
      client.close();
      return new double[] {ms(us, 50), ms(us, 99), perSecond};
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A worker whose processes run {@code maxJobsPerProcess} jobs: p50 and p99 (ms) of submit →
   * {@code started} one at a time (if {@code latency}, or single-use), and completed jobs per
   * second with 64 outstanding (NaN for single-use).
   */
  private double[] worker(Vertx vertx, Path dir, String name, int maxJobsPerProcess, boolean latency) throws Exception {
    JsonObject overrides = new JsonObject()
      .put("pool", new JsonObject().put("maxIdle", maxJobsPerProcess == 1 ? 4 : 2).put("maxJobsPerProcess", maxJobsPerProcess)
        .put("maxWaitingJobs", IN_FLIGHT))
      .put("load", new JsonObject().put("source", "external"));
    out.printf("[hot-path] worker, %s processes (pool.maxJobsPerProcess %d)%n", name, maxJobsPerProcess);
    try (WorkerProcess worker = WorkerProcess.start(conf, overrides, dir, "hot-path-" + name)) {
      worker.awaitWarmPool();
      RoundTrips client = LoadTest.await(RoundTrips.connect(vertx, worker.port()), 10_000);
      double p50 = Double.NaN;
      double p99 = Double.NaN;
      double perSecond = Double.NaN;
      if (maxJobsPerProcess == 1) {
        Histogram us = LoadTest.await(client.latency(RoundTrips.job("single-use", "started"), SINGLE_USE_WARMUP, SINGLE_USE_COUNT,
          SINGLE_USE_GAP_MS), 120_000);
        p50 = ms(us, 50);
        p99 = ms(us, 99);
      } else {
        if (latency) {
          Histogram us = LoadTest.await(client.latency(RoundTrips.job("latency", "started"), WARMUP, COUNT, GAP_MS), 120_000);
          p50 = ms(us, 50);
          p99 = ms(us, 99);
        }
        perSecond = LoadTest.await(client.throughput(RoundTrips.job("throughput", "completed"), IN_FLIGHT, THROUGHPUT_WARMUP_MS, THROUGHPUT_MS),
          60_000);
      }
      client.close();
      worker.stop();
      return new double[] {p50, p99, perSecond};
    }
  }

  private static double ms(Histogram us, double percentile) {
    return us.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The block for the document: a row per figure, the runs and their median, and the ratios against the floor. */
  static String markdown(List<Figures> runs) {
    int n = runs.size();
    BenchTable table = new BenchTable(n)
      .add("floor: bare Vert.x WebSocket echo, one at a time 20 ms apart: p50", "ms", column(runs, Figures::echoP50), 3)
      .add("floor: p99", "ms", column(runs, Figures::echoP99), 3)
      .add("warm start, reused process, 20 ms apart: p50", "ms", column(runs, Figures::reusedP50), 3)
      .add("warm start, reused process: p99", "ms", column(runs, Figures::reusedP99), 3)
      .add("warm start, reused process: p50 ÷ floor p50", "×", ratio(runs, Figures::reusedP50, Figures::echoP50), 2)
      .add("warm start, single-use processes, 300 ms apart: p50", "ms", column(runs, Figures::singleUseP50), 3)
      .add("warm start, single-use processes: p99", "ms", column(runs, Figures::singleUseP99), 3)
      .add("warm start, single-use processes: p50 ÷ floor p50", "×", ratio(runs, Figures::singleUseP50, Figures::echoP50), 2)
      .add("floor: echo round trips per second, 64 outstanding", "/s", column(runs, Figures::echoPerSecond), 0)
      .add("echo jobs per second, reused processes, 64 outstanding", "jobs/s", column(runs, Figures::reusedPerSecond), 0)
      .add("the same ÷ floor round trips per second", "", ratio(runs, Figures::reusedPerSecond, Figures::echoPerSecond), 4)
      .add("echo jobs per second, processes recycled every 200 jobs, 64 outstanding", "jobs/s",
        column(runs, Figures::recycledPerSecond), 0);
    return table.markdown();
  }

  private static double[] column(List<Figures> runs, java.util.function.ToDoubleFunction<Figures> value) {
    return runs.stream().mapToDouble(value).toArray();
  }

  private static double[] ratio(List<Figures> runs, java.util.function.ToDoubleFunction<Figures> top,
                                java.util.function.ToDoubleFunction<Figures> bottom) {
    return runs.stream().mapToDouble(f -> top.applyAsDouble(f) / bottom.applyAsDouble(f)).toArray();
  }

  static String describe(Figures f) {
    return String.format(Locale.ROOT, "floor p50 %.3f ms, reused p50 %.3f ms (%.2f×), single-use p50 %.3f ms (%.2f×), "
        + "floor %.0f/s, reused %.0f jobs/s, recycled %.0f jobs/s", f.echoP50(), f.reusedP50(), f.reusedP50() / f.echoP50(),
      f.singleUseP50(), f.singleUseP50() / f.echoP50(), f.echoPerSecond(), f.reusedPerSecond(), f.recycledPerSecond());
  }
}
