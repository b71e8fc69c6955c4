package io.warmpool.testbed;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code make load SCENARIO=name}: runs a scenario from {@code testbed/scenarios/} and writes
 * its report under {@code testbed/reports/}. By default each run starts its own worker and
 * stops it after; {@code --url ws://…} loads a running one instead.
 *
 * <p>Exit code 0 when every run passed, 1 when one did not (a job without a terminal event,
 * a worker that erred, an expectation not met), 2 for a bad command line or scenario.
 */
public final class LoadTest {

  static final String USAGE = "usage: LoadTest --scenario NAME"
    + " [--url ws://HOST:PORT/ws] [--conf conf/worker.json] [--scenarios testbed/scenarios] [--reports testbed/reports] [--no-plots]"
    + "\n(from the repository root; make load SCENARIO=NAME [URL=...] builds and runs it)";
  /** How often the main thread reads the worker's memory and checks that it is alive. */
  static final long SAMPLE_EVERY_MS = 250;
  static final long DEPLOY_WITHIN_MS = 30_000;

  /**
   * @param url   null: start a worker for each run
   * @param plots false leaves out the PNGs (and AWT)
   */
  public record Options(String scenario, String url, Path conf, Path scenarios, Path reports, boolean plots) {

    static Options parse(String[] args) {
      String scenario = null;
      String url = null;
      Path conf = Path.of("conf/worker.json");
      Path scenarios = Path.of("testbed/scenarios");
      Path reports = Path.of("testbed/reports");
      boolean plots = true;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--scenario" -> scenario = value(args, ++i, arg);
          case "--url" -> url = value(args, ++i, arg);
          case "--conf" -> conf = Path.of(value(args, ++i, arg));
          case "--scenarios" -> scenarios = Path.of(value(args, ++i, arg));
          case "--reports" -> reports = Path.of(value(args, ++i, arg));
          case "--no-plots" -> plots = false;
          default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
        }
      }
      if (scenario == null || scenario.isEmpty()) {
        throw new IllegalArgumentException("--scenario is needed");
      }
      if (url != null && url.isEmpty()) {
        url = null;
      }
      return new Options(scenario, url, conf, scenarios, reports, plots);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    String command() {
      return "LoadTest --scenario " + scenario + (url == null ? "" : " --url " + url);
    }
  }

  /** A finished load test: its report directory and summary. */
  public record Report(Path dir, JsonObject summary, List<RunResult> runs) {
    public boolean ok() {
      return summary.getBoolean("ok");
    }
  }

  public static void main(String[] args) {
    // JFreeChart draws into an image; there is no display, and none is wanted
    System.setProperty("java.awt.headless", "true");
    Options options;
    Scenario scenario;
    try {
      options = Options.parse(args);
      scenario = Scenario.load(options.scenarios(), options.scenario());
    } catch (IllegalArgumentException e) {
      System.err.println("load test: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    } catch (ScenarioException e) {
      System.err.println("load test: " + e.getMessage());
      System.exit(2);
      return;
    }
    int exit;
    try {
      Report report = run(scenario, options, System.out);
      exit = report.ok() ? 0 : 1;
    } catch (ScenarioException e) {
      System.err.println("load test: " + e.getMessage());
      exit = 2;
    } catch (Exception e) {
      System.err.println("load test failed: " + e);
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  /** Runs every variant of {@code scenario}, one after the other, and writes the report. */
  public static Report run(Scenario scenario, Options options, PrintStream out) throws Exception {
    if (options.url() == null) {
      // a bad override must stop us before anything starts, with the worker's own message
      for (Scenario.Variant variant : scenario.variants()) {
        JsonObject conf;
        try {
          conf = WorkerProcess.config(options.conf(), variant.worker(), 1);
        } catch (ScenarioException e) {
          throw new ScenarioException("scenario " + scenario.name() + ", run " + variant.name() + ": " + e.getMessage());
        }
        String source = conf.getJsonObject("load", new JsonObject()).getString("source");
        if (scenario.externalLoad() != null && !"external".equals(source)) {
          // the worker would answer every PUT /load with 409; better said before it starts
          throw new ScenarioException("scenario " + scenario.name() + ", run " + variant.name() + ": externalLoad is set, so the "
            + "worker needs load.source external, not " + source);
        }
      }
    }
    Instant startedAt = Instant.now();
    Path dir = ReportWriter.newDirectory(options.reports(), scenario.name(), startedAt);
    WorkerTarget target = options.url() == null ? null : WorkerTarget.parse(options.url());
    out.printf("load test %s: %s%n  %s for %.0f s over %d connections%s, %d run(s); report in %s%n",
      scenario.name(), scenario.description(), scenario.arrival().describe(), scenario.durationMs() / 1000.0,
      scenario.connections(), scenario.externalLoad() == null ? "" : ", external load " + scenario.externalLoad().describe(),
      scenario.variants().size(), dir);
    List<RunResult> runs = new ArrayList<>();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
    try {
      for (Scenario.Variant variant : scenario.variants()) {
        if (target != null && !variant.worker().isEmpty()) {
          out.printf("[%s] note: --url given, so the worker overrides %s are not applied%n", variant.name(), variant.worker().encode());
        }
        runs.add(runOne(vertx, scenario, variant, options, target, dir, out));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    JsonObject summary = ReportWriter.write(dir, scenario, runs, startedAt,
      target == null ? "own worker (java -jar, " + options.conf() + " + scenario overrides)" : options.url(),
      Machine.current(), options.command(), options.plots());
    printSummary(summary, dir, out);
    return new Report(dir, summary, runs);
  }

  private static RunResult runOne(Vertx vertx, Scenario scenario, Scenario.Variant variant, Options options,
                                  WorkerTarget fixedTarget, Path dir, PrintStream out) throws Exception {
    WorkerProcess worker = null;
    List<String> issues = new ArrayList<>();
    LoadRun run = null;
    try {
      WorkerTarget target = fixedTarget;
      ResourceSampler resources = ResourceSampler.none();
      if (target == null) {
        out.printf("[%s] starting a worker%n", variant.name());
        try {
          worker = WorkerProcess.start(options.conf(), variant.worker(), dir, variant.name());
        } catch (java.io.IOException e) {
          issues.add("the worker did not start: " + e.getMessage());
          return new RunResult(scenario, variant, new Recorder(), new Timeline(), 0, issues, List.of(), null, null);
        }
        out.printf("[%s] worker pid %d on port %d (log: %s)%n", variant.name(), worker.pid(), worker.port(), worker.log());
        target = WorkerTarget.local(worker.port(), worker.token());
        resources = worker.sampler();
        resources.sample();
      }
      run = new LoadRun(scenario, variant, target, resources, out);
      String deployment;
      try {
        deployment = await(vertx.deployVerticle(run), DEPLOY_WITHIN_MS);
      } catch (Exception e) {
        issues.add("cannot start the load on " + target.host() + ":" + target.port() + target.uri() + ": " + rootMessage(e));
        return new RunResult(scenario, variant, run.recorder(), run.timeline(), 0, issues, List.of(), worker == null ? null : worker.stop(),
          null);
      }
      watch(run, worker, resources, scenario);
      try {
        await(vertx.undeploy(deployment), 10_000);
      } catch (Exception e) {
        // the client closes with Vert.x at the end anyway; nothing of the run is lost
      }
      WorkerProcess.Outcome outcome = null;
      if (worker != null) {
        out.printf("[%s] stopping the worker (SIGTERM)%n", variant.name());
        outcome = worker.stop();
      }
      issues.addAll(run.problems());
      return new RunResult(scenario, variant, run.recorder(), run.timeline(), run.loadMs(), issues, run.notes(), outcome, run.scaling());
    } finally {
      if (worker != null) {
        worker.close();
      }
    }
  }

  /**
   * The main thread's part while the load runs: reads the worker's memory, notices if it dies,
   * and makes sure the run ends by its bound whatever happens on the event loop.
   */
  private static void watch(LoadRun run, WorkerProcess worker, ResourceSampler resources, Scenario scenario) throws InterruptedException {
    long boundMs = LoadRun.WARMUP_LIMIT_MS + scenario.durationMs() + scenario.graceMs() + scenario.cooldownMs() + 15_000;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMs);
    boolean aborted = false;
    while (!run.finished().isComplete()) {
      if (!aborted && worker != null && !worker.checkAlive()) {
        // RunResult names the exit itself; the run only has to stop waiting for a worker that is gone
        run.abort("the load was stopped early: the worker process is gone");
        aborted = true;
      } else if (worker != null) {
        resources.sample();
      }
      if (System.nanoTime() > deadline) {
        if (!aborted) {
          run.abort("the run did not end within its bound of " + boundMs / 1000 + " s");
          aborted = true;
          deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        } else {
          break;
        }
      }
      Thread.sleep(SAMPLE_EVERY_MS);
    }
  }

  private static void printSummary(JsonObject summary, Path dir, PrintStream out) {
    out.println();
    for (Object o : summary.getJsonArray("runs")) {
      JsonObject r = (JsonObject) o;
      JsonObject jobs = r.getJsonObject("jobs");
      JsonObject latency = r.getJsonObject("startLatencyMs");
      JsonObject scaling = r.getJsonObject("scaling");
      out.println(String.format(Locale.ROOT, "%s: %d submitted, outcomes %s, rejected %.1f%%; start latency p50 %s p99 %s max %s ms;"
          + " idle process-s %s, idle MB·s %s%s",
        r.getString("name"), jobs.getLong("submitted"), jobs.getJsonObject("outcomes").encode(), jobs.getDouble("rejectedPercent"),
        latency.getValue("p50"), latency.getValue("p99"), latency.getValue("max"),
        r.getJsonObject("resources").getValue("idleProcessSeconds"), r.getJsonObject("resources").getValue("idleMemoryMbSeconds"),
        scaling == null ? "" : "; spawns " + scaling.getLong("spawns") + ", reaps " + scaling.getLong("reaps") + ", "
          + scaling.getValue("eventsPerMinute") + " spawn+reap events/min"));
    }
    for (Object n : summary.getJsonArray("notes")) {
      out.println("NOTE: " + n);
    }
    for (Object p : summary.getJsonArray("problems")) {
      out.println("PROBLEM: " + p);
    }
    out.println("report: " + dir.resolve("report.md"));
    out.println(summary.getBoolean("ok") ? "PASSED" : "FAILED");
  }

  static <T> T await(Future<T> future, long ms) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(ms, TimeUnit.MILLISECONDS);
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.toString();
  }

  private LoadTest() {
  }
}
