package io.warmpool.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.JobEvents;
import io.warmpool.config.ConfigLoader;
import io.warmpool.config.WorkerConfig;
import io.warmpool.pool.PoolVerticle;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
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

      List<Long> residentKb = ProcessHandle.current().children().map(p -> residentKb(p.pid())).toList();

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
      System.out.printf("idle child RSS (kB)          %s (median %d MB)%n", residentKb,
        residentKb.stream().sorted().toList().get(residentKb.size() / 2) / 1024);
      System.out.printf("job start on warm process    n=%d p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n", jobs,
        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(90) / 1000.0,
        latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
    } finally {
      await(vertx.close());
    }
  }

  private static long residentKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
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
