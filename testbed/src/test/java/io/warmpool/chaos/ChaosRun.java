package io.warmpool.chaos;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A chaos run: two workers in this JVM under a steady job load while a {@link Monkey} kills
 * and stops their children and submits jobs that crash, allocate over the memory limit, hang,
 * or (on the Python worker) write garbage on the protocol channel. Then the load stops, the
 * workers settle, and the run checks that every accepted job got exactly one terminal event
 * with the right reason ({@link ChaosReport}), that the pools are back at their idle target and
 * never degraded, and that no process is left, neither while the workers run nor after.
 *
 * <p>{@code make chaos} runs {@link #main} for 3 minutes; {@code ChaosTest} runs a short one
 * in the test suite.
 */
public final class ChaosRun {

  static final Duration FAULT_PACE = Duration.ofMillis(1200);
  static final Duration LOAD_PACE = Duration.ofMillis(250);
  /** Bound on every wait of the settling phase. */
  static final Duration SETTLE = Duration.ofSeconds(90);
  static final long MEMORY_LIMIT_MB = 200;

  static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  private final Duration duration;
  private final long seed;
  private final PrintStream progress;

  /** @param progress where a line goes every {@link #PROGRESS_EVERY} while faults are injected, or null */
  ChaosRun(Duration duration, long seed, PrintStream progress) {
    this.duration = duration;
    this.seed = seed;
    this.progress = progress;
  }

  /** {@code ChaosRun [seconds [seed]]}: prints the summary; exits 1 if any invariant broke. */
  public static void main(String[] args) {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 180;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : System.currentTimeMillis();
    int status;
    try {
      System.out.printf("chaos run starting: %d s of faults, seed %d%n", seconds, seed);
      long start = System.nanoTime();
      ChaosReport report = new ChaosRun(Duration.ofSeconds(seconds), seed, System.out).run();
      System.out.printf("%ndone in %d s (start, faults, settling, stop)%n%n", (System.nanoTime() - start) / 1_000_000_000);
      System.out.println(report.summary());
      status = report.passed() ? 0 : 1;
    } catch (Exception e) {
      e.printStackTrace();
      status = 2;
    }
    System.exit(status);
  }

  /** The Java worker: the demo entrypoint, quick health checks, a memory limit, processes reused a few times. */
  static JsonObject javaWorkerConfig() {
    return new JsonObject()
      .put("pool", new JsonObject()
        .put("maxIdle", 2).put("maxProcesses", 10).put("maxConcurrentInits", 2)
        .put("initTimeoutMs", 20_000).put("closeTimeoutMs", 2000)
        .put("maxJobsPerProcess", 6).put("maxJobsPerProcessJitter", 3)
        .put("scaleDownDelayMs", 1000).put("scaleDownWindowMs", 2000)
        // a SIGSTOPped child misses its pongs and is killed within ~6 s; not less: on a busy
        // 2-core machine a healthy child's pong was once held 3 s
        .put("pingIntervalMs", 250).put("pingTimeoutMs", 6000)
        .put("memoryLimitMb", MEMORY_LIMIT_MB))
      // a safety net: no steady job comes near it
      .put("job", new JsonObject().put("timeoutMs", 30_000));
  }

  /** The Python worker: children that write garbage on request (chaos_child.py). */
  static JsonObject pythonWorkerConfig() {
    return new JsonObject()
      .put("child", new JsonObject().put("command", ChaosChild.command()))
      .put("pool", new JsonObject()
        .put("maxIdle", 1).put("maxProcesses", 4).put("maxJobsPerProcess", 5)
        .put("scaleDownDelayMs", 1000).put("scaleDownWindowMs", 2000)
        .put("pingIntervalMs", 250).put("pingTimeoutMs", 6000))
      .put("job", new JsonObject().put("timeoutMs", 30_000));
  }

  ChaosReport run() throws Exception {
    ChaosReport report = new ChaosReport(duration.toSeconds(), seed);
    JobLedger ledger = new JobLedger();
    Random random = new Random(seed);
    ExecutorService threads = Executors.newFixedThreadPool(3, runnable -> {
      Thread thread = new Thread(runnable, "chaos");
      thread.setDaemon(true);
      return thread;
    });
    ChaosWorker java = null;
    ChaosWorker python = null;
    try {
      java = ChaosWorker.start("java", javaWorkerConfig(), ledger);
      python = ChaosWorker.start("python", pythonWorkerConfig(), ledger);
      awaitAtTarget(java, report, false);
      awaitAtTarget(python, report, false);

      SteadyLoad load = new SteadyLoad(java, python, ledger, new Random(random.nextLong()), LOAD_PACE);
      Monkey monkey = new Monkey(java, python, ledger, new Random(random.nextLong()), FAULT_PACE);
      HealthWatch health = new HealthWatch(List.of(java, python));
      ChaosWorker javaWorker = java;
      long loadTimer = java.vertx.setPeriodic(500, id -> javaWorker.publishLoad(load.javaLoad(), SteadyLoad.LOAD_PER_JOB));

      long deadline = System.nanoTime() + duration.toNanos();
      Future<?> loadDone = threads.submit(() -> {
        load.run(deadline);
        return null;
      });
      Future<?> monkeyDone = threads.submit(() -> monkey.run(deadline));
      Future<?> healthDone = threads.submit(() -> {
        health.run();
        return null;
      });
      long bound = duration.plus(SETTLE).toMillis();
      reportProgress(ledger, loadDone, deadline);
      finish("the steady load", loadDone, bound, report);
      finish("the monkey", monkeyDone, bound, report);

      // settle: no more load, every job ends, the pools refill
      java.vertx.cancelTimer(loadTimer);
      java.publishLoad(0, SteadyLoad.LOAD_PER_JOB);
      awaitAllEnded(ledger, report);
      awaitSignalledGone(ledger, report);
      report.finalInfo.put(java.name, awaitAtTarget(java, report, true));
      report.finalInfo.put(python.name, awaitAtTarget(python, report, true));
      report.leakedWhileRunning = countLeaks(report);

      health.stop();
      finish("the health watch", healthDone, SETTLE.toMillis(), report);
      report.maxInfoLatencyMs = health.maxLatencyMs;
      report.maxConsecutiveInitFailures = health.maxConsecutiveInitFailures;
      report.degradedSeen = health.degradedSeen;
      if (health.degradedSeen) {
        report.violation("a worker was degraded during the run: " + health.firstDegraded);
      }
    } finally {
      threads.shutdownNow();
      close(python, report);
      close(java, report);
      report.leakedAfterStop = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
      if (report.leakedAfterStop > 0) {
        report.violation(report.leakedAfterStop + " processes alive after the workers stopped: "
          + ProcessHandle.current().descendants().map(p -> p.pid() + " " + Monkey.commandLine(p)).toList());
      }
    }
    report.judge(ledger);
    return report;
  }

  private void reportProgress(JobLedger ledger, Future<?> loadDone, long deadline) throws Exception {
    if (progress == null) {
      return;
    }
    long next = System.nanoTime() + PROGRESS_EVERY.toNanos();
    while (!loadDone.isDone() && System.nanoTime() < deadline) {
      // the progress line's period, not a wait for an outcome
      Thread.sleep(200);
      if (System.nanoTime() >= next) {
        progress.printf("  %3d s left: %s%n", Math.max(0, (deadline - System.nanoTime()) / 1_000_000_000), ledger.progress());
        next += PROGRESS_EVERY.toNanos();
      }
    }
  }

  private static void finish(String what, Future<?> future, long boundMs, ChaosReport report) throws InterruptedException {
    try {
      future.get(boundMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      report.violation(what + " failed: " + e.getCause());
    } catch (TimeoutException e) {
      report.violation(what + " did not end within " + boundMs + " ms");
      future.cancel(true);
    }
  }

  private static void awaitAllEnded(JobLedger ledger, ChaosReport report) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (ledger.jobs().stream().anyMatch(j -> Boolean.TRUE.equals(j.accepted) && j.terminals.isEmpty())) {
      if (System.nanoTime() > deadline) {
        // judged job by job in the report
        return;
      }
      // polling interval of the condition
      Thread.sleep(50);
    }
  }

  /** Every child the monkey signalled must be gone: a stopped one is killed once it misses its pongs. */
  private static void awaitSignalledGone(JobLedger ledger, ChaosReport report) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      List<Long> alive = ledger.hits().stream().map(JobLedger.Hit::pid).distinct()
        .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
      if (alive.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        report.violation("signalled children still alive " + SETTLE.toSeconds() + " s after the faults stopped: " + alive);
        return;
      }
      // polling interval of the condition
      Thread.sleep(50);
    }
  }

  /** Waits until the pool has its idle target idle and nothing else going on; with {@code strict}, a violation if it never does. */
  private static JsonObject awaitAtTarget(ChaosWorker worker, ChaosReport report, boolean strict) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    JsonObject info = worker.info();
    while (!atTarget(info)) {
      if (System.nanoTime() > deadline) {
        String what = "pool " + worker.name + " not back at its idle target within " + SETTLE.toSeconds() + " s: " + info.encode();
        if (strict) {
          report.violation(what);
          return info;
        }
        throw new IllegalStateException(what);
      }
      // polling interval of the condition
      Thread.sleep(50);
      info = worker.info();
    }
    return info;
  }

  static boolean atTarget(JsonObject info) {
    JsonObject pool = info.getJsonObject("pool");
    return "available".equals(info.getString("status")) && !info.getBoolean("degraded", false)
      && info.getInteger("waitingJobs", 0) == 0 && info.getInteger("activeJobs", 0) == 0
      && pool.getInteger("idle").equals(pool.getInteger("targetIdle"))
      && pool.getInteger("targetIdle").equals(pool.getInteger("maxIdle"))
      && pool.getInteger("initializing") == 0 && pool.getInteger("running") == 0 && pool.getInteger("exiting") == 0;
  }

  /**
   * Children of this JVM that no pool counts, or that are stopped: the pools at rest hold
   * exactly their idle processes, so every other child is a leak.
   */
  private static long countLeaks(ChaosReport report) {
    long expected = report.finalInfo.values().stream().mapToLong(i -> i.getJsonObject("pool").getInteger("processes")).sum();
    List<ProcessHandle> children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    long stopped = children.stream().filter(ChaosRun::isStopped).count();
    long leaked = Math.max(0, children.size() - expected) + stopped;
    if (leaked > 0) {
      report.violation(children.size() + " children alive (" + stopped + " stopped) while the pools count " + expected + ": "
        + children.stream().map(p -> p.pid() + " " + Monkey.commandLine(p)).toList());
    }
    return leaked;
  }

  /** True for a process in state T (stopped), from /proc on Linux. */
  static boolean isStopped(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void close(ChaosWorker worker, ChaosReport report) {
    if (worker == null) {
      return;
    }
    try {
      worker.close();
    } catch (Exception e) {
      report.violation("worker " + worker.name + " did not stop cleanly: " + e);
    }
  }
}
