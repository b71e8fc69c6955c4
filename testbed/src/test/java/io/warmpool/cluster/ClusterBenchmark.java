package io.warmpool.cluster;

import io.vertx.core.json.JsonObject;
import io.warmpool.bus.Addresses;
import io.warmpool.bus.JobEvents;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Forwarded job start latency over loopback: two nodes in this JVM, each its own
 * clustered Vert.x talking to the other over TCP on 127.0.0.1. Jobs are submitted on the bus at
 * node A; with A full they run on B. Measured at A: submit sent → {@code accepted} reply, and
 * submit sent → {@code started} event back at A; plus the pool's own accept → started on B. The
 * same with A available (the job runs on A) shows what forwarding adds. One job at a time, each
 * on a warm process.
 *
 * <p>Not a test: run with {@code make bench-cluster ARGS="[jobs]"}.
 */
public final class ClusterBenchmark {

  private static final int WARMUP = 50;

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    String name = ClusterNode.uniqueName();
    int seed = ClusterNode.freePort();
    JsonObject pool = new JsonObject().put("pool", ClusterNode.POOL.copy().put("maxIdle", 2).put("maxSpawnRate", 8));
    List<ClusterNode> nodes = new ArrayList<>();
    try {
      ClusterNode a = ClusterNode.start(name, seed, seed, false, pool);
      nodes.add(a);
      ClusterNode b = ClusterNode.start(name, 0, seed, false, pool);
      nodes.add(b);
      Map<String, Long> startedAt = new ConcurrentHashMap<>();
      Map<String, CompletableFuture<Void>> ended = new ConcurrentHashMap<>();
      a.vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.jobsEvents(), msg -> {
        String jobId = msg.body().getString("jobId");
        if (JobEvents.STARTED.equals(msg.body().getString("event"))) {
          startedAt.put(jobId, System.nanoTime());
        } else if (JobEvents.isTerminal(msg.body())) {
          ended.computeIfAbsent(jobId, id -> new CompletableFuture<>()).complete(null);
        }
      }).completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      a.load(0.1);
      b.load(0.1);
      Result local = run("local (runs on A)", a, a, startedAt, ended, jobs);
      a.load(0.9);
      a.awaitView("A full", a.nodeId, s -> "full".equals(s.getString("status")));
      Result forwarded = run("forwarded (A -> B)", a, b, startedAt, ended, jobs);

      System.out.printf("cores %d, jobs %d per case (after %d warm-up), one at a time, echo on a warm process%n",
        Runtime.getRuntime().availableProcessors(), jobs, WARMUP);
      local.print();
      forwarded.print();
    } finally {
      ClusterNode.closeAll(nodes);
    }
  }

  private record Result(String name, Histogram accepted, Histogram started, Histogram poolStart) {
    void print() {
      System.out.printf("%-20s submit->accepted %s | submit->started at A %s | pool accept->started %s%n", name,
        percentiles(accepted), percentiles(started), percentiles(poolStart));
    }

    private static String percentiles(Histogram h) {
      return String.format("p50 %.2f p99 %.2f max %.2f ms", h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }
  }

  private static Result run(String name, ClusterNode submitter, ClusterNode runner, Map<String, Long> startedAt,
                            Map<String, CompletableFuture<Void>> ended, int jobs) throws Exception {
    Result result = new Result(name, new Histogram(60_000_000L, 3), new Histogram(60_000_000L, 3),
      new Histogram(60_000_000L, 3));
    for (int i = 0; i < WARMUP + jobs; i++) {
      // the runner back at its warm idle processes, and the submitter seeing it so
      ClusterNode.waitFor("runner warm", () -> {
        JsonObject state = submitter.viewOf(runner.nodeId);
        JsonObject info = ClusterNode.await(runner.vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.workerInfo(), null)).body();
        // at least 2: a job taking a warm process has a replacement spawned, reaped later when surplus
        return state != null && state.getInteger("idle") >= 2 && state.getInteger("activeJobs") == 0
          && info.getJsonObject("pool").getInteger("initializing") == 0;
      });
      long sent = System.nanoTime();
      JsonObject reply = ClusterNode.await(submitter.vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsSubmit(),
        new JsonObject().put("payload", new JsonObject().put("op", "echo").put("value", i)))).body();
      long acceptedAt = System.nanoTime();
      if (!runner.nodeId.equals(reply.getString("nodeId"))) {
        throw new IllegalStateException("job ran on " + reply.getString("nodeId") + ", not " + runner.nodeId + ": " + reply);
      }
      String jobId = reply.getString("jobId");
      ended.computeIfAbsent(jobId, id -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
      JsonObject record = ClusterNode.await(submitter.vertx.eventBus().<JsonObject>request(Addresses.DEFAULT.jobsGet(),
        new JsonObject().put("jobId", jobId))).body();
      if (i >= WARMUP) {
        result.accepted().recordValue((acceptedAt - sent) / 1000);
        result.started().recordValue((startedAt.get(jobId) - sent) / 1000);
        result.poolStart().recordValue((long) (record.getDouble("startLatencyMs") * 1000));
      }
    }
    return result;
  }

  private ClusterBenchmark() {
  }
}
