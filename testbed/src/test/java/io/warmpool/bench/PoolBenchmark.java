package io.warmpool.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.JobEvents;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.javachild.JavaChildCommand;
import io.warmpool.pool.PoolVerticle;
import io.warmpool.testbed.JvmProcess;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The pool's own figures, in-process, no WebSocket: time until maxIdle processes are
 * warm, idle child resident memory, and a job's start latency on a warm process (the pool's
 * accept → the child reports started). Not a test: run with
 * {@code make bench-pool ARGS="[jobs] [maxJobsPerProcess]"}.
 */
public final class PoolBenchmark {

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Vertx vertx = Vertx.vertx();
    try {
      WorkerConfig config = ConfigLoader.fromJson(new JsonObject()
        .put("load", new JsonObject().put("source", "external"))
        .put("pool", new JsonObject().put("maxIdle", 4).put("maxConcurrentInits", 4).put("pingIntervalMs", 100)
          .put("maxJobsPerProcess", args.length > 1 ? Integer.parseInt(args[1]) : 1)), Map.of());
      long deployedAt = System.nanoTime();
      await(vertx.deployVerticle(new PoolVerticle(config, new SimpleMeterRegistry())));
      waitUntil(vertx, info -> info.getJsonObject("pool").getInteger("idle") == 4);
      double warmMs = (System.nanoTime() - deployedAt) / 1e6;

      List<Long> residentKb = ProcessHandle.current().children().map(p -> kb(p.pid(), "status", "VmRSS:")).toList();
      List<Long> children = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
      Pss pss = pssBesideIdleJvms(children);

      Map<String, CompletableFuture<Void>> ended = new ConcurrentHashMap<>();
      vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.jobsEvents(), msg -> {
        if (JobEvents.isTerminal(msg.body())) {
          ended.computeIfAbsent(msg.body().getString("jobId"), id -> new CompletableFuture<>()).complete(null);
        }
      });
      Histogram latency = new Histogram(3_600_000_000L, 3);
      for (int i = 0; i < jobs; i++) {
        // one job at a time, once the pool is back at 4 idle and nothing initialises: the pool keeps up
        waitUntil(vertx, info -> info.getJsonObject("pool").getInteger("idle") >= 4
          && info.getJsonObject("pool").getInteger("initializing") == 0);
        JsonObject reply = await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(),
          new JsonObject().put("payload", new JsonObject().put("op", "echo").put("value", i)))).body();
        String jobId = reply.getString("jobId");
        ended.computeIfAbsent(jobId, id -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
        JsonObject record = await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsGet(),
          new JsonObject().put("jobId", jobId))).body();
        latency.recordValue((long) (record.getDouble("startLatencyMs") * 1000));
      }

      System.out.printf("cores                        %d%n", Runtime.getRuntime().availableProcessors());
      System.out.printf("deploy -> 4 idle warm        %.0f ms%n", warmMs);
      System.out.printf("idle child RSS (kB)          %s (median %d MB)%n", residentKb, medianKb(residentKb) / 1024);
      System.out.printf("idle child PSS (kB)          %s (median %.1f MB)%n", pss.children(), medianKb(pss.children()) / 1024.0);
      System.out.printf("floor: as many JVMs with the child's options doing nothing, PSS (kB) %s (median %.1f MB)%n",
        pss.idleJvms(), medianKb(pss.idleJvms()) / 1024.0);
      System.out.printf("job start on warm process    n=%d p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n", jobs,
        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(90) / 1000.0,
        latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
    } finally {
      await(vertx.close());
    }
  }

  /** A field of /proc/PID/FILE in kB, -1 if it cannot be read. */
  private static long kb(long pid, String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/" + file))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  private static long medianKb(List<Long> kb) {
    return kb.stream().sorted().toList().get(kb.size() / 2);
  }

  /**
   * How long a JVM idles before its memory is read. The JVM's chunk pool cleaner hands what
   * loading and compiling classes freed back to the C heap every 5 s, and the children's
   * {@code -XX:TrimNativeHeapInterval} gives it back to the system within 1 s of that: an idle
   * child's private memory drops by about 1.2 MB some 5 s into its life, then stays.
   */
  static final long SETTLE_MS = 6_000;

  /** The PSS (kB) of each of the pool's children, and of as many idle JVMs beside them, read at one moment. */
  record Pss(List<Long> children, List<Long> idleJvms) {
  }

  /**
   * The PSS of the pool's {@code children} and of as many JVMs started with a Java child's
   * options ({@link IdleJvm}), {@link #SETTLE_MS} after each of those said it is up: read
   * together, so that the pages they all map (the JVM's own library, the JDK's class-data
   * archive) are divided among the same processes.
   */
  private static Pss pssBesideIdleJvms(List<Long> children) throws Exception {
    String classes = Path.of(IdleJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    List<JvmProcess> jvms = new ArrayList<>();
    try {
      for (int i = 0; i < children.size(); i++) {
        jvms.add(new JvmProcess(classes, IdleJvm.class, JavaChildCommand.runnableHere(ConfigLoader.DEFAULT_JVM_OPTIONS), List.of()));
      }
      for (JvmProcess jvm : jvms) {
        jvm.awaitFirstLine("up");
      }
      // a JVM's memory is not settled at once: what its start freed goes back every 5 s
      Thread.sleep(SETTLE_MS);
      return new Pss(children.stream().map(pid -> kb(pid, "smaps_rollup", "Pss:")).toList(),
        jvms.stream().map(jvm -> kb(jvm.pid(), "smaps_rollup", "Pss:")).toList());
    } finally {
      for (JvmProcess jvm : jvms) {
        jvm.close();
      }
    }
  }


  interface Check {
    boolean test(JsonObject info);
  }

  private static void waitUntil(Vertx vertx, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!check.test(await(vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.workerInfo(), null)).body())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the pool did not get there in 60 s");
      }
      Thread.sleep(20);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private PoolBenchmark() {
  }
}
