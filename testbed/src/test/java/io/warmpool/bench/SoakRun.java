package io.warmpool.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.warmpool.testbed.Machine;
import io.warmpool.testbed.ReportWriter;
import io.warmpool.testbed.WorkerProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The soak and misbehaving-clients run (issue #15's last figures): a worker started from
 * target/warmpool.jar with an explicit heap, for {@code --seconds}:
 * <ul>
 *   <li>job traffic at a constant rate, with its ledger ({@link SoakTraffic});</li>
 *   <li>clients that stop reading and keep sending frames that each earn a reply, closed by the
 *       worker and connecting again ({@link Flooder});</li>
 *   <li>{@code GET /health} every 100 ms on a thread of its own ({@link HealthProbe});</li>
 *   <li>the worker's live heap after a forced full GC every minute and at the end
 *       ({@link LiveHeap}), and its RSS.</li>
 * </ul>
 * Then SIGTERM, and the worker must exit cleanly with no process left. Prints a summary and a
 * table for docs/performance.md ({@link SoakSummary}), also written to the report directory.
 * Exit code 1 when a job was lost, the worker died, logged an OutOfMemoryError or an ERROR,
 * did not stop cleanly, or its live heap went over the bound; 2 for a bad command line.
 *
 * <p>Not a test: {@code make soak} and {@code make bench-flood} (testbed/README.md). Its main
 * thread samples and prints; the job traffic and the misbehaving clients run on two Vert.x
 * instances of their own, so that the clients' writing does not delay the ledger.
 */
public final class SoakRun {

  static final long TICK_MS = 1000;
  static final long RSS_EVERY_S = 5;
  static final long PROGRESS_EVERY_S = 10;
  static final long HEAP_EVERY_S = 60;
  static final long DEPLOY_WITHIN_S = 30;
  static final long WARM_WITHIN_S = 30;
  static final long END_SAMPLE_WITHIN_S = 60;

  private final SoakOptions options;
  private final PrintStream out;
  private final FloodStats flood = new FloodStats();
  private final List<String> problems = new ArrayList<>();
  private WorkerProcess worker;
  private HealthProbe probe;
  private LiveHeap heap;
  private SoakTraffic traffic;
  private long startNanos;
  private long lastRssS = -1;
  private long lastProgressS;
  private long lastHeapS;
  private double maxRssMb;

  private SoakRun(SoakOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    SoakOptions options;
    try {
      options = SoakOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage() + "\n" + SoakOptions.USAGE);
      System.exit(2);
      return;
    }
    int exit;
    try {
      exit = new SoakRun(options, System.out).run() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("soak: the run failed: " + e);
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  private boolean run() throws Exception {
    Instant startedAt = Instant.now();
    Path dir = ReportWriter.newDirectory(options.reports(), options.name(), startedAt);
    List<String> jvmOptions = List.of("-Xmx" + options.heap());
    out.printf(Locale.ROOT, "%s: %d s, %s, %d misbehaving client(s); worker %s -jar target/warmpool.jar, %s with %s; report in %s%n",
      options.name(), options.seconds(), options.floodOnly() ? "no job traffic"
        : String.format(Locale.ROOT, "%.1f echo jobs/s over %d connections (at most %d in flight)", options.rate(),
        options.connections(), options.maxInFlight()),
      options.flooders(), String.join(" ", jvmOptions), options.conf(), SoakOptions.WORKER_OVERRIDES.encode(), dir);
    worker = WorkerProcess.start(options.conf(), SoakOptions.WORKER_OVERRIDES, dir, options.name(), jvmOptions);
    out.printf("worker pid %d on port %d (log: %s)%n", worker.pid(), worker.port(), worker.log());
    Vertx trafficVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx floodVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    probe = new HealthProbe(worker.port());
    SoakTraffic.Result jobs = null;
    try {
      probe.start();
      heap = new LiveHeap(worker.pid(), worker.port(), probe);
      awaitWarmPool();
      sampleHeap(0);
      jobs = load(trafficVertx, floodVertx);
      sampleHeapAtEnd();
    } finally {
      probe.stop();
      close(trafficVertx);
      close(floodVertx);
    }
    out.println("stopping the worker (SIGTERM)");
    WorkerProcess.Outcome outcome = worker.stop();
    SoakSummary summary = new SoakSummary(options, Machine.current(), startedAt, dir, jobs, probe.figures(), heap.samples(),
      worker.sampler().workerRssMb(), maxRssMb, flood, outcome, outOfMemoryLines(worker.log()), problems);
    out.println();
    out.print(summary.text());
    Files.writeString(dir.resolve("summary.md"), summary.text());
    return summary.passed();
  }

  /**
   * Waits (at most {@value #WARM_WITHIN_S} s) until the idle pool is at its target with nothing
   * initialising, as {@code GET /worker} tells: the first minute of a soak must not measure JVMs
   * starting.
   */
  private void awaitWarmPool() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + "/worker"))
      .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_WITHIN_S);
    JsonObject pool = new JsonObject();
    while (System.nanoTime() < deadline) {
      pool = new JsonObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).getJsonObject("pool");
      if (pool.getInteger("idle") >= pool.getInteger("targetIdle") && pool.getInteger("initializing") == 0) {
        out.printf("the idle pool is warm: %d idle processes%n", pool.getInteger("idle"));
        return;
      }
      // the polling interval, not a wait for the outcome itself
      Thread.sleep(200);
    }
    out.println("note: the idle pool was not warm after " + WARM_WITHIN_S + " s (" + pool.encode() + "); the load starts anyway");
  }

  /** The load from its start to the end of its jobs: null for the jobs when the run has none. */
  private SoakTraffic.Result load(Vertx trafficVertx, Vertx floodVertx) throws Exception {
    if (!options.floodOnly()) {
      traffic = new SoakTraffic(worker.port(), options);
      await(trafficVertx.deployVerticle(traffic));
    }
    String flooders = null;
    if (options.flooders() > 0) {
      flooders = await(floodVertx.deployVerticle(() -> new Flooder(worker.port(), options.floodFrames(), flood),
        new DeploymentOptions().setInstances(options.flooders())));
    }
    startNanos = System.nanoTime();
    boolean alive = watchWhile(() -> elapsedS() < options.seconds());
    if (flooders != null) {
      out.println("duration over: stopping the misbehaving clients");
      try {
        await(floodVertx.undeploy(flooders));
      } catch (Exception e) {
        problems.add("the misbehaving clients did not stop within " + DEPLOY_WITHIN_S + " s: " + e);
      }
    }
    if (traffic == null) {
      return null;
    }
    if (alive) {
      out.printf("waiting for the %d jobs still open (at most %d s each)%n", traffic.snapshot().open(), options.marginS());
      alive = watchWhile(() -> !traffic.finished().isComplete());
    }
    if (!alive) {
      traffic.abortFromOutside("the worker process died during the run");
    }
    return traffic.finished().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Samples and prints once a second while {@code going} holds and the worker lives; false if
   * it died.
   */
  private boolean watchWhile(BooleanSupplier going) throws InterruptedException {
    while (going.getAsBoolean()) {
      if (!worker.checkAlive()) {
        out.println("the worker process is gone; the end of its log:\n" + WorkerProcess.tail(worker.log(), 10));
        return false;
      }
      long s = elapsedS();
      if (lastRssS < 0 || s - lastRssS >= RSS_EVERY_S) {
        lastRssS = s;
        if (worker.sampler().sample()) {
          maxRssMb = Math.max(maxRssMb, worker.sampler().workerRssMb());
        }
      }
      if (s - lastProgressS >= PROGRESS_EVERY_S) {
        lastProgressS = s;
        progress(s);
      }
      if (s - lastHeapS >= HEAP_EVERY_S) {
        lastHeapS = s;
        sampleHeap(s);
      }
      // the sampling period, not a wait for an outcome: the conditions are asked every tick
      Thread.sleep(TICK_MS);
    }
    return true;
  }

  private void sampleHeap(long atS) {
    try {
      readHeap(atS);
    } catch (Exception e) {
      problems.add("the live heap could not be read at " + atS + " s: " + e.getMessage());
      out.println("[" + atS + " s] the live heap could not be read: " + e.getMessage());
    }
  }

  /**
   * The last sample, once the load is over. A worker still busy with what the clients left it
   * may not answer at once: it is asked again for up to {@value #END_SAMPLE_WITHIN_S} s, and how
   * long it took is said.
   */
  private void sampleHeapAtEnd() throws InterruptedException {
    long endedS = elapsedS();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(END_SAMPLE_WITHIN_S);
    while (worker.checkAlive()) {
      try {
        readHeap(elapsedS());
        if (elapsedS() - endedS > 1) {
          out.printf("note: the worker answered again %d s after the load ended%n", elapsedS() - endedS);
        }
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          problems.add("the live heap could not be read within " + END_SAMPLE_WITHIN_S + " s of the end of the load: " + e.getMessage());
          return;
        }
        out.println("[" + elapsedS() + " s] the live heap could not be read yet: " + e.getMessage());
      }
      // the retry interval, not a wait for the outcome itself
      Thread.sleep(TICK_MS);
    }
  }

  private void readHeap(long atS) throws Exception {
    LiveHeap.Sample sample = heap.sample(atS);
    out.printf(Locale.ROOT, "[%5d s] live heap %.1f MB after a full GC (bound %.0f MB); queued for clients %.2f MB, "
        + "%d not read, %d connections; %d ended jobs' records dropped by their bounds%n",
      atS, sample.heapMb(), options.heapBoundMb(), sample.queuedMb(), sample.pausedClients(), sample.connections(),
      sample.recordsDropped());
  }

  private void progress(long s) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%5d/%d s]", s, options.seconds()));
    if (traffic != null) {
      SoakTraffic.Snapshot jobs = traffic.snapshot();
      line.append(String.format(Locale.ROOT, " jobs sent %d (%.1f/s) completed %d rejected %d open %d held back %d lost %d,"
          + " start p50 %.1f p99 %.1f ms |", jobs.sent(), s == 0 ? 0.0 : jobs.sent() / (double) s, jobs.completed(),
        jobs.rejected(), jobs.open(), jobs.heldBack(), jobs.lost(), jobs.startP50Ms(), jobs.startP99Ms()));
    }
    if (options.flooders() > 0) {
      line.append(String.format(Locale.ROOT, " misbehaving: %d connections, %d frames, %d closed |",
        flood.connections.sum(), flood.framesSent(), flood.closeCount()));
    }
    HealthProbe.Figures health = probe.figures();
    line.append(String.format(Locale.ROOT, " /health p99 %.1f max %.1f ms, %d over %d ms, %d timeouts | RSS %.0f MB",
      health.p99Ms(), health.maxMs(), health.slow(), HealthProbe.SLOW_MS, health.timeouts(), worker.sampler().workerRssMb()));
    out.println(line);
  }

  private long elapsedS() {
    return startNanos == 0 ? 0 : TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
  }

  /** Lines of the worker's log that name an OutOfMemoryError, wherever they are (a stack trace's cause too). */
  static long outOfMemoryLines(Path log) {
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(l -> l.contains("OutOfMemoryError")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      // the log is unreadable: WorkerProcess's outcome says so as an error line
      return 0;
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(DEPLOY_WITHIN_S, TimeUnit.SECONDS);
  }

  private static void close(Vertx vertx) {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }
}
